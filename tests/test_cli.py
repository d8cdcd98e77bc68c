"""The command line, driven through typer's CliRunner, error exits included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from tests.commands import run_docgen
from tests.conftest import DATA, MINIMAL, ROOT

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_render_writes_both_documents_per_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(DATA), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").glob("*.docx"))
    assert len(written) == 2 * 17
    assert (tmp_path / "out" / "2024_信息化运维项目_自评表.docx") in written
    assert (tmp_path / "out" / "2024_信息化运维项目_自评报告.docx") in written
    assert "wrote " in result.stdout
    assert "34 document(s) written" in result.stderr


@pytest.mark.parametrize("kind", ["自评报告", "report", "自评价报告"])
def test_kind_selects_one_document(tmp_path: Path, kind: str) -> None:
    source = DATA / "seed000_minhang_yibao_2022.yaml"
    result = runner.invoke(app, ["render", str(source), "--kind", kind, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [
        "2022_闵行区“一站式”医疗救助系统(2022运维)_自评报告.docx"
    ]


def test_a_slash_in_the_name_never_creates_folders(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yaml",
        MINIMAL.replace("项目名称: 信息化运维项目", '项目名称: "运维/二期: 升级*"'),
    )
    result = runner.invoke(
        app, ["render", str(source), "-k", "自评表", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["2024_运维_二期_ 升级__自评表.docx"]


def test_same_names_in_one_run_get_numbered(tmp_path: Path) -> None:
    source = write(tmp_path, "p.yaml", MINIMAL + "---\n" + MINIMAL)
    result = runner.invoke(app, ["render", str(source), "-k", "table", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == [
        "2024_信息化运维项目_自评表.docx",
        "2024_信息化运维项目_自评表_2.docx",
    ]


BAD_INPUTS = [
    ("YAML syntax error", "年度: 2024\n项目名称: [\n", "bad.yaml:3: YAML syntax error"),
    ("wrong type", MINIMAL.replace("全年执行数: 162.30", "全年执行数: 很多"),
     "bad.yaml:7: error: 项目资金.当年财政拨款.全年执行数: expected a number, got '很多'"),
    ("missing 项目名称", MINIMAL.replace("项目名称: 信息化运维项目\n", ""),
     "bad.yaml:1: error: 项目名称: 项目名称 is missing; add 项目名称: …"),
    ("得分 > 分值", MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 60}"),
     "bad.yaml:13: error: 绩效指标[0].得分: 得分 60 exceeds 分值 50"),
    ("weights ≠ 100", MINIMAL.replace("分值: 40, 得分: 40}", "分值: 30, 得分: 30}"),
     "bad.yaml:11: error: 绩效指标: 分值 add up to 90, not 100"),
    ("unknown key", MINIMAL.replace("主管部门:", "主管部分:"),
     "bad.yaml:3: error: 主管部分: unknown key '主管部分'; did you mean '主管部门'?"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
@pytest.mark.parametrize("command", ["check", "render"])
def test_bad_input_gives_located_message_and_exit_1(
    tmp_path: Path, command: str, case: str, text: str, message: str
) -> None:
    source = write(tmp_path, "bad.yaml", text)
    out = tmp_path / "out"
    args = [command, str(source)] + (["-o", str(out)] if command == "render" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_one_bad_project_does_not_stop_the_others(tmp_path: Path) -> None:
    good = write(tmp_path, "a_good.yaml", MINIMAL)
    bad = write(tmp_path, "b_bad.yaml", "年度: [\n")
    also_bad = write(
        tmp_path, "c_bad.yaml", MINIMAL.replace("分值: 40, 得分: 40}", "分值: 40, 得分: 41}")
    )
    result = runner.invoke(
        app,
        ["render", str(good), str(bad), str(also_bad), "-k", "table", "-o", str(tmp_path / "o")],
    )
    assert result.exit_code == 1
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["2024_信息化运维项目_自评表.docx"]
    assert "1 document(s) written" in result.stderr and "2 project(s) failed" in result.stderr


def test_existing_output_survives_a_failed_rerun(tmp_path: Path) -> None:
    source = write(tmp_path, "p.yaml", MINIMAL)
    assert runner.invoke(app, ["render", str(source), "-o", str(tmp_path)]).exit_code == 0
    target = tmp_path / "2024_信息化运维项目_自评表.docx"
    before = target.read_bytes()
    source.write_text(
        MINIMAL.replace("分值: 40, 得分: 40}", "分值: 40, 得分: 41}"), encoding="utf-8"
    )
    assert runner.invoke(app, ["render", str(source), "-o", str(tmp_path)]).exit_code == 1
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".docgen-")] == []


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    source = write(tmp_path, "p.yaml", MINIMAL)
    blocker = write(tmp_path, "out", "a file where the folder should be")
    result = runner.invoke(app, ["render", str(source), "-o", str(blocker)])
    assert result.exit_code == 1
    assert "cannot write here" in result.stderr
    assert "Traceback" not in result.output


def test_check_reports_warnings_but_passes(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yaml",
        MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 49}") + "总分: 93.98\n",
    )
    result = runner.invoke(app, ["check", str(source)])
    assert result.exit_code == 0, result.output
    assert (
        "p.yaml:12: warning: 绩效指标[0].偏差原因分析及改进措施: 1 point(s) lost" in result.stderr
    )
    # … and the two 自评报告 sections that would print 无 (项目总目标, 项目实施计划).
    assert "1 project(s) checked, 0 with errors, 3 warning(s)" in result.stderr


def test_run_rounding_overrides_the_files() -> None:
    path = DATA / "seed002_shanghai_yibao_2024.yaml"
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    result = runner.invoke(app, ["check", str(path), "--rounding", "truncate"])
    assert result.exit_code == 1
    assert (
        "项目资金.得分: stated 4.98 but 分值 × 执行率 gives 4.97 (舍入规则 截断)" in result.stderr
    )


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(DATA), "--kind", "报表", "-o", str(tmp_path)])
    assert result.exit_code == 2  # a usage error
    message = " ".join(result.stderr.replace("│", " ").split())
    assert (
        "unknown document kind '报表'; choose one of table (自评表), report (自评报告)" in message
    )
    assert list(tmp_path.iterdir()) == []


def test_schema_lists_labels_and_english_names() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    project = schema["$defs"]["Project"]["properties"]
    assert {"项目名称", "name", "绩效指标", "indicators"} <= set(project)


def test_schema_validates_every_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from docgen.sources.loader import load_file

    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    for path in sorted(DATA.glob("*.yaml")):
        for source in load_file(path):
            data = json.loads(json.dumps(source.data, default=float))
            jsonschema.validate(data, schema)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("docgen ")


def test_an_internal_error_in_one_project_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.render.documents import Renderer

    real = Renderer.render_in

    def flaky(self, pool, kind, project, evaluation, data_file=None):  # type: ignore[no-untyped-def]
        if project.name == "卫生银联专线":
            raise RuntimeError("boom")
        return real(self, pool, kind, project, evaluation, data_file)

    monkeypatch.setattr(Renderer, "render_in", flaky)
    result = runner.invoke(
        app,
        [
            "render",
            str(DATA / "seed001_minhang_weijian_2023.yaml"),
            "-k",
            "table",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert "卫生银联专线: internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output
    assert len(list(tmp_path.glob("*.docx"))) == 12


def test_a_folder_without_projects_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "no project files (.yaml, .yml, .json) in this folder" in result.stderr


def test_missing_inputs_are_reported_and_the_rest_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "p.yaml", MINIMAL)
    result = runner.invoke(app, ["check", str(tmp_path / "nope.yaml"), str(good)])
    assert result.exit_code == 1
    assert "nope.yaml: no such file or folder" in result.stderr
    assert "1 project(s) checked" in result.stderr


def test_a_multiline_project_name_becomes_one_line(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "p.yaml",
        MINIMAL.replace("项目名称: 信息化运维项目", "项目名称: '<p>信息化</p><p>运维项目</p>'"),
    )
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "2024_信息化 运维项目_自评报告.docx",
        "2024_信息化 运维项目_自评表.docx",
    ]


def test_workbook_convert_and_check_a_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    template = tmp_path / "填报模板.xlsx"
    result = runner.invoke(app, ["workbook", "-o", str(template)])
    assert result.exit_code == 0, result.output
    assert load_workbook(template).sheetnames[:2] == ["项目", "绩效指标"]

    workbook = tmp_path / "x.xlsx"
    assert (
        runner.invoke(
            app, ["convert", str(DATA / "seed002_shanghai_yibao_2024.yaml"), "-o", str(workbook)]
        ).exit_code
        == 0
    )
    checked = runner.invoke(app, ["check", str(workbook)])
    assert checked.exit_code == 0, checked.output
    assert "2 project(s) checked, 0 with errors" in checked.stderr

    book = load_workbook(workbook)
    sheet = book["绩效指标"]
    header = [c.value for c in sheet[1]]
    column = header.index("得分") + 1
    sheet.cell(row=2, column=column, value=12)
    book.save(workbook)
    bad = runner.invoke(app, ["check", str(workbook)])
    assert bad.exit_code == 1
    letter = sheet.cell(row=2, column=column).column_letter
    assert (
        f"x.xlsx:绩效指标!{letter}2: error: 绩效指标[0].得分: 得分 12 exceeds 分值 5" in bad.stderr
    )


def test_folders_are_searched_for_yaml_and_json_only() -> None:
    result = runner.invoke(app, ["check", str(DATA)])
    assert "17 project(s) checked" in result.stderr
    result = runner.invoke(app, ["check", f"{DATA}/*.xlsx"])
    assert "13 project(s) checked, 0 with errors" in result.stderr


# --- rule sets, through the real `docgen` command, from another folder ---------------------


def docgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_docgen(*args, cwd=cwd, env={"COLUMNS": "400", "NO_COLOR": "1"}, timeout=300)


def readme_example() -> str:
    """Return the project example of the README's section on rule sets.

    It is the last YAML block before the shell block that saves it as project.yaml: found by
    its directive, so that the lookup holds in README.md (Chinese) and README.en.md alike.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    saved = "<!-- docs-test: with the yaml example above saved as project.yaml -->"
    before = readme.split(saved, 1)[0]
    return before.rsplit("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A user's folder: the examples in data/ and the README's project.yaml, nothing else."""
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "project.yaml").write_text(readme_example(), encoding="utf-8")
    return tmp_path


