"""Write the data-entry workbook (.xlsx): empty as a template, or filled with projects.

The layout (sheets, columns, what each holds) is ``docgen.excel.layout``'s, and
``docgen.excel.reader`` reads it back. Writing and reading again gives the same projects;
``write_workbook`` refuses data that has no place in the workbook (an unknown key, say) rather
than dropping it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel

from docgen.errors import InputError
from docgen.excel.layout import (
    ARRANGEMENT_SHEET,
    DATA_SHEETS,
    EMPTY_LIST,
    EMPTY_TEXT_FORMULA,
    GUIDE_SHEET,
    INDICATOR_SHEET,
    PROJECT_SHEET,
    SPENDING_SHEET,
    Column,
    Sheet,
)
from docgen.excel.save import workbook_bytes
from docgen.excel.styles import (
    BORDER,
    FORMAT_WORDS,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LINE_HEIGHT,
    MAX_ROW_LINES,
    NUMBER_FORMATS,
    REQUIRED_FONT,
    TEXT_ALIGNMENT,
    WRAPPED_KINDS,
    alignment,
    text_lines,
)
from docgen.model.base import inner_model
from docgen.model.indicators import flatten_indicators
from docgen.model.project import Project
from docgen.sources.loader import DataPath

__all__ = ["UnplaceableError", "canonical_project", "write_workbook"]

MAX_CELL_TEXT = 32767
"""Excel keeps at most this many characters in a cell."""
EXCEL_DIGITS = 15
_LAST_ROW = 1048576


class UnplaceableError(InputError):
    """A project's value has no place in the workbook; ``index`` says which project."""

    def __init__(self, index: int, path: DataPath, message: str, hint: str | None = None) -> None:
        super().__init__(message, path=path, hint=hint)
        self.index = index


# --- the form's keys, in the form's order -------------------------------------------------


def canonical_project(data: Any) -> Any:
    """Return a project's raw data with the form's labels as keys, in the form's order.

    English names become labels (``funds`` → ``项目资金``), nested 绩效指标 become flat rows
    with their group names, and keys the form does not know stay, as they are, at the end.
    Values are not touched: ``162.30`` stays ``Decimal('162.30')`` and text stays as typed.
    """
    return _canonical(data, Project)


def _canonical(value: Any, model: type[BaseModel] | None) -> Any:
    if model is None or not isinstance(value, Mapping):
        return value
    rest = dict(value)
    result: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        label = field.alias or name
        for key in (label, name):
            if key in rest:
                item = rest.pop(key)
                if label == "绩效指标" and isinstance(item, Mapping):
                    item = [row for row, _origin in flatten_indicators(item)]
                inner = inner_model(field.annotation)
                if isinstance(item, list):
                    result[label] = [_canonical(element, inner) for element in item]
                else:
                    result[label] = _canonical(item, inner)
                break
    result.update(rest)
    return result


# --- placing a project's values into rows -------------------------------------------------

_MISSING = object()
_LIST_PATHS = {c.path for c in PROJECT_SHEET.columns if c.kind == "lines"}
_CONTAINERS = {
    *(c.path[:end] for c in PROJECT_SHEET.columns for end in range(1, len(c.path))),
    *(sheet.base for sheet in DATA_SHEETS[1:]),
}
"""Paths that hold fields or rows, never one value: 项目资金, 绩效指标, …"""


def _get(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _leaves(value: Any, path: DataPath = ()) -> Iterator[DataPath]:
    """Yield the path of every value in a project (a list column's list is one value)."""
    if path in _LIST_PATHS or not isinstance(value, (Mapping, list)):
        yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    else:
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))


Row = list[Any]
"""One sheet row: a value or ``_MISSING`` per column of the sheet."""


