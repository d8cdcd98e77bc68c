"""Decode the values of a workbook's cells exactly, and name the cells they come from.

**Numbers are exact.** An .xlsx file stores a number as the shortest decimal text that reads
back as the same binary double (Excel writes ``162.3`` for 162.30), and openpyxl gives it as a
float. ``repr`` of a float is that same shortest text, so ``Decimal(repr(value))`` is exactly
the number in the file: 162.30 is read as 162.3, never as 162.2999999999999971578….
Integers stay ``int``. A number with more than 15 significant digits cannot be stored exactly
as a double; the writer stores it as text, and text in a number column is read as a decimal.

**Locations.** Every value's place is a cell reference such as ``绩效指标!I14``. A
``SourceProject`` from a workbook maps each path to its cell where a text file maps it to a
line, so findings print as ``填报.xlsx:绩效指标!I14: error: 绩效指标[3].得分: …``.

Text columns keep their text (a number typed in one becomes the number's text), a formula counts
with the value that Excel or LibreOffice computed, and ``=""`` is the empty text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.excel.layout import EMPTY_LIST, EMPTY_TEXT_FORMULA, NUMBER_KINDS, Column
from docgen.sources.loader import DataPath
from docgen.sources.yaml_events import checked_decimal


def cell_location(sheet: str, row: int, column: int) -> str:
    """Return a cell's reference as Excel writes it: ``绩效指标!I14`` (1-based row, column)."""
    return f"{sheet}!{get_column_letter(column)}{row}"


def location(where: str | dict[DataPath, str]) -> Any:
    """Return a cell reference (or a map of them) where a line number is expected.

    A location is a text file's line number or a workbook's cell reference: ``Finding.line``,
    ``InputError.line`` and ``SourceProject.line_map`` take either (``docgen.errors.Location``).
    """
    return where


# --- what a cell holds ----------------------------------------------------------------------


class EmptyText:
    """A cell that holds the formula ``=""``: the empty text, not an empty cell."""


BLANK_TEXT = EmptyText()


@dataclass(frozen=True)
class Formula:
    """A cell's formula, to be replaced by the value the file stores for it."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell showing an error such as ``#DIV/0!``."""

    text: str


def raw_value(cell: Any) -> Any:
    """Return a cell's value; formulas and error values marked as such."""
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        text = value if isinstance(value, str) else getattr(value, "text", "") or ""
        return BLANK_TEXT if text.replace(" ", "") == EMPTY_TEXT_FORMULA else Formula(str(text))
    if kind == "e":
        return ErrorValue(str(value))
    if value == "":
        return None
    return value


# --- turning cells into values ------------------------------------------------------------

_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _number(text: str) -> int | Decimal | None:
    """Return the number that *text* spells (``1,316,006.97`` too), or ``None``."""
    text = text.strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else checked_decimal(text)
    except (InvalidOperation, ValueError):  # not a number, thousands of digits, 1e999999
        return None


def _from_float(value: float) -> int | Decimal:
    """Return a float read from the file as the exact decimal the file stores (see above)."""
    number = Decimal(repr(value))  # a float is at most ~1.8e308: safe to compare and convert
    if number.is_finite() and number == number.to_integral_value() and abs(number) < 2**53:
        return int(number)
    return number


def _text_of(value: Any) -> Any:
    """Return a value in a text column as text: numbers as written, dates as ISO dates."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = _from_float(value)
        return str(number) if isinstance(number, int) else format(number, "f")
    return date_text(value)


def date_text(value: Any) -> Any:
    """Return dates and times as ISO text; any other value as it is."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return str(value) if isinstance(value, datetime.timedelta) else value.isoformat()
    return value


_CENTS = Decimal("0.01")


_TOO_LARGE = Decimal("1e20")


def _as_printed(number: int | Decimal, column: Column) -> int | Decimal:
    """Return money and scores with at least two decimals, as the form prints them.

    The value does not change: 3.1 becomes 3.10, and whole numbers stay whole (分值 10).
    """
    if column.kind == "year" or not isinstance(number, Decimal) or not number.is_finite():
        return number
    if abs(number) >= _TOO_LARGE:
        return number  # refused with its cell by validation; cents would exceed the precision
    exponent = number.as_tuple().exponent
    return number.quantize(_CENTS) if isinstance(exponent, int) and exponent > -2 else number


def cell_value(raw: Any, column: Column) -> Any:
    """Return the data value of a non-empty cell in *column*."""
    if raw is BLANK_TEXT:
        return [] if column.kind == "lines" else ""
    if column.kind in NUMBER_KINDS:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, float):
            return _as_printed(_from_float(raw), column)
        if isinstance(raw, str):
            number = _number(raw)
            return raw if number is None else number
        return date_text(raw)
    value = _text_of(raw)
    if column.kind == "lines" and isinstance(value, str):
        if value.strip() == EMPTY_LIST:
            return []
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def key_name(value: Any) -> str:
    """Return a 项目名称 as rows are matched by it: trimmed, each run of spaces as one."""
    return " ".join(str(value).split())


def key_year(value: Any) -> Any:
    """Return a 年度 as rows are matched by it: a whole number as ``int``."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value.strip() if isinstance(value, str) else value