def test_check_of_the_seeds_is_unchanged_without_a_rule_set(folder: Path) -> None:
    result = docgen(folder, "check", "data")
    assert (result.returncode, result.stdout) == (0, "")
    *warnings, summary = result.stderr.splitlines()
    # The 16 自评表 of seeds 000–002 say nothing of a 自评报告's 项目总目标 and 项目实施计划.
    assert summary == "17 project(s) checked, 0 with errors, 32 warning(s)"
    assert all(": warning: 自评报告.项目" in line for line in warnings), warnings


def test_scoring_option_checks_the_seeds_against_ten(folder: Path) -> None:
    result = docgen(
        folder, "check", "data/seed002_shanghai_yibao_2024.yaml", "--scoring", "czy2020-10"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "data/seed002_shanghai_yibao_2024.yaml:95: warning: 绩效指标[6].得分: 得分 1 differs from "
        "0.75, the figure of 财预〔2020〕10号 (第十六条：未达到年度指标值，完成率 18.67%（完成值/指标值），"
        "按比例得分); use the rule's figure" in result.stderr
    )
    assert (
        "data/seed002_shanghai_yibao_2024.yaml:17: note: 项目资金.得分: 4.98 by 财预〔2020〕10号 "
        "(分值 × 执行率，舍入规则 标准)\n" in result.stderr
    )
    assert result.stderr.endswith("2 project(s) checked, 0 with errors, 8 warning(s)\n")


