"""What ``docgen import`` says reads in the user's language: errors, warnings and their cells.

Through the real command from the user's folder; the location of a warning ("table 1 row 12
column 6") is built from translated pieces, so it reads 表 1 第 12 行 第 6 列 in Chinese.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from docgen.i18n import using_language
from docgen.importing.cells import Row, line_where, paragraph_where
from docgen.ooxml.tables import GridCell
from tests.commands import run_docgen
from tests.conftest import DATA
from tests.importing.compare import projects
from tests.importing.forms import Style, build


def not_a_form(folder: Path) -> str:
    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "议题"
    document.save(str(folder / "纪要.docx"))
    return "纪要.docx"


def cut_figure(folder: Path) -> str:
    """Write a form whose second indicator's 分值 reads 五: a warning located at its cell."""
    path = build(projects(DATA / "seed002_shanghai_yibao_2024.yaml"), Style(), folder / "去年.docx")
    document = docx.Document(str(path))
    document.tables[0].rows[11].cells[5].text = "五"
    document.save(str(path))
    return path.name


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh",
            [
                "错误: 纪要.docx: 没有找到自评表：没有哪一行表格标有项目名称",
                "提示: 请导入已填好的财政项目支出绩效自评表（.docx，或含文字的 PDF）",
                "1 个文件无法读取；未写出 out.yaml",
            ],
        ),
        (
            "en",
            [
                "error: 纪要.docx: no 自评表 found: no table row is labelled 项目名称",
                "hint: import a filled 财政项目支出绩效自评表 (.docx or a PDF with text)",
                "1 file(s) could not be read; nothing written to out.yaml",
            ],
        ),
    ],
)
def test_a_file_that_is_no_form_is_refused_in_the_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    name = not_a_form(tmp_path)
    done = run_docgen("import", name, "-o", "out.yaml", cwd=tmp_path, env={"DOCGEN_LANG": language})
    assert done.returncode == 1
    for text in expected:
        assert text in done.stderr
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(
    ("language", "warning", "summary"),
    [
        (
            "zh",
            "去年.docx:表 1 第 12 行 第 6 列: 提醒: 绩效指标[1].分值: '五' 不是数字，未填入",
            ["已读取 去年.docx：2 张自评表", "已写入 out.yaml（2 个项目）"],
        ),
        (
            "en",
            "去年.docx:table 1 row 12 column 6: warning: 绩效指标[1].分值: '五' is not a number; "
            "left out",
            ["read 去年.docx: 2 自评表", "wrote out.yaml (2 project(s))"],
        ),
    ],
)
def test_a_located_warning_reads_in_the_language(
    tmp_path: Path, language: str, warning: str, summary: list[str]
) -> None:
    name = cut_figure(tmp_path)
    done = run_docgen("import", name, "-o", "out.yaml", cwd=tmp_path, env={"DOCGEN_LANG": language})
    assert done.returncode == 0, done.stderr
    assert warning in done.stderr
    for text in summary:
        assert text in done.stderr


@pytest.mark.parametrize(
    ("language", "cell", "pdf_row", "pdf_line", "paragraph"),
    [
        ("zh", "表 1 第 12 行 第 6 列", "第 2 页 表 3 第 4 行", "第 2 页 第 5 行", "第 3 段"),
        ("en", "table 1 row 12 column 6", "page 2 table 3 row 4", "page 2 line 5", "paragraph 3"),
    ],
)
def test_every_kind_of_location_is_built_from_translated_pieces(
    language: str, cell: str, pdf_row: str, pdf_line: str, paragraph: str
) -> None:
    cells = tuple(GridCell("", 0, c) for c in range(6))
    with using_language(language):
        assert Row(cells, 1, 12).where(5) == cell
        assert Row(cells, 3, 4, page=2).where() == pdf_row
        assert line_where(2, 5) == pdf_line
        assert paragraph_where(3) == paragraph


def test_import_help_is_chinese(tmp_path: Path) -> None:
    chinese = run_docgen("import", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "zh"})
    assert chinese.returncode == 0
    assert "从 Word 或 PDF 文件读取已填好的自评表" in chinese.stdout
    assert "已填好的自评表：Word（.docx）或 PDF 文件" in chinese.stdout
    assert "把每个项目结转到下一年度" in chinese.stdout
    assert "Filled 自评表" not in chinese.stdout
    english = run_docgen("import", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "en"})
    assert "Read filled 自评表 from Word or PDF files into docgen input" in english.stdout


def test_next_year_help_is_chinese(tmp_path: Path) -> None:
    chinese = run_docgen("next-year", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "zh"})
    assert chinese.returncode == 0
    assert "把项目结转到下一年度：年度加 1" in chinese.stdout
    assert "上年度的自评表（.docx、.pdf）或项目文件" in chinese.stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", "请以 .yaml、.yml、.json 或 .xlsx 结尾"), ("en", "name the output .yaml")],
)
def test_a_wrong_output_is_a_usage_error_in_the_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    done = run_docgen(
        "import", "a.docx", "-o", "out.txt", cwd=tmp_path, env={"DOCGEN_LANG": language}
    )
    assert done.returncode == 2
    assert expected in done.stderr
