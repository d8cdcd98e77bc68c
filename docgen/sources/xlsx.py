"""Read projects from an Excel workbook (.xlsx) laid out as ``docgen workbook`` writes it.

The layout is defined here, once, and ``docgen.workbook`` writes the same one:

- ``项目``: one row per project. The columns are the form's fields; a nested field is named by
  its parts joined with ``·`` (``当年财政拨款·年初预算数`` is 项目资金 → 当年财政拨款 → 年初预算数).
- ``绩效指标``: one row per 三级指标, belonging to the project named in ``项目名称`` (and
  ``年度``, needed only when two projects share a name).
- ``资金安排`` and ``资金使用情况``: the optional rows of the 自评报告's two tables, keyed the
  same way.
- ``填写说明`` and any other sheet: ignored.

Each project comes back as the plain data a YAML file gives: the form's labels as keys, the
自评报告 fields nested under ``自评报告``, ``绩效指标`` as a flat list. Validation and the rules
therefore work unchanged. An empty cell is omitted, so the model's defaults apply; a cell
holding the formula ``=""`` is the empty text. In the list columns (完成的指标, 未完成的指标) each
line is one item and ``无`` is the empty list.

**Numbers are exact.** An .xlsx file stores a number as the shortest decimal text that reads
back as the same binary double (Excel writes ``162.3`` for 162.30), and openpyxl gives it as a
float. ``repr`` of a float is that same shortest text, so ``Decimal(repr(value))`` is exactly
the number in the file: 162.30 is read as 162.3, never as 162.2999999999999971578….
Integers stay ``int``. A number with more than 15 significant digits cannot be stored exactly
as a double; the writer stores it as text, and text in a number column is read as a decimal.

**Locations.** Every value's place is a cell reference such as ``绩效指标!I14``. A
``SourceProject`` from a workbook maps each path to its cell where a text file maps it to a
line, so findings print as ``填报.xlsx:绩效指标!I14: error: 绩效指标[3].得分: …``.
"""

from __future__ import annotations

import datetime
import difflib
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from docgen.errors import InputError
from docgen.excel.layout import (
    ARRANGEMENT_ROWS,
    ARRANGEMENT_SHEET,
    DATA_SHEETS,
    EMPTY_LIST,
    EMPTY_TEXT_FORMULA,
    GUIDE_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    KEY_COLUMNS,
    NUMBER_KINDS,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    Column,
    Role,
    Sheet,
    header_key,
)
from docgen.sources.loader import WORKBOOK_SUFFIXES, DataPath, SourceProject
from docgen.sources.yaml_events import MAX_VALUES, checked_decimal

__all__ = [
    "DATA_SHEETS",
    "GUIDE_SHEET",
    "WORKBOOK_SUFFIXES",
    "Column",
    "Sheet",
    "cell_location",
    "load_workbook_projects",
]


_HINT = "the 填写说明 sheet of `docgen workbook` lists every sheet and column"


def cell_location(sheet: str, row: int, column: int) -> str:
    """Return a cell's reference as Excel writes it: ``绩效指标!I14`` (1-based row, column)."""
    return f"{sheet}!{get_column_letter(column)}{row}"


def _location(where: str | dict[DataPath, str]) -> Any:
    """Return a cell reference (or a map of them) where a line number is expected.

    A location is a text file's line number or a workbook's cell reference: ``Finding.line``,
    ``InputError.line`` and ``SourceProject.line_map`` take either (``docgen.errors.Location``).
    """
    return where


# --- reading the cells --------------------------------------------------------------------


class _EmptyText:
    """A cell that holds the formula ``=""``: the empty text, not an empty cell."""


_BLANK_TEXT = _EmptyText()

Grid = list[list[Any]]


def _open(path: Path, data_only: bool) -> Any:
    name = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops on reading
            return load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError:
        raise InputError("no such file", file=name, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a workbook", file=name) from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied", file=name) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"not an Excel workbook (.xlsx): {exc}",
            file=name,
            hint="save it in Excel as 'Excel Workbook (*.xlsx)'; .xls and encrypted files "
            "cannot be read",
        ) from None


MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_SHEET_BYTES = 64 * 1024 * 1024
# A cell's or row's reference in a worksheet part: <c r="XFD9" …>, <row r="30000000" …>.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"')
_ROW_REF = re.compile(rb'<row r="(\d{1,9})"')


