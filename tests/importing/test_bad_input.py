"""Input that is not a readable 自评表: a clear, located message, no traceback, nothing written."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from tests.commands import run_docgen
from tests.conftest import DATA
from tests.importing.compare import projects
from tests.importing.forms import Style, build

SEED002 = projects(DATA / "seed002_shanghai_yibao_2024.yaml")


def assert_refused(folder: Path, name: str, *expected: str) -> str:
    done = run_docgen("import", name, "-o", "out.yaml", cwd=folder)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    for text in expected:
        assert text in done.stderr
    assert "nothing written to out.yaml" in done.stderr
    assert not (folder / "out.yaml").exists()
    return done.stderr


def test_a_word_file_that_is_no_form(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "议题"
    document.save(str(tmp_path / "纪要.docx"))
    assert_refused(
        tmp_path,
        "纪要.docx",
        "error: 纪要.docx: no 自评表 found: no table row is labelled 项目名称",
        "hint: import a filled 财政项目支出绩效自评表",
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_scanned_pdf(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "a.docx"], cwd=tmp_path,
                   capture_output=True, timeout=300, check=True)  # fmt: skip
    # A scan: each page only an image of the page, no text (Pillow writes image-only PDFs).
    subprocess.run(["pdftoppm", "-r", "40", "-png", "a.pdf", "page"], cwd=tmp_path, check=True)
    pages = [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page*.png"))]
    pages[0].save(tmp_path / "扫描件.pdf", save_all=True, append_images=pages[1:])
    scan = "扫描件.pdf"
    assert_refused(tmp_path, scan, f"error: {scan}: the PDF holds no text (a scanned image?)")


def test_a_damaged_file(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    data = (tmp_path / "a.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    assert_refused(tmp_path, "cut.docx", "error: cut.docx: cannot read the Word document")
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    assert_refused(tmp_path, "cut.pdf", "error: cut.pdf: cannot read the PDF")
    (tmp_path / "notes.docx").write_text("just text", encoding="utf-8")
    assert_refused(tmp_path, "notes.docx", "neither a Word document (.docx) nor a PDF")


def test_a_damaged_document_part(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    with (
        zipfile.ZipFile(tmp_path / "a.docx") as source,
        zipfile.ZipFile(tmp_path / "bad.docx", "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[:-40] if info.filename == "word/document.xml" else data)
    assert_refused(tmp_path, "bad.docx", "bad.docx: cannot read the Word document",
                   "word/document.xml is damaged")  # fmt: skip


def _without_row(path: Path, label: str) -> None:
    document = docx.Document(str(path))
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text.replace("\n", "") == label or label in row.cells[1].text:
                row._tr.getparent().remove(row._tr)
                document.save(str(path))
                return
    raise AssertionError(label)


def test_a_form_missing_its_indicator_header(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    _without_row(tmp_path / "a.docx", "一级指标")
    assert_refused(
        tmp_path,
        "a.docx",
        "error: a.docx:table 1 row 1: the form has no 绩效指标 header row",
        "hint: restore the header row of the indicator table",
    )


def test_a_form_missing_its_total_row_is_read_with_a_located_warning(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    _without_row(tmp_path / "a.docx", "总分")
    done = run_docgen("import", "a.docx", "-o", "out.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "a.docx:table 1 row 29: warning: 总分: no 总分 row; 总分 left out" in done.stderr
    assert projects(tmp_path / "out.yaml")[0].stated_total is None


def test_an_unreadable_figure_is_a_located_warning(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    document = docx.Document(str(tmp_path / "a.docx"))
    document.tables[0].rows[11].cells[5].text = "五"
    document.save(str(tmp_path / "a.docx"))
    done = run_docgen("import", "a.docx", "-o", "out.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "a.docx:table 1 row 12 column 6: warning: 绩效指标[1].分值: '五' is not a number" in (
        done.stderr
    )


def test_one_failed_file_writes_nothing(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "good.docx")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 nonsense")
    done = run_docgen("import", "good.docx", "bad.pdf", "-o", "out.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert "read good.docx: 1 自评表" in done.stderr
    assert "1 file(s) could not be read; nothing written to out.xlsx" in done.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_the_output_must_be_docgen_input(tmp_path: Path) -> None:
    done = run_docgen("import", "a.docx", "-o", "out.docx", cwd=tmp_path)
    assert done.returncode == 2
    assert "name the output .yaml, .yml, .json or .xlsx" in done.stderr


def test_an_impossible_amount_is_imported_as_printed_and_checked(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "a.docx")
    document = docx.Document(str(tmp_path / "a.docx"))
    document.tables[0].rows[4].cells[4].text = "-5.00"  # 当年财政拨款 全年执行数
    document.save(str(tmp_path / "a.docx"))
    done = run_docgen("import", "a.docx", "-o", "out.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checked = run_docgen("check", "out.yaml", cwd=tmp_path)
    assert checked.returncode == 1
    assert "项目资金.当年财政拨款.全年执行数" in checked.stdout + checked.stderr
