"""The fonts a .docx names: its runs and styles, not its theme; a few documents per template."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from docgen.ooxml.fonts import SAMPLES_PER_STYLE, fonts_of_documents, named_fonts
from docgen.pipeline import check_file
from docgen.render.documents import KINDS, render_document

DATA = Path(__file__).resolve().parents[2] / "data"


def _docx(path: Path, east_asia: str) -> Path:
    document = Document()
    run = document.add_paragraph().add_run("绩效目标")
    run.font.name = "Arial"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    document.save(str(path))
    return path


def test_the_builtin_templates_name_their_chinese_fonts(tmp_path: Path) -> None:
    (item,) = check_file(DATA / "seed000_minhang_yibao_2022.yaml")
    assert item.project is not None and item.evaluation is not None
    fonts = {}
    for key, kind in KINDS.items():
        path = tmp_path / f"{key}.docx"
        path.write_bytes(render_document(kind, item.project, item.evaluation))
        fonts[key] = named_fonts(path)
    assert {"宋体", "黑体", "Times New Roman"} <= fonts["table"]
    assert {"仿宋", "方正小标宋简体", "楷体", "黑体"} <= fonts["report"]
    assert not any(name.endswith(("HAnsi", "EastAsia")) for name in fonts["report"]), (
        "theme references (majorEastAsia …) are not font names"
    )


def test_a_run_naming_a_government_font(tmp_path: Path) -> None:
    assert {"仿宋_GB2312", "Arial"} <= named_fonts(_docx(tmp_path / "a.docx", "仿宋_GB2312"))


def test_an_unreadable_file_names_no_font(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a package")
    assert named_fonts(broken) == set()
    assert fonts_of_documents([broken, tmp_path / "absent.docx"]) == set()


def test_documents_of_one_template_are_sampled(tmp_path: Path) -> None:
    """python-docx's default template: every document has the same styles part."""
    fonts = ["仿宋_GB2312", "方正小标宋简体", "楷体_GB2312", "黑体"]
    paths = [_docx(tmp_path / f"{i}.docx", font) for i, font in enumerate(fonts)]
    found = fonts_of_documents(paths)
    assert set(fonts[:SAMPLES_PER_STYLE]) <= found
    assert not set(fonts[SAMPLES_PER_STYLE:]) & found, "only the first documents are read"
