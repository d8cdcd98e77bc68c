"""Write the data-entry workbook (.xlsx): empty as a template, or filled with projects.

The layout (sheets, columns, what each holds) is ``docgen.excel.layout``'s, and
``docgen.excel.reader`` reads it back. Writing and reading again gives the same projects;
``write_workbook`` refuses data that has no place in the workbook (an unknown key, say) rather
than dropping it (``docgen.excel.placement``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.excel.guide import write_guide
from docgen.excel.layout import DATA_SHEETS, EMPTY_TEXT_FORMULA, GUIDE_SHEET, Column, Sheet
from docgen.excel.placement import MISSING, Placer, Row, Text, canonical_project
from docgen.excel.save import workbook_bytes
from docgen.excel.styles import (
    BORDER,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LINE_HEIGHT,
    MAX_ROW_LINES,
    NUMBER_FORMATS,
    REQUIRED_FONT,
    WRAPPED_KINDS,
    alignment,
    text_lines,
)
from docgen.i18n import _

__all__ = ["write_workbook"]

_LAST_ROW = 1048576


def write_workbook(projects: Sequence[Any] | None = None) -> bytes:
    """Return the data-entry workbook as deterministic .xlsx bytes.

    Without *projects*, an empty template. Each project is raw data as a YAML or JSON file
    gives it (labels or English names, flat or nested 绩效指标). Raises ``UnplaceableError``
    for a value the workbook has no place for.
    """
    placer = Placer()
    for index, data in enumerate(projects or []):
        placer.add(index, canonical_project(data))
    book = Workbook()
    for position, sheet in enumerate(DATA_SHEETS):
        ws = book.active if position == 0 else book.create_sheet()
        ws.title = sheet.name
        _write_sheet(ws, sheet, placer.rows[sheet.name])
    write_guide(book.create_sheet(GUIDE_SHEET))
    book.active = 0
    return workbook_bytes(book, title=_("Fiscal project performance self-evaluation: data entry"))


def _write_sheet(ws: Any, sheet: Sheet, rows: list[Row]) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(number)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = NUMBER_FORMATS[column.kind]
        dimension.alignment = alignment(column)
        cell = ws.cell(row=1, column=number, value=column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT
    ws.row_dimensions[1].height = 36
    for r, row in enumerate(rows, start=2):
        for number, (column, value) in enumerate(zip(sheet.columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=number)
            if value is not MISSING:
                _set(cell, value)
            cell.number_format = NUMBER_FORMATS[column.kind]
            cell.alignment = alignment(column)
            cell.border = BORDER
        lines = max(_lines(value, column) for column, value in zip(sheet.columns, row, strict=True))
        if lines > 1:
            ws.row_dimensions[r].height = min(lines, MAX_ROW_LINES) * LINE_HEIGHT
    for number, column in enumerate(sheet.columns, start=1):
        validation = _validation(column)
        if validation is not None:
            letter = get_column_letter(number)
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "C2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"


def _set(cell: Any, value: Any) -> None:
    if isinstance(value, Text):
        if value == "":
            cell.value = EMPTY_TEXT_FORMULA  # the empty text, not an empty cell
            return
        cell.value = str(value)
        cell.data_type = "s"  # text, even when it starts with "="
        return
    cell.value = value


def _lines(value: Any, column: Column) -> int:
    """Return about how many lines a wrapped cell needs."""
    if not isinstance(value, str) or column.kind not in WRAPPED_KINDS:
        return 1
    return text_lines(value, column.width)


def _validation(column: Column) -> DataValidation | None:
    if column.choices:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices) + '"',
            allow_blank=True,
            errorStyle="stop" if column.strict else "warning",
            errorTitle=column.header,
            error=(
                _("Choose from the list: {choices}")
                if column.strict
                else _("Choose from the list: {choices}; to use another name, click Yes")
            ).format(choices=_(", ").join(column.choices)),
            promptTitle=column.header,
            prompt=column.describe()[:255],
            showErrorMessage=True,
            showInputMessage=True,
        )
    if column.kind == "amount":
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorTitle=column.header,
            error=_("Type a number not below 0 (without a unit)"),
            showErrorMessage=True,
        )
    if column.kind == "year":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="1990",
            formula2="2100",
            allow_blank=True,
            errorTitle=column.header,
            error=_("Type the year in four digits, such as 2024"),
            showErrorMessage=True,
        )
    return None
