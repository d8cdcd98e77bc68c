"""Read projects from an Excel workbook (.xlsx) laid out as ``docgen workbook`` writes it.

The layout is ``docgen.excel.layout``'s; ``docgen.excel.writer`` writes the same one.

Each project comes back as the plain data a YAML file gives: the form's labels as keys, the
自评报告 fields nested under ``自评报告``, ``绩效指标`` as a flat list. Validation and the rules
therefore work unchanged. An empty cell is omitted, so the model's defaults apply; a cell
holding the formula ``=""`` is the empty text. In the list columns (完成的指标, 未完成的指标) each
line is one item and ``无`` is the empty list.

Every value's cell is kept (``docgen.excel.cells``), so findings print as
``填报.xlsx:绩效指标!I14: error: 绩效指标[3].得分: …``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.errors import InputError
from docgen.excel.cells import cell_location, key_name, key_year, location
from docgen.excel.grids import WorkbookFile, read_grids, resolve_formulas
from docgen.excel.layout import (
    ARRANGEMENT_ROWS,
    ARRANGEMENT_SHEET,
    DATA_SHEETS,
    GUIDE_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    KEY_COLUMNS,
    NAME_COLUMN,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    YEAR_COLUMN,
    Column,
)
from docgen.excel.tables import HINT, Row, Table, put, read_table
from docgen.i18n import _
from docgen.sources.loader import DataPath, SourceProject, read_file

__all__ = ["load_workbook_projects"]


@dataclass
class _Project:
    row: int
    data: dict[str, Any]
    cells: dict[DataPath, str]
    name: str | None
    year: Any


def load_workbook_projects(
    source: str | Path | bytes, name: str | None = None
) -> list[SourceProject]:
    """Return the projects of a workbook (a file, or its bytes), each with the cell of every value.

    *name* is how messages and the projects name the file (default: its path), e.g. the name
    a client uploaded it under. Raises ``InputError`` naming the sheet and cell when the
    workbook cannot be read, a header is unknown, or a row names no project of the 项目 sheet.
    """
    file = name or str(source)
    data = source if isinstance(source, bytes) else read_file(source, file)
    workbook = WorkbookFile.read(data, file)
    names = {sheet.name for sheet in DATA_SHEETS}
    grids, titles = read_grids(workbook, names, data_only=False)
    _check_sheet_names(titles, set(grids), file)
    resolve_formulas(workbook, grids)
    table = read_table(PROJECT_SHEET, grids[PROJECT_SHEET.name], file)
    projects = [_project(table, row) for row in table.rows]
    if not projects:
        raise InputError(
            _("holds no project"),
            file=file,
            line=location(cell_location(PROJECT_SHEET.name, 2, 1)),
            hint=_("fill in one row per project on the 项目 sheet, from row 2"),
        )
    lookup = _Lookup(projects, table, file)
    for sheet in DATA_SHEETS[1:]:
        if sheet.name in grids:
            _attach(read_table(sheet, grids[sheet.name], file), lookup, file)
    for project in projects:
        project.cells.setdefault(("绩效指标",), table.at(project.row, NAME_COLUMN))
    return [
        SourceProject(file, i, project.data, location(project.cells))
        for i, project in enumerate(projects)
    ]


def _check_sheet_names(titles: list[str], found: set[str], file: str) -> None:
    """Refuse a workbook without a 项目 sheet, or with a misspelt name of a known sheet."""
    others = [t for t in titles if t not in found and t != GUIDE_SHEET]
    for sheet in DATA_SHEETS:
        if sheet.name in found:
            continue
        guess = difflib.get_close_matches(sheet.name, others, n=1, cutoff=0.5)
        if guess:
            raise InputError(
                _("sheet {sheet} is not one docgen reads; did you mean {name}?").format(
                    sheet=repr(guess[0]), name=repr(sheet.name)
                ),
                file=file,
                line=location(f"{guess[0]}!A1"),
                hint=_("rename the sheet; {more}").format(more=_(HINT)),
            )
    if PROJECT_SHEET.name not in found:
        raise InputError(
            _("has no sheet {sheet}").format(sheet=repr(PROJECT_SHEET.name)),
            file=file,
            hint=_("write one row per project on a sheet named 项目; {more}").format(more=_(HINT)),
        )


def _project(table: Table, row: Row) -> _Project:
    data: dict[str, Any] = {}
    for column in PROJECT_COLUMNS:  # the form's order
        if column in row.values:
            put(data, column.path, row.values[column])
    cells: dict[DataPath, str] = {(): table.first(row.number)}
    for column, _index in sorted(table.index.items(), key=lambda item: item[1]):
        where = table.at(row.number, column)
        cells[column.path] = where
        for end in range(1, len(column.path)):
            cells.setdefault(column.path[:end], where)
    name = row.values.get(NAME_COLUMN)
    year = row.values.get(YEAR_COLUMN)
    return _Project(
        row.number,
        data,
        cells,
        key_name(name) if name not in (None, "") else None,
        key_year(year),
    )


class _Lookup:
    """Find the project a row of another sheet names: by 项目名称, and 年度 if given."""

    def __init__(self, projects: list[_Project], table: Table, file: str) -> None:
        self.by_name: dict[str, list[_Project]] = {}
        self.file = file
        seen: dict[tuple[str, Any], _Project] = {}
        for project in projects:
            if project.name is None:
                continue
            key = (project.name, project.year)
            if key in seen:
                raise InputError(
                    _("project {name} ({year}) has two rows, {first} and {second}").format(
                        name=repr(project.name),
                        year=project.year,
                        first=seen[key].row,
                        second=project.row,
                    ),
                    file=file,
                    line=location(table.at(project.row, NAME_COLUMN)),
                    hint=_("each project has one row on the 项目 sheet; remove or rename one"),
                )
            seen[key] = project
            self.by_name.setdefault(project.name, []).append(project)

    def find(self, table: Table, row: Row) -> _Project:
        name_column, year_column = KEY_COLUMNS
        where = table.at(row.number, name_column)
        raw = row.values.get(name_column)
        if raw in (None, ""):
            raise InputError(
                _("项目名称 is empty; every row of {sheet} names its project").format(
                    sheet=table.sheet.name
                ),
                file=self.file,
                line=location(where),
                hint=_("copy the project's 项目名称 from the 项目 sheet"),
            )
        name = key_name(raw)
        candidates = self.by_name.get(name, [])
        if not candidates:
            guess = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.5)
            advice = _("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""
            raise InputError(
                _("row {row} of {sheet}: 项目名称 {name} matches no row of the 项目 sheet").format(
                    row=row.number, sheet=table.sheet.name, name=repr(name)
                )
                + advice,
                file=self.file,
                line=location(where),
                hint=_("use the project's 项目名称 exactly as the 项目 sheet has it"),
            )
        if year_column in row.values:
            year = key_year(row.values[year_column])
            matching = [p for p in candidates if p.year == year]
            if not matching:
                years = "、".join(str(p.year) for p in candidates)
                raise InputError(
                    _(
                        "row {row} of {sheet}: no project {name} of 年度 {year} "
                        "(the 项目 sheet has it for 年度 {years})"
                    ).format(
                        row=row.number,
                        sheet=table.sheet.name,
                        name=repr(name),
                        year=year,
                        years=years,
                    ),
                    file=self.file,
                    line=location(table.at(row.number, year_column)),
                    hint=_("correct the 年度, or leave it empty when the name is unique"),
                )
            return matching[0]
        if len(candidates) > 1:
            years = "、".join(str(p.year) for p in candidates)
            raise InputError(
                _("row {row} of {sheet}: several projects are named {name} (年度 {years})").format(
                    row=row.number, sheet=table.sheet.name, name=repr(name), years=years
                ),
                file=self.file,
                line=location(where),
                hint=_("fill in 年度 to say which one this row belongs to"),
            )
        return candidates[0]


def _attach(table: Table, lookup: _Lookup, file: str) -> None:
    """Add the rows of a keyed sheet to their projects."""
    sheet = table.sheet
    counts: dict[int, int] = {}
    for row in table.rows:
        project = lookup.find(table, row)
        item = {
            str(c.path[0]): row.values[c]
            for c in sheet.columns
            if c.role == "value" and c in row.values
        }
        if sheet is ARRANGEMENT_SHEET:
            category = next(c for c in sheet.columns if c.role == "category")
            key = _category(table, row, category, project, file)
            put(project.data, (*sheet.base, key), item)
            prefix: DataPath = (*sheet.base, key)
            project.cells[prefix] = table.at(row.number, category)
        else:
            position = counts.get(id(project), 0)
            counts[id(project)] = position + 1
            node = project.data
            for part in sheet.base[:-1]:
                node = node.setdefault(str(part), {})
            node.setdefault(str(sheet.base[-1]), []).append(item)
            prefix = (*sheet.base, position)
            project.cells[prefix] = table.first(row.number)
        for column, number in table.index.items():
            if column.role == "value":
                where = cell_location(sheet.name, row.number, number)
                where_key = (*prefix, *column.path)  # mypy misreads d[(*a, b)] for 3.10
                project.cells[where_key] = where
        for end in range(1, len(prefix)):
            project.cells.setdefault(prefix[:end], project.cells[prefix])
    if sheet is INDICATOR_SHEET:
        _locate_weights(table, lookup)


def _category(table: Table, row: Row, column: Column, project: _Project, file: str) -> str:
    where = table.at(row.number, column) if column in table.index else table.first(row.number)
    value = row.values.get(column)
    if value in (None, ""):
        raise InputError(
            _("类别 is empty; name the row of the 资金安排 table ({rows})").format(
                rows="、".join(ARRANGEMENT_ROWS)
            ),
            file=file,
            line=location(where),
        )
    key = key_name(value)
    arrangement = project.data.get("自评报告", {}).get("资金安排", {})
    if key in arrangement:
        raise InputError(
            _("{key} appears twice for project {name}").format(key=key, name=repr(project.name)),
            file=file,
            line=location(where),
            hint=_("each project has at most one row per 类别"),
        )
    return key


def _locate_weights(table: Table, lookup: _Lookup) -> None:
    """Point ``绩效指标`` (the sum of the 分值) at each project's 分值 cells."""
    weight = next(c for c in INDICATOR_COLUMNS if c.header == "分值")
    if weight not in table.index:
        return
    rows: dict[int, list[int]] = {}
    projects: dict[int, _Project] = {}
    for row in table.rows:
        project = lookup.find(table, row)
        rows.setdefault(id(project), []).append(row.number)
        projects[id(project)] = project
    for key, numbers in rows.items():
        first, last = numbers[0], numbers[-1]
        where = table.at(first, weight)
        if numbers == list(range(first, last + 1)) and last > first:
            where += f":{get_column_letter(table.index[weight])}{last}"
        projects[key].cells[("绩效指标",)] = where
