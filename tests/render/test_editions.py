"""The 自评表's two editions: which one a project gets, from where, and with which words.

Through the ``docgen`` command a user runs, from a folder of their own with relative paths.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.model.project import Form
from docgen.render.config import load_config
from tests.commands import run_docgen
from tests.conftest import DATA, MINIMAL, checked
from tests.render.docx_reading import grid, open_docx

SEED000 = "seed000_minhang_yibao_2022.yaml"
SEED000_TABLE = "2022_闵行区“一站式”医疗救助系统(2022运维)_自评表.docx"
MINIMAL_TABLE = "2024_信息化运维项目_自评表.docx"


def _indicator_header(path: Path) -> list[str]:
    return [c.text for c in grid(open_docx(path.read_bytes()).tables[1])[0]]


@pytest.mark.parametrize(
    ("text", "form"),
    [("2022", Form.F2022), ("2023", Form.F2023), ("2024", Form.F2023), ("2022版", Form.F2022),
     ("2022年版", Form.F2022)],
)  # fmt: skip
def test_表样_is_read_as_an_edition(text: str, form: Form) -> None:
    item = checked(MINIMAL.replace("年度: 2024", f"年度: 2024\n表样: {text}"))
    assert item.project is not None, item.findings
    assert item.project.edition is form


@pytest.mark.parametrize(("year", "form"), [(2021, Form.F2022), (2022, Form.F2022),
                                            (2023, Form.F2023), (2024, Form.F2023)])  # fmt: skip
def test_without_表样_the_edition_follows_年度(year: int, form: Form) -> None:
    item = checked(MINIMAL.replace("年度: 2024", f"年度: {year}"))
    assert item.project is not None and item.project.form is None
    assert item.project.edition is form


def test_an_unknown_表样_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL.replace("年度: 2024", "年度: 2024\n表样: 2019"))
    result = run_docgen("check", "p.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "p.yaml:2:" in result.stderr and "表样" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_seed_000_renders_on_the_2022_edition_and_2024_on_the_2023_one(tmp_path: Path) -> None:
    shutil.copy(DATA / SEED000, tmp_path / SEED000)
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", SEED000, "p.yaml", "-k", "table", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _indicator_header(tmp_path / "out" / SEED000_TABLE)[0] == "绩效指标"
    assert _indicator_header(tmp_path / "out" / MINIMAL_TABLE)[0] == "一级指标"


@pytest.mark.parametrize(("form", "first"), [("2022", "绩效指标"), ("2023", "一级指标")])
def test_render_form_names_the_edition_for_every_project(
    tmp_path: Path, form: str, first: str
) -> None:
    shutil.copy(DATA / SEED000, tmp_path / SEED000)
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", SEED000, "p.yaml", "-k", "table", "-o", "out", "--form", form,
                        cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in (SEED000_TABLE, MINIMAL_TABLE):
        assert _indicator_header(tmp_path / "out" / name)[0] == first


def test_render_refuses_an_unknown_form(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "-o", "out", "--form", "2019", cwd=tmp_path)
    assert result.returncode == 2
    assert "--form" in result.stderr and "2022" in result.stderr
    assert not (tmp_path / "out").exists()


def test_templates_list_shows_both_editions_and_init_copies_either(tmp_path: Path) -> None:
    assert run_docgen("templates", "init", "自评表", "--form", "2022", "-o", "tpl",
                      cwd=tmp_path).returncode == 0  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "tpl").iterdir()) == [
        "table-2022.docx",
        "table-2022.yaml",
    ]
    listing = run_docgen("templates", "list", "--templates", "tpl", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "自评表 (table, 2023/2024 edition):\n  ✓ used     built-in table.docx" in listing.stdout
    assert "自评表 (table, 2022 edition):\n  ✓ used     tpl/table-2022.docx" in listing.stdout
    checked_template = run_docgen("templates", "check", "tpl/table-2022.docx", cwd=tmp_path)
    assert checked_template.returncode == 0, checked_template.stderr
    refused = run_docgen("templates", "init", "自评报告", "--form", "2022", "-o", "x", cwd=tmp_path)
    assert refused.returncode == 2 and "only the 自评表 has editions" in refused.stderr


def test_a_folders_2022_template_serves_2022_projects_its_table_docx_the_rest(
    tmp_path: Path,
) -> None:
    """Beside the data: table-2022.docx for the 2022 project, table.docx for the 2024 one."""
    for form in ("2022", "2023"):
        run_docgen("templates", "init", "自评表", "--form", form, "-o", "templates", cwd=tmp_path)
    for name, title in (("table-2022.docx", "二〇二二版"), ("table.docx", "通用版")):
        _retitle(tmp_path / "templates" / name, title)
    shutil.copy(DATA / SEED000, tmp_path / SEED000)
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", SEED000, "p.yaml", "-k", "table", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "自评表 template: templates/table-2022.docx, found beside the data" in result.stderr
    titles = {
        name: open_docx((tmp_path / "out" / name).read_bytes()).paragraphs[0].text
        for name in (SEED000_TABLE, MINIMAL_TABLE)
    }
    assert titles == {SEED000_TABLE: "二〇二二版", MINIMAL_TABLE: "通用版"}
    # Without its own 2022 template, the folder's table.docx serves every edition.
    (tmp_path / "templates" / "table-2022.docx").unlink()
    again = run_docgen("render", SEED000, "-k", "table", "-o", "out2", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    document = open_docx((tmp_path / "out2" / SEED000_TABLE).read_bytes())
    assert document.paragraphs[0].text == "通用版"


def _retitle(path: Path, title: str) -> None:
    """Replace the form's title in a template (what a clerk does in Word)."""
    from docx import Document

    document = Document(str(path))
    document.paragraphs[0].runs[0].text = title
    document.save(str(path))


