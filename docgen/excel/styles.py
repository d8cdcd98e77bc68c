"""How the workbooks docgen writes look: number formats, fonts, fills, borders, row heights.

The data-entry workbook (``docgen.excel.writer``, ``docgen.excel.guide``) and the batch's
汇总.xlsx (``docgen.excel.summary``) share these, so their headers look the same.
"""

from __future__ import annotations

import math
from unicodedata import east_asian_width

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from docgen.excel.layout import Column, Kind
from docgen.i18n import N_

INTEGER_FORMAT = "0"
AMOUNT_FORMAT = "#,##0.00"
SCORE_FORMAT = "0.00"
TEXT_FORMAT = "@"
"""Text, so that Excel keeps ``=100.00(%)`` or ``007`` as typed."""

NUMBER_FORMATS: dict[Kind, str] = {
    "year": INTEGER_FORMAT,
    "amount": AMOUNT_FORMAT,
    "score": SCORE_FORMAT,
    "line": TEXT_FORMAT,
    "text": TEXT_FORMAT,
    "choice": TEXT_FORMAT,
    "lines": TEXT_FORMAT,
}
FORMAT_WORDS: dict[Kind, str] = {
    "year": N_("Whole number"),
    "amount": N_("Amount (a number, shown with two decimals)"),
    "score": N_("Score (a number, shown with two decimals)"),
    "line": N_("Text (one line)"),
    "text": N_("Text (line breaks start paragraphs)"),
    "choice": N_("Drop-down choice"),
    "lines": N_("One item per line"),
}
"""What a column of each kind holds, in the words of the 填写说明 sheet (msgids)."""

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
"""The header of a column that must be filled in."""
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TEXT_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
PLAIN_ALIGNMENT = Alignment(vertical="top")

LINE_HEIGHT = 18
MAX_ROW_LINES = 8
"""A filled row is made as high as its longest text needs, up to this many lines."""
WRAPPED_KINDS: frozenset[Kind] = frozenset({"text", "lines", "line"})


def alignment(column: Column) -> Alignment:
    """Return how a column's cells are aligned: text wraps, numbers do not."""
    return TEXT_ALIGNMENT if column.kind in WRAPPED_KINDS else PLAIN_ALIGNMENT


def text_lines(text: str, width: float) -> int:
    """Return about how many lines *text* takes in a column (East Asian characters count 2)."""
    room = max(width - 1, 1)
    return sum(
        max(1, math.ceil(sum(2 if east_asian_width(c) in "WF" else 1 for c in part) / room))
        for part in text.split("\n")
    )