@pytest.mark.parametrize("command", ["check", "render", "batch"])
def test_a_bad_scoring_value_is_a_usage_error(folder: Path, command: str) -> None:
    output = ["-o", "out"] if command != "check" else []
    result = docgen(folder, command, "project.yaml", *output, "--scoring", "10号")
    assert result.returncode == 2
    assert (
        "Invalid value for --scoring: unknown 评分规则 '10号'; use 财预〔2020〕10号 "
        in result.stderr
    )
    assert "(czy2020-10) or 财预〔2021〕101号 (czy2021-101)" in result.stderr
    assert not (folder / "out").exists()


def test_scoring_in_the_file_computes_the_omitted_scores(folder: Path) -> None:
    result = docgen(folder, "check", "project.yaml")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "自评报告." not in line] == [
        "project.yaml:6: note: 项目资金.得分: 4.98 by 财预〔2020〕10号 (分值 × 执行率，舍入规则 标准)",
        "project.yaml:15: note: 绩效指标[0].得分: 20.00 by 财预〔2020〕10号 (第十六条：达到年度指标值，得满分)",
        "project.yaml:16: note: 绩效指标[1].得分: 3.73 by 财预〔2020〕10号 (第十六条：未达到年度指标值，"
        "完成率 18.67%（完成值/指标值），按比例得分)",
        "project.yaml:19: note: 绩效指标[2].得分: 8.00 by 财预〔2020〕10号 (第十六条：未达到年度指标值，"
        "完成率 80.00%（指标值/完成值），按比例得分)",
        "project.yaml:23: note: 绩效指标[3].得分: 20.00 by 财预〔2020〕10号 (第十六条：定性指标，已达成，得满分)",
        "project.yaml:28: note: 绩效指标[5].得分: 9.44 by 财预〔2020〕10号 (第十六条：未达到年度指标值，"
        "完成率 94.44%（完成值/指标值），按比例得分)",
        "1 project(s) checked, 0 with errors, 2 warning(s)",
    ]


