"""docgen diff: what changed between two documents, and nothing when nothing did."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from typer.testing import CliRunner

from docgen.cli import app
from docgen.ooxml.describe import describe, unified
from docgen.render.documents import KINDS, render_document
from tests.conftest import MINIMAL, checked

runner = CliRunner()


def table_docx(text: str = MINIMAL) -> bytes:
    item = checked(text)
    assert item.project is not None and item.evaluation is not None
    return render_document(KINDS["table"], item.project, item.evaluation)


def diff(tmp_path: Path, a: bytes, b: bytes, *options: str) -> tuple[int, list[str]]:
    (tmp_path / "a.docx").write_bytes(a)
    (tmp_path / "b.docx").write_bytes(b)
    result = runner.invoke(
        app, ["diff", str(tmp_path / "a.docx"), str(tmp_path / "b.docx"), *options]
    )
    return result.exit_code, [line for line in result.stdout.splitlines() if line[:1] in "+-"]


def test_two_renders_of_the_same_input_are_the_same(tmp_path: Path) -> None:
    assert diff(tmp_path, table_docx(), table_docx()) == (0, [])
    assert diff(tmp_path, table_docx(), table_docx(), "--xml") == (0, [])


def test_a_changed_cell_is_shown_with_its_place(tmp_path: Path) -> None:
    code, lines = diff(
        tmp_path, table_docx(), table_docx(MINIMAL.replace("监督检查所", "信息中心"))
    )
    assert code == 1
    assert lines[2:] == [
        "-  table 1 row 2 col 6 (span 3): [Normal, center] 上海市医疗保障局监督检查所",
        "+  table 1 row 2 col 6 (span 3): [Normal, center] 上海市医疗保障局信息中心",
    ]


def test_a_changed_merge_is_shown(tmp_path: Path) -> None:
    merged = MINIMAL.replace("一级指标: 效益指标", "一级指标: 产出指标")
    code, lines = diff(tmp_path, table_docx(), table_docx(merged))
    assert code == 1
    assert "-  table 2 row 3 col 1 (vmerge restart): [Normal, center] 效益指标" in lines
    assert "+  table 2 row 3 col 1 (vmerge continue): [Normal, center] " in lines


def test_a_changed_style_is_shown(tmp_path: Path) -> None:
    document = Document(io.BytesIO(table_docx()))
    # The built-in templates keep only the styles they use: add the one the user picks.
    document.paragraphs[0].style = document.styles.add_style("Heading 1", WD_STYLE_TYPE.PARAGRAPH)
    changed = io.BytesIO()
    document.save(changed)
    code, lines = diff(tmp_path, table_docx(), changed.getvalue())
    assert code == 1
    assert lines[2:] == [
        "-¶1 [Normal, center] 财政项目支出绩效自评表",
        "+¶1 [Heading 1, center] 财政项目支出绩效自评表",
    ]


def test_page_setup_is_part_of_the_description() -> None:
    assert any(
        line.startswith("last section: page 21.0×29.7 cm portrait")
        for line in describe(table_docx())
    )
    assert unified(["a"], ["a"], "x", "y") == []


def test_a_file_that_is_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_text("no", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(tmp_path / "a.docx"), str(tmp_path / "a.docx")])
    assert result.exit_code == 1 and "not a .docx file" in result.stderr
