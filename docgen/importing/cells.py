"""What the recogniser reads: table rows with their location, the text of cells and labels."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from docgen.i18n import N_, _
from docgen.ooxml.tables import GridCell

# Any whitespace, as labels break across lines ("一级\n指标", "年度 总体 目标").
_SPACE = re.compile(r"\s+")
# A character of the CJK scripts or full-width punctuation: no space is kept beside it when
# a line break is undone ("程\n度" → "程度", but "EMR\n升级" → "EMR升级", "a\nb" → "a b").
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c-\u201d]")
# A printed number: "70,000", "84240.00", "99.09%", "１０．００" (after NFKC).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
EMPTY_MARKS = {"", "-", "—", "–", "——", "/", "／", "无"}
"""What empty fund and score cells hold on real forms."""
# The pieces of a location, each translated on its own and joined by spaces, so that a
# message reads "page 2 table 3 row 4 column 6" in English and "第 2 页 表 3 第 4 行 第 6 列"
# in Chinese whichever pieces a location has.
PAGE = N_("page {page}")
TABLE = N_("table {table}")
ROW = N_("row {row}")
COLUMN = N_("column {column}")
LINE = N_("line {line}")
PARAGRAPH = N_("paragraph {paragraph}")


def is_cjk(character: str) -> bool:
    """Return whether *character* is CJK or full-width (no space is typed beside it)."""
    return bool(_CJK.match(character))


def key(text: str) -> str:
    """Return a label folded for comparison: no whitespace, half-width, no closing colon."""
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return folded.rstrip(":")


def unwrap(text: str) -> str:
    """Return *text* on one line: a break between CJK characters vanishes, else a space."""
    lines = [line.strip() for line in text.replace("\u2028", "\n").split("\n")]
    result = ""
    for line in lines:
        if not line:
            continue
        if result and (result[-1] in ",;:" or not (_CJK.match(line[0]) or _CJK.match(result[-1]))):
            result += " "
        result += line
    return result


def paragraph_where(paragraph: int) -> str:
    """Return the location of a Word paragraph as a message shows it: ``paragraph 3``."""
    return _(PARAGRAPH).format(paragraph=paragraph)


def line_where(page: int, line: int) -> str:
    """Return the location of a PDF line outside tables: ``page 2 line 5``."""
    return " ".join((_(PAGE).format(page=page), _(LINE).format(line=line)))


def number(text: str) -> Decimal | None:
    """Return a printed amount or score exactly (``"70,000"`` → 70000), None when empty.

    Raises ``ValueError`` for text that is not a number.
    """
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", text)).replace(",", "")
    folded = folded.removesuffix("%")
    if folded in EMPTY_MARKS:
        return None
    if not _NUMBER.fullmatch(folded):
        raise ValueError(text)
    return Decimal(folded)


@dataclass(frozen=True)
class Row:
    """One table row of a document, with where it is for messages."""

    cells: tuple[GridCell, ...]
    table: int
    """The table's number in the file, from 1 (a form split across pages spans two)."""
    number: int
    """The row's number in its table, from 1."""
    page: int | None = None
    """The page (PDF only)."""
    edges: tuple[float, ...] = ()
    """The x positions of the grid's column boundaries (PDF only)."""

    def where(self, column: int | None = None) -> str:
        """Return the location as a message shows it: ``table 2 row 5 column 3``."""
        pieces = [_(TABLE).format(table=self.table), _(ROW).format(row=self.number)]
        if self.page is not None:
            pieces.insert(0, _(PAGE).format(page=self.page))
        if column is not None:
            pieces.append(_(COLUMN).format(column=column + 1))
        return " ".join(pieces)

    def bounds(self, column: int) -> tuple[float, float] | None:
        """Return the left and right x of the cell at *column* (PDF only)."""
        if not self.edges or not 0 <= column < len(self.cells):
            return None
        span = [i for i, cell in enumerate(self.cells) if cell == self.cells[column]]
        return self.edges[span[0]], self.edges[span[-1] + 1]

    def has_edge(self, x: float, tolerance: float = 2.0) -> bool:
        """Return whether a column boundary of this row's table lies at *x* (PDF only)."""
        return any(abs(edge - x) <= tolerance for edge in self.edges)

    def column_at(self, x: float) -> int | None:
        """Return the grid column under the x position *x* (PDF only)."""
        for i in range(len(self.edges) - 1):
            if self.edges[i] <= x < self.edges[i + 1]:
                return i
        return None

    def text(self, column: int) -> str:
        """Return the text at a grid column ("" beyond the row's end)."""
        if 0 <= column < len(self.cells):
            return self.cells[column].text.strip()
        return ""

    def segments(self) -> list[tuple[int, str]]:
        """Return the row's distinct cells as (first grid column, text), left to right."""
        found: list[tuple[int, str]] = []
        previous: GridCell | None = None
        for column, cell in enumerate(self.cells):
            if cell is not previous and cell != previous:
                found.append((column, cell.text.strip()))
            previous = cell
        return found

    def labels(self) -> list[tuple[int, str]]:
        """Return the segments with their text folded as labels."""
        return [(column, key(text)) for column, text in self.segments()]

    def find(self, *labels: str, prefix: bool = False) -> int | None:
        """Return the grid column of the first cell labelled *labels* (or starting with one)."""
        for column, folded in self.labels():
            if any(folded == label or (prefix and folded.startswith(label)) for label in labels):
                return column
        return None

    def after(self, column: int) -> str:
        """Return the text of the first non-empty cell right of the one at *column*."""
        column = self.after_where(column)
        return self.text(column)

    def after_where(self, column: int) -> int:
        """Return the grid column of the cell that ``after`` reads."""
        label = self.cells[column]
        for offset, cell in enumerate(self.cells[column + 1 :], start=column + 1):
            if cell != label and cell.text.strip() and key(cell.text) != key(label.text):
                return offset
        return column + 1
