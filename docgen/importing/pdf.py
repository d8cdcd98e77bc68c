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
from docgen.i18n import _
from docgen.importing.cells import is_cjk
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
                    _("the PDF has {pages} pages; at most {limit} are imported").format(
                        pages=len(pdf.pages), limit=MAX_PAGES
                    ),
                    file=name,
                    hint=_("split the file"),
                )
            blocks: list[PdfBlock] = []
            any_text = False
            for number, page in enumerate(pdf.pages, start=1):
                page_blocks, has_text = _page_blocks(page)
                any_text = any_text or has_text
                blocks.extend(PdfBlock(number, block) for block in page_blocks)
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            _("cannot read the PDF: {reason}").format(reason=exc or type(exc).__name__),
            file=name,
            hint=_("the file is damaged or not a PDF; export it again"),
        ) from None
    if not any_text:
        raise InputError(
            _("the PDF holds no text (a scanned image?)"),
            file=name,
            hint=_("import the Word file it was made from, or a PDF exported with its text"),
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


Char = dict[str, Any]
_SPACE_GAP = 3.0
"""A gap between two characters wider than this (points) is a space, as pdfplumber reads it
(layouts put narrower gaps between CJK and Latin characters that are no space)."""


def _inside(char: Char, box: tuple[float, float, float, float]) -> bool:
    """Return whether a character's centre lies in *box* (a crop would also take the
    characters that merely touch it: a neighbouring row's)."""
    x0, top, x1, bottom = box
    middle_x, middle_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return bool(x0 <= middle_x <= x1 and top <= middle_y <= bottom)


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Return *chars* as printed lines, top to bottom, each left to right."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - char["top"]) < char["size"] / 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _line_text(line: list[Char]) -> str:
    text = ""
    for previous, char in zip([None, *line], line, strict=False):
        if previous is not None and char["x0"] - previous["x1"] > _SPACE_GAP:
            text += " "
        text += char["text"]
    return text


def _word_width(line: list[Char], from_end: bool) -> float:
    """Return the width of the run of non-CJK, non-space characters at a line's end/start."""
    chars = list(reversed(line)) if from_end else line
    run: list[Char] = []
    for char in chars:
        if char["text"].isspace() or is_cjk(char["text"]):
            break
        if run:
            gap = run[-1]["x0"] - char["x1"] if from_end else char["x0"] - run[-1]["x1"]
            if gap > _SPACE_GAP:
                break
        run.append(char)
    return float(sum(c["x1"] - c["x0"] for c in run))


def _latin(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _cell_text(chars: list[Char], width: float) -> str:
    """Return a cell's text with its wrapped lines joined as they were typed.

    A break vanishes, unless it follows half-width punctuation (", ") or falls between two
    Latin letters or digits of words that fit the cell together (else the line was broken
    inside a word: "=100.0" "0(%)").  A space typed before a bracket or beside a CJK
    character and swallowed by a wrap cannot be told from none, and is lost.
    """
    text = ""
    previous: list[Char] | None = None
    for line in _lines(chars):
        line_text = _line_text(line).strip()
        if not line_text:
            continue
        if previous is not None and text:
            if text[-1] in ",;:":  # "工作," "排除": half-width punctuation is followed by a space
                text += " "
            elif (
                _latin(text[-1])
                and _latin(line_text[0])
                and _word_width(previous, True) + _word_width(line, False) < width - 4
            ):
                text += " "  # two words that fit the cell together: the wrap took a space
        text += line_text
        previous = line
    return text


def _grid(page: Any, table: Any) -> TableGrid:
    """Return *table* as grid rows; a merged cell fills the positions it covers."""
    cells = [tuple(c) for c in table.cells]
    xs = sorted({round(c[0], 1) for c in cells} | {round(c[2], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells} | {round(c[3], 1) for c in cells})
    grid: list[list[GridCell | None]] = [[None] * (len(xs) - 1) for _row in range(len(ys) - 1)]
    chars = page.chars
    for x0, top, x1, bottom in sorted(cells, key=lambda c: (c[1], c[0])):
        c0, c1 = xs.index(round(x0, 1)), xs.index(round(x1, 1))
        r0, r1 = ys.index(round(top, 1)), ys.index(round(bottom, 1))
        box = (x0, top, x1, bottom)
        text = _cell_text([c for c in chars if _inside(c, box)], x1 - x0)
        cell = GridCell(text.strip(), r0, c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = cell
    rows = [
        tuple(cell or GridCell("", r, c) for c, cell in enumerate(row))
        for r, row in enumerate(grid)
    ]
    return TableGrid(tuple(rows), tuple(xs))
