"""Read the text of a PDF page by page: lines outside tables, and tables as cell grids.

pdfplumber finds each table from its ruling lines; a merged cell fills every grid position it
covers (as ``docgen.ooxml.tables`` does for Word), so one recogniser reads both.  A table
that crosses a page comes back as two grids, one per page, in reading order.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from docgen.errors import InputError
from docgen.ooxml.tables import GridCell, Paragraph, TableGrid

__all__ = ["PdfBlock", "read_pdf_blocks"]

MAX_PAGES = 500


@dataclass(frozen=True)
class PdfBlock:
    """A paragraph line or a table, with the page it is on (from 1)."""

    page: int
    block: Paragraph | TableGrid


def read_pdf_blocks(data: bytes, name: str) -> list[PdfBlock]:
    """Return the lines and tables of every page of a PDF, in reading order.

    Raises ``InputError`` naming the file for a damaged PDF or one without any text (a scan).
    """
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(
                    f"the PDF has {len(pdf.pages)} pages; at most {MAX_PAGES} are imported",
                    file=name,
                    hint="split the file",
                )
            blocks: list[PdfBlock] = []
            any_text = False
            for number, page in enumerate(pdf.pages, start=1):
                page_blocks, has_text = _page_blocks(page)
                any_text = any_text or has_text
                blocks.extend(PdfBlock(number, block) for block in page_blocks)
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"cannot read the PDF: {exc or type(exc).__name__}",
            file=name,
            hint="the file is damaged or not a PDF; export it again",
        ) from None
    if not any_text:
        raise InputError(
            "the PDF holds no text (a scanned image?)",
            file=name,
            hint="import the Word file it was made from, or a PDF exported with its text",
        )
    return blocks


def _page_blocks(page: Any) -> tuple[list[Paragraph | TableGrid], bool]:
    tables = page.find_tables()
    placed: list[tuple[float, Paragraph | TableGrid]] = [
        (table.bbox[1], _grid(page, table)) for table in tables
    ]
    boxes = [table.bbox for table in tables]
    lines = page.extract_text_lines(return_chars=False)
    for line in lines:
        middle_x, middle_y = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
        if not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom
                   for x0, top, x1, bottom in boxes):  # fmt: skip
            placed.append((line["top"], Paragraph(line["text"])))
    placed.sort(key=lambda item: item[0])
    return [block for _top, block in placed], bool(lines)


def _text_within(page: Any, box: tuple[float, float, float, float]) -> str:
    """Return the text of the characters whose centre lies in *box* (a crop would also take
    the characters that merely touch it: a neighbouring row's)."""
    x0, top, x1, bottom = box

    def inside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return bool(x0 <= middle_x <= x1 and top <= middle_y <= bottom)

    return str(page.filter(inside).crop(box, strict=False).extract_text() or "")


def _grid(page: Any, table: Any) -> TableGrid:
    """Return *table* as grid rows; a merged cell fills the positions it covers."""
    cells = [tuple(c) for c in table.cells]
    xs = sorted({round(c[0], 1) for c in cells} | {round(c[2], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells} | {round(c[3], 1) for c in cells})
    grid: list[list[GridCell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for x0, top, x1, bottom in sorted(cells, key=lambda c: (c[1], c[0])):
        c0, c1 = xs.index(round(x0, 1)), xs.index(round(x1, 1))
        r0, r1 = ys.index(round(top, 1)), ys.index(round(bottom, 1))
        text = _text_within(page, (x0, top, x1, bottom))
        cell = GridCell(text.strip(), r0, c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = cell
    rows = [
        tuple(cell or GridCell("", r, c) for c, cell in enumerate(row))
        for r, row in enumerate(grid)
    ]
    return TableGrid(tuple(rows))
