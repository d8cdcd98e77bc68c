"""Vertical merges of table cells by group, compiled into the template once.

A template marks a cell with ``{% vmerge %}`` (typically in a looped row: ``{{ row.一级指标 }}
{% vmerge %}``).  ``compile_vmerges`` rewrites each marked cell, before the template is
compiled, into Jinja that decides per row while rendering:

* the cell's own text is rendered first and compared with the same cell in the row above;
* the cell *continues* the merge (``<w:vMerge/>``, content emptied) when both texts are equal
  **and** every marked cell to its left in the row continues too; otherwise it *restarts*
  (``<w:vMerge w:val="restart"/>``).

So a 二级指标 never merges across a 一级指标 boundary, and two equal names in different groups
stay apart.  A group of one row is a merge of one cell, which Word and LibreOffice show as a
plain cell.  Nothing is parsed after rendering: the decision is part of the compiled template.

docxtpl's own ``{% vm %}`` is not used: it merges a whole loop column regardless of groups and
writes ``w:vMerge`` after ``w:vAlign``, which Word rejects.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from docgen.ooxml.xml import W

# The merge tag as typed in a cell: "{% vmerge %}", "{%vmerge%}", "{%- vmerge -%}".
VMERGE_TAG = re.compile(r"\{%-?\s*vmerge\s*-?%\}")

# The Jinja namespace that carries merge state from row to row.
STATE = "docgen_vmerge"

_P, _T, _TC, _TR = (f"{{{W}}}{n}" for n in ("p", "t", "tc", "tr"))
_TC_PR, _P_PR, _V_MERGE, _VAL = (f"{{{W}}}{n}" for n in ("tcPr", "pPr", "vMerge", "val"))
# CT_TcPr children that come before w:vMerge in the schema's sequence.
_BEFORE_VMERGE = {f"{{{W}}}{name}" for name in ("cnfStyle", "tcW", "gridSpan", "hMerge")}


def compile_vmerges(root: etree._Element) -> int:
    """Rewrite every ``{% vmerge %}`` cell of *root* into merge logic; return how many."""
    count = 0
    for tr in root.iter(_TR):
        marked = [tc for tc in tr.iterchildren(_TC) if _take_tag(tc)]
        if not marked:
            continue
        tr.text = (tr.text or "") + f"{{% set {STATE}.chain = true %}}"
        for tc in marked:
            _compile_cell(tc, count)
            count += 1
    return count


def prelude(count: int) -> str:
    """Return the Jinja that creates the merge state, to put before the template."""
    if not count:
        return ""
    slots = ", ".join(f"prev{k}=none" for k in range(count))
    return f"{{% set {STATE} = namespace(chain=true, {slots}) %}}"


def _take_tag(tc: etree._Element) -> bool:
    """Remove the ``{% vmerge %}`` tag from a cell's text; return whether it had one."""
    texts = [t for t in tc.iter(_T) if _own_cell(t, tc)]
    joined = "".join(t.text or "" for t in texts)
    spans = [m.span() for m in VMERGE_TAG.finditer(joined)]
    if spans:
        _cut(texts, spans)
    return bool(spans)


def _own_cell(element: etree._Element, tc: etree._Element) -> bool:
    """Return whether *element* belongs to *tc* itself, not to a table nested in it."""
    parent = element.getparent()
    while parent is not None and parent is not tc:
        if parent.tag == _TC:
            return False
        parent = parent.getparent()
    return True


def _cut(texts: list[etree._Element], spans: list[tuple[int, int]]) -> None:
    """Delete the character ranges *spans* of the text spread over *texts*."""
    offset = 0
    for t in texts:
        text = t.text or ""
        start, end = offset, offset + len(text)
        kept = "".join(
            ch for i, ch in enumerate(text, start) if not any(a <= i < b for a, b in spans)
        )
        if kept != text:
            t.text = kept
        offset = end


def _compile_cell(tc: etree._Element, k: int) -> None:
    """Make one marked cell decide while rendering whether it restarts or continues."""
    text = "".join(t.text or "" for t in tc.iter(_T) if _own_cell(t, tc))
    key, keep, prev = f"{STATE}_text{k}", f"{STATE}_keep{k}", f"{STATE}.prev{k}"
    tc.text = (
        f"{{% if loop is defined and loop.first %}}{{% set {prev} = none %}}{{% endif %}}"
        f"{{% set {key} %}}{text.strip()}{{% endset %}}"
        f"{{% set {keep} = {STATE}.chain and {prev} == {key} %}}"
    )
    properties = tc.find(_TC_PR)
    if properties is None:
        properties = etree.Element(_TC_PR)
        tc.insert(0, properties)
    for old in properties.findall(_V_MERGE):
        properties.remove(old)
    index = sum(1 for child in properties if child.tag in _BEFORE_VMERGE)
    restart = etree.Element(_V_MERGE)
    restart.set(_VAL, "restart")
    continued = etree.Element(_V_MERGE)
    properties.insert(index, continued)
    properties.insert(index + 1, restart)
    _before(properties, continued, f"{{% if {keep} %}}")
    continued.tail = "{% else %}"
    restart.tail = "{% endif %}" + (restart.tail or "")

    paragraphs = [child for child in tc if child.tag != _TC_PR]
    empty = etree.Element(_P)
    first_properties = paragraphs[0].find(_P_PR) if paragraphs else None
    if first_properties is not None:
        empty.append(copy.deepcopy(first_properties))
    properties.addnext(empty)
    properties.tail = f"{{% if {keep} %}}"
    empty.tail = "{% else %}"
    last = paragraphs[-1] if paragraphs else empty
    last.tail = (
        (last.tail or "")
        + "{% endif %}"
        + f"{{% set {prev} = {key} %}}{{% set {STATE}.chain = {keep} %}}"
    )


def _before(parent: etree._Element, element: etree._Element, text: str) -> None:
    """Put *text* right before *element* inside *parent*."""
    previous = element.getprevious()
    if previous is None:
        parent.text = (parent.text or "") + text
    else:
        previous.tail = (previous.tail or "") + text
