"""The layout is one description: the writer writes it, the reader reads it, the same way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.excel.layout import (
    DATA_SHEETS,
    GUIDE_SHEET,
    KEY_COLUMNS,
    NAME_COLUMN,
    PROJECT_SHEET,
    YEAR_COLUMN,
    header_key,
)
from docgen.excel.placement import canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.sources.loader import load_file
from tests.conftest import example_files


def test_headers_are_unique_and_paths_distinct_on_every_sheet() -> None:
    for sheet in DATA_SHEETS:
        keys = [header_key(column.header) for column in sheet.columns]
        assert len(set(keys)) == len(keys), sheet.name
        places = [(column.role, column.path) for column in sheet.columns]
        assert len(set(places)) == len(places), sheet.name
        for column in sheet.columns:
            assert sheet.find(column.header) is column
    assert GUIDE_SHEET not in {sheet.name for sheet in DATA_SHEETS}


def test_the_other_sheets_name_their_project_by_the_project_sheets_key() -> None:
    assert (NAME_COLUMN.header, YEAR_COLUMN.header) == ("项目名称", "年度")
    assert [c.path for c in KEY_COLUMNS] == [NAME_COLUMN.path, YEAR_COLUMN.path]
    for sheet in DATA_SHEETS[1:]:
        assert sheet.keyed and sheet.columns[: len(KEY_COLUMNS)] == KEY_COLUMNS


def test_every_column_the_writer_writes_is_one_the_reader_reads() -> None:
    book = load_workbook(io.BytesIO(write_workbook(None)))
    assert book.sheetnames == [*(sheet.name for sheet in DATA_SHEETS), GUIDE_SHEET]
    for sheet in DATA_SHEETS:
        headers = [cell.value for cell in book[sheet.name][1]]
        assert headers == [column.header for column in sheet.columns]
        assert [sheet.find(header) for header in headers] == list(sheet.columns)


@pytest.mark.parametrize("example", example_files(), ids=lambda p: p.stem)
def test_a_written_workbook_reads_back_as_the_same_projects(example: Path, tmp_path: Path) -> None:
    projects = [source.data for source in load_file(example)]
    path = tmp_path / "p.xlsx"
    path.write_bytes(write_workbook(projects))
    sources = load_workbook_projects(path)
    assert [source.data for source in sources] == [canonical_project(p) for p in projects]
    sheet = load_workbook(path)[PROJECT_SHEET.name]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    for source in sources:
        for column in PROJECT_SHEET.columns:
            where = str(source.line_of(column.path))  # e.g. 项目!K2
            letter = where.split("!")[1].rstrip("0123456789")
            assert headers[letter] == column.header, where