def check_json(folder: Path, *args: str) -> dict[str, Any]:
    result = docgen(folder, "check", *args, "--json")
    # Only a template other than docgen's own is named on stderr (never used unseen).
    assert all(" template: " in line for line in result.stderr.splitlines()), result.stderr
    return dict(json.loads(result.stdout))


def test_check_json_names_the_rule_of_every_score(folder: Path) -> None:
    report = check_json(folder, "project.yaml")
    # 2 warnings: the 自评报告's 项目总目标 and 项目实施计划 would print 无.
    assert (report["ok"], report["projects"], report["failed"], report["warnings"]) == (
        True, 1, 0, 2
    )  # fmt: skip
    (entry,) = report["files"]
    assert (entry["file"], entry["errors"]) == ("project.yaml", [])
    (project,) = entry["projects"]
    assert project["figures"]["总分"] == "74.15" and project["figures"]["评分等级"] == "中"
    assert project["figures"]["评分规则"] == "财预〔2020〕10号"
    assert [(r["三级指标"], r["得分"], r["rule"]) for r in project["indicators"]] == [
        ("系统维护数量", "20.00", "财预〔2020〕10号"),
        ("聘用专业人员次数", "3.73", "财预〔2020〕10号"),
        ("故障响应时间", "8.00", "财预〔2020〕10号"),
        ("系统支撑情况", "20.00", "财预〔2020〕10号"),
        ("运维机制", "8", "typed"),
        ("使用者满意度", "9.44", "财预〔2020〕10号"),
    ]
    assert project["indicators"][1]["clause"].startswith("第十六条：未达到年度指标值")

    overridden = check_json(folder, "project.yaml", "--scoring", "财预(2021)101号")
    (project,) = overridden["files"][0]["projects"]
    assert (project["figures"]["总分"], project["figures"]["资金得分"]) == ("61.00", "0.00")
    assert {r["rule"] for r in project["indicators"]} == {"财预〔2021〕101号", "typed"}


def test_check_json_reports_findings_as_objects(folder: Path) -> None:
    text = readme_example().replace("实际完成值: 达成指标", "实际完成值: 部分达成")
    (folder / "bad.yaml").write_text(text, encoding="utf-8")
    report = check_json(folder, "bad.yaml", "data/seed000_minhang_yibao_2022.yaml", "nothing.yaml")
    assert (report["ok"], report["projects"], report["failed"]) == (False, 2, 2)
    files = {entry["file"]: entry for entry in report["files"]}
    bad, missing = files["bad.yaml"], files["nothing.yaml"]
    seed = files["data/seed000_minhang_yibao_2022.yaml"]
    (error,) = bad["projects"][0]["errors"]
    assert error == {
        "file": "bad.yaml",
        "line": 23,
        "field": "绩效指标[3].得分",
        "severity": "error",
        "message": "得分 is omitted, and 实际完成值 '部分达成' does not say that the target '保障' "
        "was reached; under 财预〔2020〕10号 a qualitative indicator scores 100–80 %, 80–60 % or "
        "60–0 % of its 分值, which only the evaluator can judge",
        "hint": "type the 得分 awarded",
    }
    assert bad["projects"][0]["indicators"][3]["得分"] is None
    assert seed["projects"][0]["ok"] is True
    assert {r["rule"] for r in seed["projects"][0]["indicators"]} == {"typed"}
    assert missing["errors"][0]["file"] == "nothing.yaml" and missing["projects"] == []