def _check_extent(path: Path) -> None:
    """Refuse a workbook whose sheets reach absurdly far (a tiny file can claim a huge grid)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/") or info.is_dir():
                    continue
                if info.file_size > MAX_SHEET_BYTES:
                    raise InputError(f"sheet part {info.filename} is too large", file=str(path))
                data = archive.read(info)
                rows = max((int(m) for m in _ROW_REF.findall(data)), default=0)
                cells = _CELL_REF.findall(data)
                rows = max([rows, *(int(r) for _, r in cells)])
                columns = max((_column_number(c.decode()) for c, _ in cells), default=0)
                if rows > MAX_ROWS or columns > MAX_COLUMNS:
                    raise InputError(
                        f"a sheet reaches row {rows:,}, column {columns:,}; docgen reads at most "
                        f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
                        file=str(path),
                        hint="delete the far-away cells, or split the workbook",
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
        return  # openpyxl reports an unreadable file with its own words


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _grids(path: Path, names: set[str], data_only: bool) -> tuple[dict[str, Grid], list[str]]:
    """Return the cell values of the sheets called *names*, row by row, and every sheet's name."""
    _check_extent(path)
    book = _open(path, data_only)
    grids: dict[str, Grid] = {}
    count = 0
    try:
        titles = [str(title) for title in book.sheetnames]
        for title in titles:
            if title not in names:
                continue
            sheet = book[title]
            if not hasattr(sheet, "iter_rows"):  # a chart sheet
                continue
            sheet.reset_dimensions()  # a writer's stated size can be wrong: read what is there
            grid: Grid = []
            for row in sheet.iter_rows():
                values = [_raw(cell) for cell in row]
                count += sum(value is not None for value in values)
                if count > MAX_VALUES:
                    raise InputError(
                        f"holds more than {MAX_VALUES:,} values",
                        file=str(path),
                        hint="split the projects over several workbooks",
                    )
                grid.append(values)
            grids[title] = grid
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: openpyxl's errors are many and unspecific
        raise InputError(f"cannot read the workbook: {exc}", file=str(path)) from None
    finally:
        book.close()
    return grids, titles


@dataclass(frozen=True)
class _Formula:
    text: str


@dataclass(frozen=True)
class _ErrorValue:
    text: str


def _raw(cell: Any) -> Any:
    """Return a cell's value; formulas and error values marked as such."""
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        text = value if isinstance(value, str) else getattr(value, "text", "") or ""
        return _BLANK_TEXT if text.replace(" ", "") == EMPTY_TEXT_FORMULA else _Formula(str(text))
    if kind == "e":
        return _ErrorValue(str(value))
    if value == "":
        return None
    return value


def _resolve_formulas(path: Path, grids: dict[str, Grid]) -> None:
    """Replace each formula with the value Excel computed for it, as the file stores it."""
    cells = [
        (title, r, c)
        for title, grid in grids.items()
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if isinstance(value, _Formula)
    ]
    if not cells:
        return
    computed, _ = _grids(path, {title for title, _, _ in cells}, data_only=True)
    for title, r, c in cells:
        grid = computed.get(title, [])
        row = grid[r] if r < len(grid) else []
        value = row[c] if c < len(row) else None
        if value is None or isinstance(value, _Formula):
            formula = grids[title][r][c]
            raise InputError(
                f"the formula {formula.text} has no computed value in the file",
                file=str(path),
                line=_location(cell_location(title, r + 1, c + 1)),
                hint="open and save the workbook in Excel or LibreOffice, which compute it, "
                "or type the value",
            )
        grids[title][r][c] = value


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
    return _date_text(value)


def _date_text(value: Any) -> Any:
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


def _value(raw: Any, column: Column) -> Any:
    """Return the data value of a non-empty cell in *column*."""
    if raw is _BLANK_TEXT:
        return [] if column.kind == "lines" else ""
    if column.kind in NUMBER_KINDS:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, float):
            return _as_printed(_from_float(raw), column)
        if isinstance(raw, str):
            number = _number(raw)
            return raw if number is None else number
        return _date_text(raw)
    value = _text_of(raw)
    if column.kind == "lines" and isinstance(value, str):
        if value.strip() == EMPTY_LIST:
            return []
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def _key_name(value: Any) -> str:
    return " ".join(str(value).split())


