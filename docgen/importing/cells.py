"""What the recogniser reads: table rows with their location, the text of cells and labels."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

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
        place = f"page {self.page} " if self.page is not None else ""
        text = f"{place}table {self.table} row {self.number}"
        return text if column is None else f"{text} column {column + 1}"

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