def test_a_templates_rule_set_applies_where_the_file_names_none(folder: Path) -> None:
    assert docgen(folder, "templates", "init", "自评表", "-o", "templates").returncode == 0
    config = folder / "templates" / "table.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "评分规则: 财预〔2021〕101号\n", encoding="utf-8"
    )
    (folder / "plain.yaml").write_text(
        readme_example().replace("评分规则: 财预〔2020〕10号", "舍入规则: 标准"), encoding="utf-8"
    )
    from_template = check_json(folder, "plain.yaml")["files"][0]["projects"][0]
    assert from_template["figures"]["评分规则"] == "财预〔2021〕101号"
    from_file = check_json(folder, "project.yaml")["files"][0]["projects"][0]
    assert from_file["figures"]["评分规则"] == "财预〔2020〕10号"
    from_run = check_json(folder, "project.yaml", "--scoring", "czy2021-101")
    assert from_run["files"][0]["projects"][0]["figures"]["评分规则"] == "财预〔2021〕101号"


def test_render_and_batch_use_the_computed_scores(folder: Path) -> None:
    from openpyxl import load_workbook

    from tests.render.docx_reading import open_docx

    result = docgen(folder, "render", "project.yaml", "-k", "自评表", "-o", "out")
    assert result.returncode == 0, result.stderr
    document = open_docx((folder / "out" / "2024_信息化运维项目_自评表.docx").read_bytes())
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"3.73", "8.00", "9.44", "74.15", "中"} <= cells

    result = docgen(folder, "batch", "project.yaml", "data/seed000_minhang_yibao_2022.yaml",
                    "-o", "batch", "-j", "1", "-q")  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(load_workbook(folder / "batch" / "汇总.xlsx")["汇总"].iter_rows(values_only=True))
    column = rows[0].index("评分规则")
    assert [row[column] for row in rows[1:-1]] == ["财预〔2020〕10号", "无"]
    assert rows[1][rows[0].index("总分")] == 74.15

    result = docgen(
        folder, "batch", "project.yaml", "-o", "batch101", "-q", "--scoring", "czy2021-101"
    )
    assert result.returncode == 0, result.stderr
    rows = list(
        load_workbook(folder / "batch101" / "汇总.xlsx")["汇总"].iter_rows(values_only=True)
    )
    assert rows[1][column] == "财预〔2021〕101号" and rows[1][rows[0].index("总分")] == 61.0


@pytest.mark.parametrize(
    ("threshold", "warned"), [(None, True), ("131", True), ("131.34%", False), ("150", False)]
)
def test_over_completion_threshold_on_the_command_line(
    folder: Path, threshold: str | None, warned: bool
) -> None:
    seed = "data/seed002_shanghai_yibao_2024.yaml"  # 197 of ≥150 张: 131.33 %
    option = ["--over-completion", threshold] if threshold else []
    result = docgen(folder, "check", seed, "--scoring", "czy2020-10", *option)
    assert result.returncode == 0, result.stderr
    assert ("is 131.33% of 年度指标值 '≥150.00(张)'" in result.stderr) is warned


@pytest.mark.parametrize("threshold", ["90", "abc", "nan"])
def test_a_bad_over_completion_threshold_is_a_usage_error(folder: Path, threshold: str) -> None:
    result = docgen(folder, "check", "project.yaml", "--over-completion", threshold)
    assert result.returncode == 2
    assert f"expected a percentage above 100, e.g. 130; got {threshold!r}" in result.stderr