def _key_year(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value.strip() if isinstance(value, str) else value


# --- tables -------------------------------------------------------------------------------


@dataclass
class _Row:
    """One non-empty row of a sheet: its number and the values of its filled columns."""

    number: int
    values: dict[Column, Any]


@dataclass
class _Table:
    sheet: Sheet
    index: dict[Column, int]  # column → its 1-based column number
    rows: list[_Row]

    def at(self, row: int, column: Column) -> str:
        return cell_location(self.sheet.name, row, self.index[column])

    def first(self, row: int, role: Role = "value") -> str:
        """Return the reference of the row's first column of *role* (or of its first column)."""
        numbers = [n for c, n in self.index.items() if c.role == role] or [*self.index.values()]
        return cell_location(self.sheet.name, row, min(numbers, default=1))


def _table(sheet: Sheet, grid: Grid, file: str) -> _Table:
    """Return *sheet*'s rows; refuse unknown, repeated or missing headers."""
    header = grid[0] if grid else []
    index: dict[Column, int] = {}
    for number, text in enumerate(header, start=1):
        if text is None or isinstance(text, _EmptyText):
            continue
        where = cell_location(sheet.name, 1, number)
        label = str(_date_text(text)).strip()
        column = sheet.find(label)
        if column is None:
            known = [c.header for c in sheet.columns]
            guess = difflib.get_close_matches(header_key(label), known, n=1, cutoff=0.5)
            advice = f"; did you mean {guess[0]!r}?" if guess else ""
            raise InputError(
                f"unknown column {label!r} in sheet {sheet.name}{advice}",
                file=file,
                line=_location(where),
                hint=f"use the header as `docgen workbook` writes it; {_HINT}",
            )
        if column in index:
            first = cell_location(sheet.name, 1, index[column])
            raise InputError(
                f"column {column.header!r} appears twice in sheet {sheet.name} (also {first})",
                file=file,
                line=_location(where),
                hint="keep one of the two columns",
            )
        index[column] = number
    rows: list[_Row] = []
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
                    f"a value in a column without a header: {_date_text(raw)!r}",
                    file=file,
                    line=_location(where),
                    hint=f"give the column a header or clear the cell; {_HINT}",
                )
            if isinstance(raw, _ErrorValue):
                raise InputError(
                    f"the cell shows the error {raw.text}",
                    file=file,
                    line=_location(where),
                    hint="correct the formula, or type the value",
                )
            values[column] = _value(raw, column)
        if any(column.role != "key" for column in values):  # key-only rows carry no data
            rows.append(_Row(number, values))
    if sheet.keyed and rows and sheet.columns[0] not in index:
        raise InputError(
            f"sheet {sheet.name} has no column {sheet.columns[0].header!r}",
            file=file,
            line=_location(cell_location(sheet.name, 1, 1)),
            hint="each row names its project in the 项目名称 column (and 年度, when two "
            "projects share a name)",
        )
    return _Table(sheet, index, rows)


