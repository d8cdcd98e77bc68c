"""Open a workbook and return the values of its data sheets, row by row, within limits.

The workbook's bytes are read once, through the one reader of packages from strangers
(``docgen.ooxml.package.read_zip``: member names, sizes, ratios, duplicates); a tiny file can
claim a huge grid, so how far a sheet reaches is checked before openpyxl reads it; formulas
are then replaced by the values the file stores for them.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from docgen.errors import InputError
from docgen.excel.cells import Formula, cell_location, location, raw_value
from docgen.i18n import N_, _
from docgen.ooxml.package import NotAZip, UnsafeArchive, ZipLimits, read_zip
from docgen.sources.yaml_events import MAX_VALUES

Grid = list[list[Any]]

_NOT_A_WORKBOOK_HINT = N_(
    "save it in Excel as 'Excel Workbook (*.xlsx)'; .xls and encrypted files cannot be read"
)


@dataclass(frozen=True)
class WorkbookFile:
    """A workbook's bytes, checked as a package, and the name messages give it."""

    name: str
    data: bytes

    @classmethod
    def read(cls, data: bytes, name: str) -> WorkbookFile:
        """Return the workbook *data* (named *name* in messages) once its package is safe."""
        try:
            members = read_zip(data, name, ZipLimits(max_member_bytes=MAX_SHEET_BYTES))
        except NotAZip:
            raise InputError(
                _("not an Excel workbook (.xlsx): {reason}").format(reason=_("not a zip package")),
                file=name,
                hint=_(_NOT_A_WORKBOOK_HINT),
            ) from None
        except UnsafeArchive as exc:
            raise InputError(
                _("not an Excel workbook (.xlsx): {reason}").format(reason=exc.message),
                file=name,
                hint=exc.hint,
            ) from None
        _check_extent({info.filename: part for info, part in members}, name)
        return cls(name, data)


def _open(book: WorkbookFile, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops on reading
            return load_workbook(io.BytesIO(book.data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl's errors for a damaged package are many
        raise InputError(
            _("not an Excel workbook (.xlsx): {reason}").format(reason=exc),
            file=book.name,
            hint=_(_NOT_A_WORKBOOK_HINT),
        ) from None


MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_SHEET_BYTES = 64 * 1024 * 1024
# A cell's or row's reference in a worksheet part: <c r="XFD9" …>, <row r="30000000" …>.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"')
_ROW_REF = re.compile(rb'<row r="(\d{1,9})"')


def _check_extent(parts: dict[str, bytes], name: str) -> None:
    """Refuse a workbook whose sheets reach absurdly far (a tiny file can claim a huge grid)."""
    for part, data in parts.items():
        if not part.startswith("xl/worksheets/"):
            continue
        rows = max((int(m) for m in _ROW_REF.findall(data)), default=0)
        cells = _CELL_REF.findall(data)
        rows = max([rows, *(int(r) for _c, r in cells)])
        columns = max((_column_number(c.decode()) for c, _r in cells), default=0)
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise InputError(
                _(
                    "a sheet reaches row {rows}, column {columns}; docgen reads at most "
                    "{max_rows} rows and {max_columns} columns"
                ).format(
                    rows=f"{rows:,}",
                    columns=f"{columns:,}",
                    max_rows=f"{MAX_ROWS:,}",
                    max_columns=MAX_COLUMNS,
                ),
                file=name,
                hint=_("delete the far-away cells, or split the workbook"),
            )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def read_grids(
    workbook: WorkbookFile, names: set[str], data_only: bool
) -> tuple[dict[str, Grid], list[str]]:
    """Return the cell values of the sheets called *names*, row by row, and every sheet's name."""
    book = _open(workbook, data_only)
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
                        _("holds more than {count} values").format(count=f"{MAX_VALUES:,}"),
                        file=workbook.name,
                        hint=_("split the projects over several workbooks"),
                    )
                grid.append(values)
            grids[title] = grid
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: openpyxl's errors are many and unspecific
        message = _("cannot read the workbook: {reason}").format(reason=exc)
        raise InputError(message, file=workbook.name) from None
    finally:
        book.close()
    return grids, titles


def resolve_formulas(workbook: WorkbookFile, grids: dict[str, Grid]) -> None:
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
    computed, _titles = read_grids(workbook, {title for title, _r, _c in cells}, data_only=True)
    for title, r, c in cells:
        grid = computed.get(title, [])
        row = grid[r] if r < len(grid) else []
        value = row[c] if c < len(row) else None
        if value is None or isinstance(value, Formula):
            formula = grids[title][r][c]
            raise InputError(
                _("the formula {formula} has no computed value in the file").format(
                    formula=formula.text
                ),
                file=workbook.name,
                line=location(cell_location(title, r + 1, c + 1)),
                hint=_(
                    "open and save the workbook in Excel or LibreOffice, which compute it, "
                    "or type the value"
                ),
            )
        grids[title][r][c] = value
