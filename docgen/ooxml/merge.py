"""Vertical merges of table cells by group, done on the element tree.

A template marks a cell with ``{% vmerge %}`` (typically in a looped row: ``{{ row.一级指标 }}
{% vmerge %}``).  Before compiling, ``mark_vmerge_cells`` removes the tag and puts a marker
``w:vMerge`` into the cell's properties at the schema's place.  After rendering,
``resolve_vmerges`` walks each table top to bottom: a marked cell continues the marked cell
above it when both show the same text *and* every marked cell to its left in the row
continues too.  So a 二级指标 never merges across a 一级指标 boundary, and two equal names in
different groups stay apart.  Cells that merge with nothing lose the marker.

docxtpl's own ``{% vm %}`` is not used: it merges a whole loop column regardless of groups and
writes ``w:vMerge`` after ``w:vAlign``, which Word rejects.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARK_NS = "urn:docgen:vmerge"
MARK = f"{{{MARK_NS}}}auto"
NS = {"w": W}

# The merge tag as typed in a cell: "{% vmerge %}", "{%vmerge%}", "{%- vmerge -%}".
VMERGE_TAG = re.compile(r"\{%-?\s*vmerge\s*-?%\}")

# CT_TcPr children that come before w:vMerge in the schema's sequence.
_BEFORE_VMERGE = {f"{{{W}}}{name}" for name in ("cnfStyle", "tcW", "gridSpan", "hMerge")}


_P, _T, _TC, _TR, _TBL = (f"{{{W}}}{n}" for n in ("p", "t", "tc", "tr", "tbl"))
_TC_PR, _P_PR, _V_MERGE = (f"{{{W}}}{n}" for n in ("tcPr", "pPr", "vMerge"))
_GRID_SPAN, _VAL = f"{{{W}}}gridSpan", f"{{{W}}}val"


def mark_vmerge_cells(root: etree._Element) -> int:
    """Replace ``{% vmerge %}`` tags in cells by merge markers; return how many."""
    count = 0
    for tc in root.iter(_TC):
        texts = [t for t in tc.iter(_T) if _own_cell(t, tc)]
        joined = "".join(t.text or "" for t in texts)
        spans = [m.span() for m in VMERGE_TAG.finditer(joined)]
        if not spans:
            continue
        _cut(texts, spans)
        _set_marker(tc)
        count += 1
    return count


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


def _set_marker(tc: etree._Element) -> None:
    tc_pr = tc.find(_TC_PR)
    if tc_pr is None:
        tc_pr = etree.SubElement(tc, _TC_PR)
        tc.insert(0, tc_pr)
    old = tc_pr.find(_V_MERGE)
    if old is not None:
        tc_pr.remove(old)
    marker = etree.Element(_V_MERGE, nsmap={"dgm": MARK_NS})
    marker.set(_VAL, "restart")
    marker.set(MARK, "1")
    index = 0
    for i, child in enumerate(tc_pr):
        if child.tag in _BEFORE_VMERGE:
            index = i + 1
    tc_pr.insert(index, marker)


_MARKERS = etree.XPath("//w:tcPr/w:vMerge[@dgm:auto]", namespaces={"w": W, "dgm": MARK_NS})


def resolve_vmerges(root: etree._Element) -> None:
    """Turn merge markers into real ``w:vMerge`` restart/continue runs, by group."""
    markers = _MARKERS(root)
    tables: dict[int, etree._Element] = {}
    for marker in markers:
        tbl = marker.getparent().getparent().getparent().getparent()  # tcPr → tc → tr → tbl
        tables.setdefault(id(tbl), tbl)
    for tbl in tables.values():
        above: dict[int, tuple[etree._Element, str]] = {}  # column → (marker, text)
        for tr in tbl.iterchildren(_TR):
            above = _resolve_row(tr, above)
    for marker in markers:
        if marker.get(MARK) is not None:
            marker.getparent().remove(marker)  # merged with nothing: a plain cell
        else:
            etree.cleanup_namespaces(marker)  # drop the marker's xmlns:dgm, nothing else


def _resolve_row(
    tr: etree._Element, above: dict[int, tuple[etree._Element, str]]
) -> dict[int, tuple[etree._Element, str]]:
    current: dict[int, tuple[etree._Element, str]] = {}
    column = _grid_before(tr)
    chain = True  # every marked cell to the left continues the row above
    for tc in tr.iterchildren(_TC):
        properties = tc.find(_TC_PR)
        span, marker = _span_and_marker(properties)
        if marker is not None:
            text = _cell_text(tc)
            upper = above.get(column)
            if chain and upper is not None and upper[1] == text:
                upper_marker = upper[0]
                if upper_marker.get(MARK) is not None:
                    del upper_marker.attrib[MARK]  # the group's first cell: a real restart
                del marker.attrib[MARK]
                del marker.attrib[_VAL]  # no val: continue
                _clear(tc)
            else:
                chain = False
            current[column] = (marker, text)
        column += span
    return current


def _span_and_marker(
    properties: etree._Element | None,
) -> tuple[int, etree._Element | None]:
    """Return a cell's grid span and its merge marker (``None`` unless still unresolved)."""
    if properties is None:
        return 1, None
    span_element = properties.find(_GRID_SPAN)
    span = int(span_element.get(_VAL, "1")) if span_element is not None else 1
    marker = properties.find(_V_MERGE)
    if marker is None or (marker.get(MARK) is None and marker.get(_VAL) is not None):
        return span, None
    return span, marker


def _grid_before(tr: etree._Element) -> int:
    before = tr.find("w:trPr/w:gridBefore", NS)
    return int(before.get(_VAL, "0")) if before is not None else 0


def _cell_text(tc: etree._Element) -> str:
    return "".join(tc.itertext(_T)).strip()


def _clear(tc: etree._Element) -> None:
    """Empty a continued cell, keeping one paragraph with its properties."""
    paragraphs = tc.findall(_P)
    for extra in [*paragraphs[1:], *tc.findall(_TBL)]:
        tc.remove(extra)
    first = paragraphs[0] if paragraphs else etree.SubElement(tc, _P)
    for child in list(first):
        if child.tag != _P_PR:
            first.remove(child)
