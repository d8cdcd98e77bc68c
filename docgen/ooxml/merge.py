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


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def mark_vmerge_cells(root: etree._Element) -> int:
    """Replace ``{% vmerge %}`` tags in cells by merge markers; return how many."""
    count = 0
    for tc in root.iter(_w("tc")):
        texts = [t for t in tc.iter(_w("t")) if _own_cell(t, tc)]
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
        if parent.tag == _w("tc"):
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
    tc_pr = tc.find(_w("tcPr"))
    if tc_pr is None:
        tc_pr = etree.SubElement(tc, _w("tcPr"))
        tc.insert(0, tc_pr)
    old = tc_pr.find(_w("vMerge"))
    if old is not None:
        tc_pr.remove(old)
    marker = etree.Element(_w("vMerge"), nsmap={"dgm": MARK_NS})
    marker.set(_w("val"), "restart")
    marker.set(MARK, "1")
    index = 0
    for i, child in enumerate(tc_pr):
        if child.tag in _BEFORE_VMERGE:
            index = i + 1
    tc_pr.insert(index, marker)


def resolve_vmerges(root: etree._Element) -> None:
    """Turn merge markers into real ``w:vMerge`` restart/continue runs, by group."""
    for tbl in root.iter(_w("tbl")):
        above: dict[int, tuple[etree._Element, str]] = {}
        for tr in tbl.findall(_w("tr")):
            above = _resolve_row(tr, above)
    for marker in list(root.iterfind(".//w:tcPr/w:vMerge", NS)):
        if marker.get(MARK) is not None:
            marker.getparent().remove(marker)  # merged with nothing: a plain cell
        elif MARK_NS in marker.nsmap.values():
            etree.cleanup_namespaces(marker)  # drop the marker's xmlns:dgm, nothing else


def _resolve_row(
    tr: etree._Element, above: dict[int, tuple[etree._Element, str]]
) -> dict[int, tuple[etree._Element, str]]:
    current: dict[int, tuple[etree._Element, str]] = {}
    column = _grid_before(tr)
    chain = True  # every marked cell to the left continues the row above
    for tc in tr.findall(_w("tc")):
        span = _grid_span(tc)
        marker = _marker(tc)
        if marker is not None:
            text = _cell_text(tc)
            upper = above.get(column)
            if chain and upper is not None and upper[1] == text:
                upper_marker = _marker(upper[0])
                if upper_marker is not None:  # the group's first cell: now a real restart
                    del upper_marker.attrib[MARK]
                marker.attrib.pop(MARK, None)
                del marker.attrib[_w("val")]  # no val: continue
                _clear(tc)
                current[column] = (tc, text)
            else:
                chain = False
                current[column] = (tc, text)
        column += span
    return current


def _marker(tc: etree._Element) -> etree._Element | None:
    marker = tc.find("w:tcPr/w:vMerge", NS)
    if marker is None:
        return None
    if marker.get(MARK) is not None:
        return marker
    return None


def _grid_before(tr: etree._Element) -> int:
    before = tr.find("w:trPr/w:gridBefore", NS)
    return int(before.get(_w("val"), "0")) if before is not None else 0


def _grid_span(tc: etree._Element) -> int:
    span = tc.find("w:tcPr/w:gridSpan", NS)
    return int(span.get(_w("val"), "1")) if span is not None else 1


def _cell_text(tc: etree._Element) -> str:
    return "\n".join(
        "".join(t.text or "" for t in p.iter(_w("t"))) for p in tc.findall(_w("p"))
    ).strip()


def _clear(tc: etree._Element) -> None:
    """Empty a continued cell, keeping one paragraph with its properties."""
    paragraphs = tc.findall(_w("p"))
    for extra in [*paragraphs[1:], *tc.findall(_w("tbl"))]:
        tc.remove(extra)
    first = paragraphs[0] if paragraphs else etree.SubElement(tc, _w("p"))
    for child in list(first):
        if child.tag != _w("pPr"):
            first.remove(child)
