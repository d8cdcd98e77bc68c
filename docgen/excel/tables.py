"""Read one sheet as a table: its header row matched against the layout, its rows as values."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from docgen.errors import InputError
from docgen.excel.cells import (
    EmptyText,
    ErrorValue,
    cell_location,
    cell_value,
    date_text,
    location,
)
from docgen.excel.grids import Grid
from docgen.excel.layout import Column, Role, Sheet, header_key
from docgen.i18n import N_, _
from docgen.sources.loader import DataPath

HINT = N_("the 填写说明 sheet of `docgen workbook` lists every sheet and column")


@dataclass
class Row:
    """One non-empty row of a sheet: its number and the values of its filled columns."""

    number: int
    values: dict[Column, Any]


@dataclass
class Table:
    """A sheet's rows, and the column number of each of its headers."""

    sheet: Sheet
    index: dict[Column, int]  # column → its 1-based column number
    rows: list[Row]

    def at(self, row: int, column: Column) -> str:
        """Return the reference of *column*'s cell in *row*."""
        return cell_location(self.sheet.name, row, self.index[column])

    def first(self, row: int, role: Role = "value") -> str:
        """Return the reference of the row's first column of *role* (or of its first column)."""
        numbers = [n for c, n in self.index.items() if c.role == role] or [*self.index.values()]
        return cell_location(self.sheet.name, row, min(numbers, default=1))


def read_table(sheet: Sheet, grid: Grid, file: str) -> Table:
    """Return *sheet*'s rows; refuse unknown, repeated or missing headers."""
    header = grid[0] if grid else []
    index: dict[Column, int] = {}
    for number, text in enumerate(header, start=1):
        if text is None or isinstance(text, EmptyText):
            continue
        where = cell_location(sheet.name, 1, number)
        label = str(date_text(text)).strip()
        column = sheet.find(label)
        if column is None:
            known = [c.header for c in sheet.columns]
            guess = difflib.get_close_matches(header_key(label), known, n=1, cutoff=0.5)
            advice = _("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""
            raise InputError(
                _("unknown column {label} in sheet {sheet}").format(
                    label=repr(label), sheet=sheet.name
                )
                + advice,
                file=file,
                line=location(where),
                hint=_("use the header as `docgen workbook` writes it; {more}").format(
                    more=_(HINT)
                ),
            )
        if column in index:
            first = cell_location(sheet.name, 1, index[column])
            raise InputError(
                _("column {header} appears twice in sheet {sheet} (also {first})").format(
                    header=repr(column.header), sheet=sheet.name, first=first
                ),
                file=file,
                line=location(where),
                hint=_("keep one of the two columns"),
            )
        index[column] = number
    rows: list[Row] = []
    columns = {n: c for c, n in index.items()}
    for number, cells in enumerate(grid[1:], start=2):
        values: dict[Column, Any] = {}
        for position, raw in enumerate(cells, start=1):
            if raw is None:
                continue
            column = columns.get(position)
            where = cell_location(sheet.name, number, position)
            if column is None:
                raise InputError(
                    _("a value in a column without a header: {value}").format(
                        value=repr(date_text(raw))
                    ),
                    file=file,
                    line=location(where),
                    hint=_("give the column a header or clear the cell; {more}").format(
                        more=_(HINT)
                    ),
                )
            if isinstance(raw, ErrorValue):
                raise InputError(
                    _("the cell shows the error {error}").format(error=raw.text),
                    file=file,
                    line=location(where),
                    hint=_("correct the formula, or type the value"),
                )
            values[column] = cell_value(raw, column)
        if any(column.role != "key" for column in values):  # key-only rows carry no data
            rows.append(Row(number, values))
    if sheet.keyed and rows and sheet.columns[0] not in index:
        raise InputError(
            _("sheet {sheet} has no column {header}").format(
                sheet=sheet.name, header=repr(sheet.columns[0].header)
            ),
            file=file,
            line=location(cell_location(sheet.name, 1, 1)),
            hint=_(
                "each row names its project in the 项目名称 column (and 年度, when two "
                "projects share a name)"
            ),
        )
    return Table(sheet, index, rows)


def put(data: dict[str, Any], path: DataPath, value: Any) -> None:
    """Set *value* at *path* in *data*, making the mappings on the way."""
    node = data
    for part in path[:-1]:
        node = node.setdefault(str(part), {})
    node[str(path[-1])] = value