def _put(data: dict[str, Any], path: DataPath, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(str(part), {})
    node[str(path[-1])] = value


# --- projects -----------------------------------------------------------------------------


@dataclass
class _Project:
    row: int
    data: dict[str, Any]
    cells: dict[DataPath, str]
    name: str | None
    year: Any


def load_workbook_projects(path: str | Path) -> list[SourceProject]:
    """Return the projects of a workbook, each with the cell of every value.

    Raises ``InputError`` naming the sheet and cell when the workbook cannot be read, a header
    is unknown, or a row names no project of the 项目 sheet.
    """
    path = Path(path)
    file = str(path)
    names = {sheet.name for sheet in DATA_SHEETS}
    grids, titles = _grids(path, names, data_only=False)
    _check_sheet_names(titles, set(grids), file)
    _resolve_formulas(path, grids)
    table = _table(PROJECT_SHEET, grids[PROJECT_SHEET.name], file)
    projects = [_project(table, row) for row in table.rows]
    if not projects:
        raise InputError(
            "holds no project",
            file=file,
            line=_location(cell_location(PROJECT_SHEET.name, 2, 1)),
            hint="fill in one row per project on the 项目 sheet, from row 2",
        )
    lookup = _Lookup(projects, table, file)
    for sheet in DATA_SHEETS[1:]:
        if sheet.name in grids:
            _attach(_table(sheet, grids[sheet.name], file), lookup, file)
    for project in projects:
        project.cells.setdefault(("绩效指标",), table.at(project.row, PROJECT_COLUMNS[1]))
    return [
        SourceProject(file, i, project.data, _location(project.cells))
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
                f"sheet {guess[0]!r} is not one docgen reads; did you mean {sheet.name!r}?",
                file=file,
                line=_location(f"{guess[0]}!A1"),
                hint=f"rename the sheet; {_HINT}",
            )
    if PROJECT_SHEET.name not in found:
        raise InputError(
            f"has no sheet {PROJECT_SHEET.name!r}",
            file=file,
            hint=f"write one row per project on a sheet named 项目; {_HINT}",
        )


def _project(table: _Table, row: _Row) -> _Project:
    data: dict[str, Any] = {}
    for column in PROJECT_COLUMNS:  # the form's order
        if column in row.values:
            _put(data, column.path, row.values[column])
    cells: dict[DataPath, str] = {(): table.first(row.number)}
    for column, _ in sorted(table.index.items(), key=lambda item: item[1]):
        where = table.at(row.number, column)
        cells[column.path] = where
        for end in range(1, len(column.path)):
            cells.setdefault(column.path[:end], where)
    name_column, year_column = PROJECT_COLUMNS[1], PROJECT_COLUMNS[0]
    name = row.values.get(name_column)
    year = row.values.get(year_column)
    return _Project(
        row.number,
        data,
        cells,
        _key_name(name) if name not in (None, "") else None,
        _key_year(year),
    )


class _Lookup:
    """Find the project a row of another sheet names: by 项目名称, and 年度 if given."""

    def __init__(self, projects: list[_Project], table: _Table, file: str) -> None:
        self.by_name: dict[str, list[_Project]] = {}
        self.file = file
        seen: dict[tuple[str, Any], _Project] = {}
        for project in projects:
            if project.name is None:
                continue
            key = (project.name, project.year)
            if key in seen:
                raise InputError(
                    f"project {project.name!r} ({project.year}) has two rows, "
                    f"{seen[key].row} and {project.row}",
                    file=file,
                    line=_location(table.at(project.row, PROJECT_COLUMNS[1])),
                    hint="each project has one row on the 项目 sheet; remove or rename one",
                )
            seen[key] = project
            self.by_name.setdefault(project.name, []).append(project)

    def find(self, table: _Table, row: _Row) -> _Project:
        name_column, year_column = KEY_COLUMNS
        where = table.at(row.number, name_column)
        raw = row.values.get(name_column)
        if raw in (None, ""):
            raise InputError(
                f"项目名称 is empty; every row of {table.sheet.name} names its project",
                file=self.file,
                line=_location(where),
                hint="copy the project's 项目名称 from the 项目 sheet",
            )
        name = _key_name(raw)
        candidates = self.by_name.get(name, [])
        if not candidates:
            guess = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.5)
            advice = f"; did you mean {guess[0]!r}?" if guess else ""
            raise InputError(
                f"row {row.number} of {table.sheet.name}: 项目名称 {name!r} matches no row of "
                f"the 项目 sheet{advice}",
                file=self.file,
                line=_location(where),
                hint="use the project's 项目名称 exactly as the 项目 sheet has it",
            )
        if year_column in row.values:
            year = _key_year(row.values[year_column])
            matching = [p for p in candidates if p.year == year]
            if not matching:
                years = "、".join(str(p.year) for p in candidates)
                raise InputError(
                    f"row {row.number} of {table.sheet.name}: no project {name!r} of 年度 "
                    f"{year} (the 项目 sheet has it for 年度 {years})",
                    file=self.file,
                    line=_location(table.at(row.number, year_column)),
                    hint="correct the 年度, or leave it empty when the name is unique",
                )
            return matching[0]
        if len(candidates) > 1:
            years = "、".join(str(p.year) for p in candidates)
            raise InputError(
                f"row {row.number} of {table.sheet.name}: several projects are named {name!r} "
                f"(年度 {years})",
                file=self.file,
                line=_location(where),
                hint="fill in 年度 to say which one this row belongs to",
            )
        return candidates[0]


def _attach(table: _Table, lookup: _Lookup, file: str) -> None:
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
            _put(project.data, (*sheet.base, key), item)
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


def _category(table: _Table, row: _Row, column: Column, project: _Project, file: str) -> str:
    where = table.at(row.number, column) if column in table.index else table.first(row.number)
    value = row.values.get(column)
    if value in (None, ""):
        raise InputError(
            f"类别 is empty; name the row of the 资金安排 table ({'、'.join(ARRANGEMENT_ROWS)})",
            file=file,
            line=_location(where),
        )
    key = _key_name(value)
    arrangement = project.data.get("自评报告", {}).get("资金安排", {})
    if key in arrangement:
        raise InputError(
            f"{key} appears twice for project {project.name!r}",
            file=file,
            line=_location(where),
            hint="each project has at most one row per 类别",
        )
    return key


def _locate_weights(table: _Table, lookup: _Lookup) -> None:
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
