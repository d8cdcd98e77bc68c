"""Keep-with-next for table rows, decided per row while rendering.

A template marks a row with ``{% keepnext %}`` (always) or ``{% keepnext if COND %}`` in any of
its cells, typically the looped indicator row: ``{% keepnext if loop.revindex <= 2 %}`` keeps
the last two indicator rows with the rows after them (总分, 评分等级), so that those never stand
alone under a repeated header on a page of their own.  ``compile_keeps`` removes the tag and
gives every paragraph of the row a ``<w:keepNext/>`` that Jinja keeps only when COND holds;
Word and LibreOffice keep a row with the next one when its paragraphs keep with the next.
Like ``{% vmerge %}``, the decision is compiled into the template: nothing is parsed after
rendering.
"""

from __future__ import annotations

import re

from lxml import etree

from docgen.ooxml.xml import W

# The tag as typed in a cell: "{% keepnext %}", "{%- keepnext if loop.revindex <= 2 -%}".
KEEP_TAG = re.compile(r"\{%-?\s*keepnext(?:\s+if\s+(?P<cond>.*?))?\s*-?%\}")

_P, _T, _TC, _TR = (f"{{{W}}}{n}" for n in ("p", "t", "tc", "tr"))
_P_PR, _P_STYLE, _KEEP_NEXT = (f"{{{W}}}{n}" for n in ("pPr", "pStyle", "keepNext"))


def compile_keeps(root: etree._Element) -> int:
    """Rewrite every row of *root* marked ``{% keepnext %}``; return how many."""
    count = 0
    for tr in root.iter(_TR):
        conditions = _take_tags(tr)
        if not conditions:
            continue
        condition = " or ".join(f"({c})" for c in conditions) if all(conditions) else ""
        for p in tr.iter(_P):
            if _own_row(p, tr):
                _keep_next(p, condition)
        count += 1
    return count


def _own_row(element: etree._Element, tr: etree._Element) -> bool:
    """Return whether *element* belongs to *tr* itself, not to a table nested in a cell."""
    parent = element.getparent()
    while parent is not None and parent is not tr:
        if parent.tag == _TR:
            return False
        parent = parent.getparent()
    return True


def _take_tags(tr: etree._Element) -> list[str]:
    """Remove the row's ``{% keepnext %}`` tags; return their conditions ("" for always)."""
    conditions: list[str] = []
    for p in tr.iter(_P):
        if not _own_row(p, tr):
            continue
        texts = list(p.iter(_T))
        joined = "".join(t.text or "" for t in texts)
        matches = list(KEEP_TAG.finditer(joined))
        if not matches:
            continue
        conditions += [(m.group("cond") or "").strip() for m in matches]
        _cut(texts, [m.span() for m in matches])
    return conditions


def _cut(texts: list[etree._Element], spans: list[tuple[int, int]]) -> None:
    """Delete the character ranges *spans* of the text spread over *texts*."""
    offset = 0
    for t in texts:
        text = t.text or ""
        kept = "".join(
            ch
            for i, ch in enumerate(text, offset)
            if not any(start <= i < end for start, end in spans)
        )
        if kept != text:
            t.text = kept
        offset += len(text)


def _keep_next(p: etree._Element, condition: str) -> None:
    """Give paragraph *p* a ``w:keepNext``, wrapped in ``{% if condition %}`` when given."""
    properties = p.find(_P_PR)
    if properties is None:
        properties = etree.Element(_P_PR)
        p.insert(0, properties)
    for old in properties.findall(_KEEP_NEXT):
        properties.remove(old)
    keep = etree.Element(_KEEP_NEXT)
    # CT_PPrBase: pStyle comes before keepNext, everything else after it.
    style = properties.find(_P_STYLE)
    properties.insert(1 if style is not None else 0, keep)
    if not condition:
        return
    previous = keep.getprevious()
    opening = f"{{% if {condition} %}}"
    if previous is None:
        properties.text = (properties.text or "") + opening
    else:
        previous.tail = (previous.tail or "") + opening
    keep.tail = "{% endif %}" + (keep.tail or "")
