"""Opening a workbook: files that are not workbooks, limits, formulas' computed values."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from docgen.errors import InputError
from docgen.excel.reader import load_workbook_projects
from tests.excel.books import (
    edited,
    minimal_book,
    minimal_data,
    patched,
    refusal,
)


def test_formulas_give_their_computed_values(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {"绩效指标!H2": "=20+30"})
    uncomputed = tmp_path / "uncomputed.xlsx"
    uncomputed.write_bytes(path.read_bytes())
    patched(path, rb"<f>20\+30</f><v\s*/>|<f>20\+30</f><v></v>", b"<f>20+30</f><v>50</v>")
    (source,) = load_workbook_projects(path)
    assert source.data["绩效指标"][0]["分值"] == 50
    with pytest.raises(InputError) as caught:
        load_workbook_projects(uncomputed)
    assert str(caught.value).startswith(
        f"{uncomputed}:绩效指标!H2: the formula =20+30 has no computed value"
    )


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    assert (
        refusal(tmp_path / "missing.xlsx")
        == f"{tmp_path / 'missing.xlsx'}: no such file\n  hint: check the path"
    )
    path = tmp_path / "text.xlsx"
    path.write_text("年度: 2024\n")
    assert refusal(path).startswith(f"{path}: not an Excel workbook (.xlsx)")
    path = tmp_path / "broken.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path.write_bytes(buffer.getvalue())
    assert refusal(path).startswith(f"{path}: not an Excel workbook (.xlsx)")


def test_too_many_values_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.excel.grids.MAX_VALUES", 20)
    assert refusal(minimal_book(tmp_path)).startswith(
        f"{tmp_path / '填报.xlsx'}: holds more than 20 values"
    )


def test_a_workbook_that_reaches_far_is_refused_quickly(tmp_path: Path) -> None:

    from docgen.errors import InputError
    from docgen.excel.reader import load_workbook_projects

    book = Workbook()
    book.active.title = "项目"
    book.active["A1"] = "年度"
    book.active.cell(row=500_000, column=1, value=" ")
    path = tmp_path / "far.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="a sheet reaches row 500,000"):
        load_workbook_projects(path)
