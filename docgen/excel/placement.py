"""Place projects' values in the rows of the data-entry workbook; refuse what has no place.

A project is raw data as a YAML or JSON file gives it. ``canonical_project`` puts it in the
form's order with the form's labels as keys, and ``Placer`` turns it into one row of 项目 and the
rows of the other sheets, cell by cell as ``docgen.excel.layout`` lays them out. A value the
workbook has no column for, or that a cell cannot hold, is refused with ``UnplaceableError``
rather than dropped, so that writing and reading again gives the same projects.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pydantic import BaseModel

from docgen.errors import InputError
from docgen.excel.layout import (
    ARRANGEMENT_SHEET,
    DATA_SHEETS,
    EMPTY_LIST,
    INDICATOR_SHEET,
    PROJECT_SHEET,
    SPENDING_SHEET,
    Column,
    Sheet,
)
from docgen.i18n import _
from docgen.model.base import inner_model
from docgen.model.indicators import flatten_indicators
from docgen.model.project import Project
from docgen.sources.loader import DataPath

__all__ = ["MISSING", "Placer", "Row", "Text", "UnplaceableError", "canonical_project"]

MAX_CELL_TEXT = 32767
"""Excel keeps at most this many characters in a cell."""
EXCEL_DIGITS = 15


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

MISSING = object()
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
            return MISSING
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
"""One sheet row: a value or ``MISSING`` per column of the sheet."""


class Placer:
    """Turn canonical projects into the rows of each sheet, remembering what was placed."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {sheet.name: [] for sheet in DATA_SHEETS}
        self.keys: dict[tuple[str, Any], int] = {}
        self.names: dict[str, list[tuple[Any, bool]]] = {}

    def add(self, index: int, data: Any) -> None:
        """Add the rows of project *index* (canonical data), or raise ``UnplaceableError``."""
        if not isinstance(data, Mapping):
            raise UnplaceableError(
                index, (), _("a project must be a mapping of keys (年度, 项目名称, …)")
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
                    index, path, _("expected fields or rows here, as the form has them")
                )
            if path not in placed:
                raise UnplaceableError(
                    index,
                    path,
                    _("this value has no column in the workbook"),
                    _(
                        "a workbook holds only the form's fields; correct or remove the key "
                        "(`docgen check` suggests the right name), or keep this project in YAML"
                    ),
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
        category: Any = MISSING,
    ) -> None:
        if not isinstance(item, Mapping):
            raise UnplaceableError(
                index, path, _("a row of {sheet} must be a mapping").format(sheet=sheet.name)
            )
        if key[0] in (MISSING, None, ""):
            raise UnplaceableError(
                index,
                ("项目名称",),
                _("a project without 项目名称 cannot keep its {sheet} rows in a workbook").format(
                    sheet=sheet.name
                ),
                _("fill in 项目名称"),
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
            value = MISSING if column.role != "value" else _get(data, column.path)
            if value is not MISSING:
                placed.add((*base, *column.path))
            row.append(self._cell(index, column, (*base, *column.path), value))
        return row

    def _cell(self, index: int, column: Column, path: DataPath, value: Any) -> Any:
        """Return what a cell holds for *value*, or refuse a value it cannot hold."""
        if value is MISSING or value is None:
            return MISSING
        if column.kind == "lines" and isinstance(value, list):
            if any(isinstance(item, (Mapping, list)) for item in value):
                raise UnplaceableError(index, path, _("a list of names holds a mapping or a list"))
            lines = [_plain(item) for item in value]
            if any("\n" in line for line in lines):
                raise UnplaceableError(
                    index, path, _("a name in this list spans several lines; write it on one")
                )
            return "\n".join(lines) if lines else EMPTY_LIST
        if isinstance(value, (Mapping, list)):
            raise UnplaceableError(
                index,
                path,
                _("expected one value for {header}, got a {kind}").format(
                    header=column.header, kind=_kind(value)
                ),
            )
        if isinstance(value, str):
            if len(value) > MAX_CELL_TEXT:
                raise UnplaceableError(
                    index,
                    path,
                    _("text longer than {limit} characters, Excel's limit").format(
                        limit=f"{MAX_CELL_TEXT:,}"
                    ),
                )
            if ILLEGAL_CHARACTERS_RE.search(value):
                raise UnplaceableError(
                    index, path, _("the text holds control characters that Excel cannot store")
                )
            return Text(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value if _exact_in_excel(value) else Text(str(value))
        if isinstance(value, Decimal):
            return _decimal_cell(value)
        if isinstance(value, float):
            return _decimal_cell(Decimal(repr(value)))
        if isinstance(value, (datetime.date, datetime.time)):
            return Text(value.isoformat())
        raise UnplaceableError(
            index,
            path,
            _("a cell cannot hold a value of type {type}").format(type=type(value).__name__),
        )

    def _remember(self, index: int, key: tuple[Any, Any], placed: set[DataPath]) -> None:
        """Refuse two projects that the workbook's rows could not tell apart."""
        name, year = key
        if name in (MISSING, None, "") or not isinstance(name, (str, int, Decimal)):
            return
        name_key = " ".join(str(name).split())
        year_key = None if year is MISSING else year
        if (name_key, year_key) in self.keys:
            raise UnplaceableError(
                index,
                ("项目名称",),
                _(
                    "project {name} appears twice (projects #{first} and #{second}); "
                    "the workbook could not tell their rows apart"
                ).format(
                    name=repr(name_key), first=self.keys[name_key, year_key], second=index + 1
                ),
                _("give the projects different names or 年度"),
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
                _(
                    "several projects are named {name} and one without 年度 has rows on the "
                    "other sheets; the workbook could not tell which project they belong to"
                ).format(name=repr(name_key)),
                _("fill in 年度 for each of them"),
            )


class Text(str):
    """A value written as text, even when it starts with ``=``."""


def _plain(item: Any) -> str:
    if isinstance(item, Decimal):
        return format(item, "f")
    return str(item)


def _kind(value: Any) -> str:
    return _("mapping") if isinstance(value, Mapping) else _("list")


def _decimal_cell(value: Decimal) -> Any:
    """Return a decimal as an Excel number when that keeps it exactly, else as text."""
    if not _exact_in_excel(value):
        return Text(str(value) if not value.is_finite() else format(value, "f"))
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
