"""Read the text of a Word document in body order: paragraphs, and tables as cell grids.

Word files from any producer: merged cells as ``w:gridSpan`` / ``w:vMerge`` (each grid
position of a merged cell holds the same ``GridCell``), text split into many runs, inside
content controls (``w:sdt``, which python-docx's ``cell.text`` does not see), fields or
hyperlinks; a cell's paragraphs joined by newlines, ``w:br`` as a newline, ``w:tab`` as a
space.  Nested tables are read as their cell's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen.errors import TemplateProblem
from docgen.i18n import _
from docgen.ooxml.package import read_package
from docgen.ooxml.xml import parse, w

__all__ = ["GridCell", "Paragraph", "TableGrid", "read_docx_blocks"]


@dataclass(frozen=True)
class GridCell:
    """One (possibly merged) cell: its text and the grid position of its top-left corner."""

    text: str
    row: int
    column: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside any table."""

    text: str


@dataclass(frozen=True)
class TableGrid:
    """A table as rows of grid positions; a merged cell fills every position it covers."""

    rows: tuple[tuple[GridCell, ...], ...]
    edges: tuple[float, ...] = ()
    """The x positions of the grid's column boundaries, where known (PDF pages)."""


Block = Paragraph | TableGrid

_P, _TBL, _TR, _TC, _SDT = w("p"), w("tbl"), w("tr"), w("tc"), w("sdt")
_T, _TAB, _BR, _CR = w("t"), w("tab"), w("br"), w("cr")
_DELETED = {w("del"), w("moveFrom")}


def read_docx_blocks(source: str | Path | bytes, name: str | None = None) -> list[Block]:
    """Return the paragraphs and tables of a .docx body in document order.

    Raises ``TemplateProblem`` for a file that is not a safe Word package or whose
    ``word/document.xml`` is damaged.
    """
    package = read_package(source, name)
    try:
        root = parse(package.part("word/document.xml"))
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(
            _("{part} is damaged ({error})").format(part="word/document.xml", error=exc),
            file=package.name,
        ) from None
    body = root.find(w("body"))
    if body is None:
        return []
    return list(_blocks(body))


def _blocks(parent: etree._Element) -> list[Block]:
    found: list[Block] = []
    for child in parent:
        if child.tag == _P:
            found.append(Paragraph(_paragraph_text(child)))
        elif child.tag == _TBL:
            found.append(_table(child))
        elif child.tag == _SDT:  # a block-level content control: its content is body
            content = child.find(w("sdtContent"))
            if content is not None:
                found.extend(_blocks(content))
    return found


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        if any(a.tag in _DELETED for a in node.iterancestors()):
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cells_of(row: etree._Element) -> list[etree._Element]:
    """Return a row's cells, looking inside row-level content controls."""
    cells: list[etree._Element] = []
    for child in row:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag == _SDT:
            content = child.find(w("sdtContent"))
            if content is not None:
                cells.extend(_cells_of(content))
    return cells


def _rows_of(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == _TR:
            rows.append(child)
        elif child.tag == _SDT:
            content = child.find(w("sdtContent"))
            if content is not None:
                rows.extend(_rows_of(content))
    return rows


def _cell_text(cell: etree._Element) -> str:
    paragraphs: list[str] = []
    for block in _blocks(cell):
        if isinstance(block, Paragraph):
            paragraphs.append(block.text)
        else:  # a nested table: its cells' text, row by row
            for row in block.rows:
                seen: list[GridCell] = []
                for grid_cell in row:
                    if grid_cell not in seen:
                        seen.append(grid_cell)
                paragraphs.append(" ".join(c.text for c in seen if c.text))
    return "\n".join(paragraphs)


def _int_attr(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(1, int(element.get(w("val"), default)))
    except ValueError:
        return default


def _table(table: etree._Element) -> TableGrid:
    rows: list[list[GridCell]] = []
    for r, row in enumerate(_rows_of(table)):
        before = _int_attr(row.find(f"{w('trPr')}/{w('gridBefore')}"), 0)
        cells: list[GridCell] = [GridCell("", r, c) for c in range(before)]
        for cell in _cells_of(row):
            properties = cell.find(w("tcPr"))
            span = _int_attr(None if properties is None else properties.find(w("gridSpan")), 1)
            merge = None if properties is None else properties.find(w("vMerge"))
            column = len(cells)
            above = rows[-1][column] if rows and column < len(rows[-1]) else None
            if merge is not None and merge.get(w("val"), "continue") == "continue" and above:
                grid_cell = above
            else:
                grid_cell = GridCell(_cell_text(cell), r, column)
            cells.extend([grid_cell] * span)
        rows.append(cells)
    return TableGrid(tuple(tuple(row) for row in rows))