class _Placer:
    """Turn canonical projects into the rows of each sheet, remembering what was placed."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {sheet.name: [] for sheet in DATA_SHEETS}
        self.keys: dict[tuple[str, Any], int] = {}
        self.names: dict[str, list[tuple[Any, bool]]] = {}

    def add(self, index: int, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise UnplaceableError(
                index, (), "a project must be a mapping of keys (年度, 项目名称, …)"
            )
        placed: set[DataPath] = set()
        self.rows[PROJECT_SHEET.name].append(self._row(index, PROJECT_SHEET, data, (), placed))
        items = [
            (INDICATOR_SHEET, _get(data, INDICATOR_SHEET.base)),
            (SPENDING_SHEET, _get(data, SPENDING_SHEET.base)),
        ]
        key = (_get(data, ("项目名称",)), _get(data, ("年度",)))
        for sheet, rows in items:
            if isinstance(rows, list):
                for i, item in enumerate(rows):
                    self._item(index, sheet, key, (*sheet.base, i), item, placed)
        arrangement = _get(data, ARRANGEMENT_SHEET.base)
        if isinstance(arrangement, Mapping):
            for category, item in arrangement.items():
                path = (*ARRANGEMENT_SHEET.base, category)
                self._item(index, ARRANGEMENT_SHEET, key, path, item, placed, category)
        for path in _leaves(data):
            if path in _CONTAINERS:
                raise UnplaceableError(
                    index, path, "expected fields or rows here, as the form has them"
                )
            if path not in placed:
                raise UnplaceableError(
                    index,
                    path,
                    "this value has no column in the workbook",
                    "a workbook holds only the form's fields; correct or remove the key "
                    "(`docgen check` suggests the right name), or keep this project in YAML",
                )
        self._remember(index, key, placed)

    def _item(
        self,
        index: int,
        sheet: Sheet,
        key: tuple[Any, Any],
        path: DataPath,
        item: Any,
        placed: set[DataPath],
        category: Any = _MISSING,
    ) -> None:
        if not isinstance(item, Mapping):
            raise UnplaceableError(index, path, f"a row of {sheet.name} must be a mapping")
        if key[0] in (_MISSING, None, ""):
            raise UnplaceableError(
                index,
                ("项目名称",),
                f"a project without 项目名称 cannot keep its {sheet.name} rows in a workbook",
                "fill in 项目名称",
            )
        row = self._row(index, sheet, item, path, placed)
        for position, column in enumerate(sheet.columns):
            if column.role == "key":
                value = key[0] if column.header == "项目名称" else key[1]
                row[position] = self._cell(index, column, column.path, value)
            elif column.role == "category":
                row[position] = self._cell(index, column, path, category)
        self.rows[sheet.name].append(row)

    def _row(
        self, index: int, sheet: Sheet, data: Any, base: DataPath, placed: set[DataPath]
    ) -> Row:
        row: Row = []
        for column in sheet.columns:
            value = _MISSING if column.role != "value" else _get(data, column.path)
            if value is not _MISSING:
                placed.add((*base, *column.path))
            row.append(self._cell(index, column, (*base, *column.path), value))
        return row

    def _cell(self, index: int, column: Column, path: DataPath, value: Any) -> Any:
        """Return what a cell holds for *value*, or refuse a value it cannot hold."""
        if value is _MISSING or value is None:
            return _MISSING
        if column.kind == "lines" and isinstance(value, list):
            if any(isinstance(item, (Mapping, list)) for item in value):
                raise UnplaceableError(index, path, "a list of names holds a mapping or a list")
            lines = [_plain(item) for item in value]
            if any("\n" in line for line in lines):
                raise UnplaceableError(
                    index, path, "a name in this list spans several lines; write it on one"
                )
            return "\n".join(lines) if lines else EMPTY_LIST
        if isinstance(value, (Mapping, list)):
            raise UnplaceableError(
                index, path, f"expected one value for {column.header}, got a {_kind(value)}"
            )
        if isinstance(value, str):
            if len(value) > MAX_CELL_TEXT:
                raise UnplaceableError(
                    index, path, f"text longer than {MAX_CELL_TEXT:,} characters, Excel's limit"
                )
            if ILLEGAL_CHARACTERS_RE.search(value):
                raise UnplaceableError(
                    index, path, "the text holds control characters that Excel cannot store"
                )
            return _Text(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value if _exact_in_excel(value) else _Text(str(value))
        if isinstance(value, Decimal):
            return _decimal_cell(value)
        if isinstance(value, float):
            return _decimal_cell(Decimal(repr(value)))
        if isinstance(value, (datetime.date, datetime.time)):
            return _Text(value.isoformat())
        raise UnplaceableError(index, path, f"a value of type {type(value).__name__}")

    def _remember(self, index: int, key: tuple[Any, Any], placed: set[DataPath]) -> None:
        """Refuse two projects that the workbook's rows could not tell apart."""
        name, year = key
        if name in (_MISSING, None, "") or not isinstance(name, (str, int, Decimal)):
            return
        name_key = " ".join(str(name).split())
        year_key = None if year is _MISSING else year
        if (name_key, year_key) in self.keys:
            raise UnplaceableError(
                index,
                ("项目名称",),
                f"project {name_key!r} appears twice (projects #{self.keys[name_key, year_key]} "
                f"and #{index + 1}); the workbook could not tell their rows apart",
                "give the projects different names or 年度",
            )
        self.keys[name_key, year_key] = index + 1
        has_rows = any(
            path[: len(sheet.base)] == sheet.base for path in placed for sheet in DATA_SHEETS[1:]
        )
        others = self.names.setdefault(name_key, [])
        others.append((year_key, has_rows))
        if len(others) > 1 and any(y is None and rows for y, rows in others):
            raise UnplaceableError(
                index,
                ("年度",),
                f"several projects are named {name_key!r} and one without 年度 has rows on the "
                "other sheets; the workbook could not tell which project they belong to",
                "fill in 年度 for each of them",
            )


class _Text(str):
    """A value written as text, even when it starts with ``=``."""