def test_the_words_of_the_form_are_config() -> None:
    config = load_config("分数用语: 分值\n来源行得分: ''\n评分等级行: false\n", "t.yaml", "table")
    assert config.form_words() == {
        "分数": "分值",
        "执行率": "执行率(%)",
        "来源行分数": "-",
        "来源行得分": "",
        "来源行执行率": True,
        "评分等级行": False,
    }
    properties = {"执行率用语": "执行率", "来源行执行率": "false", "表样": "2022"}
    from_docx = load_config(None, "t.docx", "table", properties)
    assert from_docx.form_words()["执行率"] == "执行率"
    assert from_docx.form_words()["来源行执行率"] is False
    assert from_docx.variables(Form.F2023)["表样"] == "2022"


def test_a_template_config_with_words_changes_what_the_2023_form_prints(tmp_path: Path) -> None:
    run_docgen("templates", "init", "自评表", "-o", "tpl", cwd=tmp_path)
    config = tmp_path / "tpl" / "table.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('来源行分数: "-"', '来源行分数: "／"').replace(
        "评分等级行: true", "评分等级行: false"
    )
    config.write_text(text, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "-k", "table", "-o", "out", "--templates", "tpl",
                        cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    top, indicators = (
        grid(t) for t in open_docx((tmp_path / "out" / MINIMAL_TABLE).read_bytes()).tables
    )
    assert top[4][5].text == "／"
    assert indicators[-1][0].text == "总分"


def test_a_bad_word_setting_is_a_located_template_error(tmp_path: Path) -> None:
    run_docgen("templates", "init", "自评表", "-o", "tpl", cwd=tmp_path)
    config = tmp_path / "tpl" / "table.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("评分等级行: true", "评分等级行: 也许"), "utf-8"
    )
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "-o", "out", "--templates", "tpl", cwd=tmp_path)
    assert result.returncode == 1
    assert "tpl/table.yaml" in result.stderr and "评分等级行" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
