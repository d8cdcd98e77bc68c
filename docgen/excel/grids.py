"""Open a workbook and return the values of its data sheets, row by row, within limits.

A tiny file can claim a huge grid, so how far a sheet reaches is checked before openpyxl reads
it; formulas are then replaced by the values the file stores for them.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from docgen.errors import InputError
from docgen.excel.cells import Formula, cell_location, location, raw_value
from docgen.sources.yaml_events import MAX_VALUES

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


def read_grids(path: Path, names: set[str], data_only: bool) -> tuple[dict[str, Grid], list[str]]:
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
                values = [raw_value(cell) for cell in row]
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


def resolve_formulas(path: Path, grids: dict[str, Grid]) -> None:
    """Replace each formula with the value Excel computed for it, as the file stores it."""
    cells = [
        (title, r, c)
        for title, grid in grids.items()
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if isinstance(value, Formula)
    ]
    if not cells:
        return
    computed, _ = read_grids(path, {title for title, _, _ in cells}, data_only=True)
    for title, r, c in cells:
        grid = computed.get(title, [])
        row = grid[r] if r < len(grid) else []
        value = row[c] if c < len(row) else None
        if value is None or isinstance(value, Formula):
            formula = grids[title][r][c]
            raise InputError(
                f"the formula {formula.text} has no computed value in the file",
                file=str(path),
                line=location(cell_location(title, r + 1, c + 1)),
                hint="open and save the workbook in Excel or LibreOffice, which compute it, "
                "or type the value",
            )
        grids[title][r][c] = value
