"""The data-entry workbook speaks the language of the run: its instructions, prompts, refusals.

The sheet names, headers and choices are the form's labels in both languages; what a clerk
reads about them (填写说明, a cell's input prompt and error, why a project has no place in a
workbook) is Chinese by default and English with ``DOCGEN_LANG=en``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.excel.layout import GUIDE_SHEET
from tests.commands import run_docgen
from tests.conftest import MINIMAL

WORDS = {
    "zh": ("填写说明", "第一行是列标题，请勿改名", "必填", "请填写四位数的年度，如 2024"),
    "en": (
        "How to fill in this workbook",
        "The first row holds the column headers: do not rename them",
        "Required",
        "Type the year in four digits, such as 2024",
    ),
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_workbook_is_written_in_the_language_of_the_run(tmp_path: Path, language: str) -> None:
    title, intro, required, year_error = WORDS[language]
    result = run_docgen("workbook", "-o", "填报.xlsx", cwd=tmp_path, env={"DOCGEN_LANG": language})
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "填报.xlsx")
    assert book.sheetnames[-1] == GUIDE_SHEET, "the sheet keeps its name in both languages"
    guide = [[cell.value for cell in row] for row in book[GUIDE_SHEET].iter_rows()]
    assert guide[0][0] == title
    assert str(guide[2][0]).startswith(intro)
    year_row = next(row for row in guide if row[0] == "项目" and row[2] == "年度")
    assert year_row[3] == required, "the headers stay the form's labels, the words translate"
    validations = book["项目"].data_validations.dataValidation
    assert year_error in [v.error for v in validations]


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("zh", "未知列: 工作簿中没有放这个值的列"),
        ("en", "未知列: this value has no column in the workbook"),
    ],
)
def test_a_value_without_a_column_is_refused_in_the_language_of_the_run(
    tmp_path: Path, language: str, refusal: str
) -> None:
    (tmp_path / "project.yaml").write_text(MINIMAL + "未知列: 1\n", encoding="utf-8")
    result = run_docgen(
        "workbook", "project.yaml", "-o", "填报.xlsx", cwd=tmp_path, env={"DOCGEN_LANG": language}
    )
    assert result.returncode != 0
    assert refusal in result.stderr