def _plain(item: Any) -> str:
    if isinstance(item, Decimal):
        return format(item, "f")
    return str(item)


def _kind(value: Any) -> str:
    return "mapping" if isinstance(value, Mapping) else "list"


def _decimal_cell(value: Decimal) -> Any:
    """Return a decimal as an Excel number when that keeps it exactly, else as text."""
    if not _exact_in_excel(value):
        return _Text(str(value) if not value.is_finite() else format(value, "f"))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _exact_in_excel(value: Decimal | int) -> bool:
    """Return whether Excel keeps *value* exactly: at most 15 significant digits.

    Excel computes with doubles and shows 15 digits; openpyxl writes 16 (``%.16g``). Within
    15 digits a decimal, its double and the double's text all agree.
    """
    number = Decimal(value)
    return number.is_finite() and len(number.normalize().as_tuple().digits) <= EXCEL_DIGITS


# --- writing the sheets -------------------------------------------------------------------


def write_workbook(projects: Sequence[Any] | None = None) -> bytes:
    """Return the data-entry workbook as deterministic .xlsx bytes.

    Without *projects*, an empty template. Each project is raw data as a YAML or JSON file
    gives it (labels or English names, flat or nested 绩效指标). Raises ``UnplaceableError``
    for a value the workbook has no place for.
    """
    placer = _Placer()
    for index, data in enumerate(projects or []):
        placer.add(index, canonical_project(data))
    book = Workbook()
    for position, sheet in enumerate(DATA_SHEETS):
        ws = book.active if position == 0 else book.create_sheet()
        ws.title = sheet.name
        _write_sheet(ws, sheet, placer.rows[sheet.name])
    _write_guide(book.create_sheet(GUIDE_SHEET))
    book.active = 0
    return workbook_bytes(book, title="财政项目支出绩效自评 填报")


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
            if value is not _MISSING:
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
    if isinstance(value, _Text):
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
            error=f"请从列表中选择：{'、'.join(column.choices)}"
            + ("" if column.strict else "；确定使用其他名称请点“是”"),
            promptTitle=column.header,
            prompt=column.note[:255],
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
            error="请填写不小于 0 的数字（不要带单位）",
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
            error="请填写四位数的年度，如 2024",
            showErrorMessage=True,
        )
    return None


GUIDE_INTRO = (
    "本工作簿供 docgen 读取和生成：每个项目在「项目」表占一行；每个三级指标在「绩效指标」表占一行，"
    "用「项目名称」（两个项目同名时再加「年度」）对应到项目。",
    "第一行是列标题，请勿改名，也不要在标题上方插入行；用不到的列可以留空或整列删除。"
    "红色标题为必填项。",
    "空单元格表示不填：可选项按默认处理（如 上年结转资金 为 0，得分 为满分）。"
    '要填写“空文字”，请输入 ="" 。',
    "数字按单元格中的数值精确读取（162.30 即 162.30）：请直接输入数字，不要带单位或 %。",
    "文字列已设为文本格式，=100.00(%)、≥95(%) 这样的指标值可以直接输入。"
    "单元格内换行（Alt+Enter）表示分段。",
    "「资金安排」和「资金使用情况」两表只在自评价报告需要细分时填写，平时留空即可。",
    "检查：docgen check 本文件.xlsx　生成：docgen render 本文件.xlsx -o out/　"
    "问题会指明工作表和单元格，如 绩效指标!I14。",
)
GUIDE_HEADERS = (("工作表", 14), ("列", 6), ("标题", 28), ("必填", 8), ("格式", 22), ("说明", 90))


def _write_guide(ws: Any) -> None:
    ws.cell(row=1, column=1, value="填写说明").font = Font(bold=True, size=14)
    for r, text in enumerate(GUIDE_INTRO, start=2):
        ws.cell(row=r, column=1, value=text)
    top = len(GUIDE_INTRO) + 3
    for number, (header, width) in enumerate(GUIDE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
        cell = ws.cell(row=top, column=number, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT
    r = top + 1
    for sheet in DATA_SHEETS:
        for number, column in enumerate(sheet.columns, start=1):
            format_word = FORMAT_WORDS[column.kind]
            if column.choices:
                format_word += "：" + "、".join(column.choices)
            values = (
                sheet.name,
                get_column_letter(number),
                column.header,
                "必填" if column.required else "可选",
                format_word,
                (sheet.note + " " if number == 1 else "") + column.note,
            )
            for position, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=position, value=value)
                cell.alignment = TEXT_ALIGNMENT
                cell.border = BORDER
                cell.data_type = "s"
            lines = max(
                text_lines(value, width)
                for value, (_, width) in zip(values, GUIDE_HEADERS, strict=True)
            )
            ws.row_dimensions[r].height = lines * LINE_HEIGHT
            r += 1
    ws.freeze_panes = f"A{top + 1}"
