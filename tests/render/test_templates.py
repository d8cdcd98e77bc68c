"""Custom templates: where they are found, what their config changes, and templates init."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.errors import DocgenError
from tests.conftest import MINIMAL
from tests.render.docx_reading import grid, open_docx
from tests.render.test_check import variant

runner = CliRunner()


def project(folder: Path, text: str = MINIMAL) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def render_table(source: Path, out: Path, *options: str) -> list[list[str]]:
    result = runner.invoke(app, ["render", str(source), "-k", "table", "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    document = open_docx((out / "2024_信息化运维项目_自评表.docx").read_bytes())
    title = document.paragraphs[0].text
    return [[title]] + [[c.text for c in row] for t in document.tables for row in grid(t)]


def test_init_copies_the_built_in_template_and_config(tmp_path: Path) -> None:
    result = runner.invoke(app, ["templates", "init", "自评表", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.docx", "table.yaml"]
    again = runner.invoke(app, ["templates", "init", "table", "-o", str(tmp_path)])
    assert again.exit_code == 1 and "exists" in again.stderr and "--force" in again.stderr


def test_lookup_order_templates_option_then_beside_the_data_then_built_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCGEN_TEMPLATES", raising=False)
    source = project(tmp_path / "dept")
    assert render_table(source, tmp_path / "o1")[0] == ["财政项目支出绩效自评表"]

    beside = tmp_path / "dept" / "templates"
    beside.mkdir()
    variant(beside, ("财政项目支出绩效自评表", "区级自评表"), name="自评表.docx")
    assert render_table(source, tmp_path / "o2")[0] == ["区级自评表"]

    chosen = tmp_path / "mine"
    chosen.mkdir()
    variant(chosen, ("财政项目支出绩效自评表", "我的自评表"))
    assert render_table(source, tmp_path / "o3", "--templates", str(chosen))[0] == ["我的自评表"]
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(chosen))
    assert render_table(source, tmp_path / "o4")[0] == ["我的自评表"]

    listing = runner.invoke(app, ["templates", "list", "--data", str(source)])
    assert listing.exit_code == 0
    assert "DOCGEN_TEMPLATES" in listing.stdout and "(shadowed)" in listing.stdout


def test_config_sets_grade_words_unit_and_rounding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCGEN_TEMPLATES", raising=False)
    folder = tmp_path / "tpl"
    folder.mkdir()
    shutil.copy(
        Path(__file__).resolve().parents[2] / "templates" / "table.docx", folder / "table.docx"
    )
    (folder / "table.yaml").write_text(
        "文档类型: 自评表\n等级用语: {优: 优秀}\n金额单位: 元\n舍入规则: 截断\n", encoding="utf-8"
    )
    rows = render_table(project(tmp_path / "d"), tmp_path / "out", "--templates", str(folder))
    assert rows[3][0] == "项目资金\n（元）" or rows[3][0] == "项目资金（元）"
    assert rows[4][2:5] == ["3,260,100.00", "3,260,100.00", "1,623,000.00"]  # 万元 → 元
    assert rows[4][5:8] == ["10.00", "49.78", "4.97"]  # 截断: 4.978 → 4.97
    assert rows[-1] == ["评分等级", "优秀"]


def test_config_in_the_documents_custom_properties(tmp_path: Path) -> None:
    import io
    import zipfile

    plain = variant(tmp_path, ("财政项目支出绩效自评表", "财政项目支出绩效自评表"))
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="等级用语">'
        "<vt:lpwstr>优=优秀，良=良好</vt:lpwstr></property></Properties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("docProps/custom.xml", custom)
    folder = tmp_path / "props"
    folder.mkdir()
    (folder / "table.docx").write_bytes(buffer.getvalue())
    rows = render_table(project(tmp_path / "d"), tmp_path / "out", "--templates", str(folder))
    assert rows[-1] == ["评分等级", "优秀"]


def test_a_config_that_names_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    shutil.copy(
        Path(__file__).resolve().parents[2] / "templates" / "table.docx", folder / "table.docx"
    )
    (folder / "table.yaml").write_text("文档类型: 自评报告\n", encoding="utf-8")
    source = project(tmp_path / "d")
    result = runner.invoke(app, ["render", str(source), "-k", "table", "-o", str(tmp_path / "o"),
                                 "--templates", str(folder)])  # fmt: skip
    assert result.exit_code == 1
    assert "this template says it is a 自评报告" in result.stderr


def test_config_names_a_rule_set_and_an_over_completion_threshold(tmp_path: Path) -> None:
    from decimal import Decimal

    from docgen.model.project import Scoring
    from docgen.render.config import load_config
    from docgen.rules.evaluate import RuleOptions

    config = load_config("评分规则: 财预[2021]101号\n超额完成阈值: 150\n", "table.yaml", "table")
    assert config.options == RuleOptions(None, Scoring.CZY_2021_101, Decimal(150))
    from_properties = load_config(None, "table.docx", "table", {"评分规则": "czy2020-10"})
    assert from_properties.options == RuleOptions(scoring=Scoring.CZY_2020_10)
    for bad in ("评分规则: 10号\n", "超额完成阈值: 90\n"):
        with pytest.raises(DocgenError, match="bad template config"):
            load_config(bad, "table.yaml", "table")


def test_a_kinds_own_rule_set_reevaluates_and_rechecks_its_document(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    built_in = Path(__file__).resolve().parents[2] / "templates"
    for name in ("table.docx", "report.docx"):
        shutil.copy(built_in / name, folder / name)
    (folder / "table.yaml").write_text(
        "文档类型: 自评表\n评分规则: 财预〔2020〕10号\n", encoding="utf-8"
    )
    (folder / "report.yaml").write_text(
        "文档类型: 自评报告\n评分规则: 财预〔2021〕101号\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    # 162.30 of 326.01 is 49.78 %: 10号 scores the funds 4.98, 101号 scores them 0
    plain = project(tmp_path / "d", MINIMAL)
    both = runner.invoke(app, ["render", str(plain), "-o", str(out), "--templates", str(folder)])
    assert both.exit_code == 0, both.output
    table = open_docx((out / "2024_信息化运维项目_自评表.docx").read_bytes())
    report = open_docx((out / "2024_信息化运维项目_自评报告.docx").read_bytes())
    table_cells = {c.text for t in table.tables for row in t.rows for c in row.cells}
    report_text = "\n".join(p.text for p in report.paragraphs)
    assert "4.98" in table_cells and "总得分94.98分" not in report_text
    assert "总得分90.00分" in report_text  # 0.00 + 50 + 40 under 101号

    stated = project(
        tmp_path / "e", MINIMAL.replace("年度总体目标:", "  得分: 4.98\n年度总体目标:")
    )
    refused = runner.invoke(
        app, ["render", str(stated), "-o", str(out / "e"), "--templates", str(folder)]
    )
    assert refused.exit_code == 1  # checked under 10号 (the first kind's), refused under 101号
    assert "stated 4.98 but 财预〔2021〕101号 gives 0.00" in refused.stderr
    assert [p.name for p in (out / "e").iterdir()] == ["2024_信息化运维项目_自评表.docx"]


def test_a_mistyped_templates_folder_is_an_error_not_a_fall_back(tmp_path: Path) -> None:
    from tests.commands import run_docgen

    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    typo = run_docgen("render", "p.yaml", "-o", "out", "--templates", "tempaltes", cwd=tmp_path)
    assert typo.returncode == 2 and "'tempaltes' does not exist" in typo.stderr
    env = run_docgen(
        "render", "p.yaml", "-o", "out", cwd=tmp_path, env={"DOCGEN_TEMPLATES": "nope"}
    )
    assert env.returncode == 1
    assert "error: nope: templates folder given by DOCGEN_TEMPLATES: no such folder" in env.stderr
    assert not (tmp_path / "out").exists()
    listed = run_docgen("templates", "list", "--data", "missing.yaml", cwd=tmp_path)
    assert listed.returncode == 1 and "missing.yaml: no such project file" in listed.stderr


def test_an_origin_is_shown_in_the_users_language() -> None:
    from docgen.i18n import using_language
    from docgen.render.templates import BESIDE_DATA, BUILT_IN, ENV_VAR, origin_label

    with using_language("zh"):
        assert [origin_label(o) for o in (BESIDE_DATA, BUILT_IN, ENV_VAR, "--templates")] == [
            "数据旁", "内置", "DOCGEN_TEMPLATES", "--templates"
        ]  # fmt: skip
    assert origin_label(BESIDE_DATA) == "beside the data"
