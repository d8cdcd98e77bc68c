"""Each consistency check fires on the input that breaks it, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from docgen.errors import Severity
from tests.commands import run_docgen
from tests.conftest import MINIMAL, checked

ROW0 = "分值: 50, 得分: 50}"


def findings(text: str) -> list[tuple[str, str, str]]:
    result = checked(text)
    return [(f.severity.value, _path(f.path), f.message) for f in result.findings]


def _path(path: tuple[str | int, ...]) -> str:
    from docgen.errors import format_path

    return format_path(path)


def test_the_minimal_project_is_clean() -> None:
    assert findings(MINIMAL) == []


def test_weights_not_adding_up_to_100_is_an_error() -> None:
    (finding,) = findings(MINIMAL.replace(ROW0, "分值: 45, 得分: 45}"))
    assert finding[:2] == ("error", "绩效指标")
    assert "分值 add up to 95, not 100 (项目资金 10 + indicators 85)" in finding[2]


def test_score_above_weight_is_an_error() -> None:
    text = MINIMAL.replace(ROW0, "分值: 50, 得分: 52}")
    assert (
        "error",
        "绩效指标[0].得分",
        "得分 52 exceeds 分值 50; an indicator scores at most its 分值",
    ) in findings(text)


def test_negative_score_is_an_error() -> None:
    text = MINIMAL.replace(ROW0, "分值: 50, 得分: -1, 偏差原因分析及改进措施: x}")
    assert any(
        f[0] == "error" and f[1] == "绩效指标[0].得分" and "negative" in f[2]
        for f in findings(text)
    )


def test_lost_points_without_a_reason_is_a_warning() -> None:
    text = MINIMAL.replace(ROW0, "分值: 50, 得分: 45.5}")
    (finding,) = [f for f in findings(text) if f[0] == "warning"]
    assert finding[1] == "绩效指标[0].偏差原因分析及改进措施"
    assert "4.5 point(s) lost on 系统维护数量" in finding[2]


def test_lost_points_with_a_reason_is_fine() -> None:
    text = MINIMAL.replace(ROW0, "分值: 50, 得分: 45.5, 偏差原因分析及改进措施: 机构改革}")
    assert [f for f in findings(text) if f[0] == "warning"] == []


@pytest.mark.parametrize(
    ("target", "actual"),
    [("≥300.00(人次)", "56.00(人次)"), ("=100.00(%)", "98.00(%)"), ("≤15(工作日)", "16(工作日)"),
     ("<0.05(%)", "0.05(%)"), ("=29042.00(人)", "29041.00(人)")],
)  # fmt: skip
def test_missed_quantitative_target_with_full_marks_is_a_warning(target: str, actual: str) -> None:
    text = MINIMAL.replace(
        '"=4.00(项)", 实际完成值: "4.00(项)"', f'"{target}", 实际完成值: "{actual}"'
    )
    (finding,) = findings(text)
    assert finding[:2] == ("warning", "绩效指标[0].实际完成值")
    assert f"misses 年度指标值 {target!r} yet 得分 is full marks" in finding[2]


def test_met_target_with_full_marks_is_fine() -> None:
    text = MINIMAL.replace(
        '"=4.00(项)", 实际完成值: "4.00(项)"', '"≥95(%)", 实际完成值: "100.00(%)"'
    )
    assert findings(text) == []


def test_execution_above_budget_is_a_warning() -> None:
    text = MINIMAL.replace("全年执行数: 162.30", "全年执行数: 400")
    (finding,) = findings(text)
    assert finding[:2] == ("warning", "项目资金.当年财政拨款.全年执行数")
    assert "全年执行数 400 exceeds 全年预算数 326.01" in finding[2]


def test_a_stated_total_that_disagrees_with_its_sources_is_a_warning(tmp_path: Path) -> None:
    # Seed 000 prints 84,240.00 as the total 年初预算数 although its sources sum to 0: the
    # form is rendered as printed, and check says where it disagrees.
    stated = "  年度资金总额: {年初预算数: 84240, 全年预算数: 326.01, 全年执行数: 162.30}\n"
    text = MINIMAL.replace("年度总体目标:", stated + "年度总体目标:")
    (finding,) = findings(text)
    assert finding[:2] == ("warning", "项目资金.年度资金总额.年初预算数")
    assert "stated 84,240 but the three sources sum to 326.01" in finding[2]
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "-k", "table", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: 项目资金.年度资金总额.年初预算数" in result.stderr
    (document,) = (tmp_path / "out").glob("*.docx")
    assert "84,240.00" in "".join(c.text for t in Document(document).tables for r in t.rows
                                  for c in r.cells)  # fmt: skip


@pytest.mark.parametrize(
    ("insert", "path", "message"),
    [
        ("  执行率: 49.79\n", "项目资金.执行率", "stated 49.79 but 全年执行数 / 全年预算数 gives 49.78 (舍入规则 标准)"),
        ("  得分: 4.97\n", "项目资金.得分", "stated 4.97 but 分值 × 执行率 gives 4.98"),
    ],
)  # fmt: skip
def test_stated_funds_figures_that_disagree_are_errors(
    insert: str, path: str, message: str
) -> None:
    text = MINIMAL.replace("年度总体目标:", insert + "年度总体目标:")
    (finding,) = findings(text)
    assert finding[:2] == ("error", path)
    assert message in finding[2]


@pytest.mark.parametrize(
    ("stated", "message"),
    [("总分: 95", "stated 95 but 资金得分 4.98 + indicator 得分 gives 94.98"),
     ("评分等级: 良", "stated 良 but 总分 94.98 gives 优"),
     ("评分等级: 很好", "unknown grade '很好'")],
)  # fmt: skip
def test_stated_totals_that_disagree_are_errors(stated: str, message: str) -> None:
    (finding,) = findings(MINIMAL + stated + "\n")
    assert finding[0] == "error"
    assert message in finding[2]


@pytest.mark.parametrize("stated", ["总分: 94.98", "评分等级: 优", "评分等级: 优秀"])
def test_stated_totals_that_agree_pass(stated: str) -> None:
    assert findings(MINIMAL + stated + "\n") == []


def test_a_group_split_by_another_group_is_a_warning() -> None:
    text = (
        MINIMAL
        + """  - {一级指标: 产出指标, 二级指标: 质量指标, 三级指标: 又一个,
     年度指标值: 好, 实际完成值: 好, 分值: 0, 得分: 0}
"""
    )
    warnings = [f for f in findings(text) if f[0] == "warning"]
    assert [w[1] for w in warnings] == ["绩效指标[2].一级指标"]
    assert "group 产出指标 appears again after another group" in warnings[0][2]


def test_findings_carry_file_and_line() -> None:
    text = MINIMAL.replace(ROW0, "分值: 50, 得分: 52}")
    (finding,) = checked(text, "dept/x.yaml").errors
    assert finding.severity is Severity.ERROR
    assert str(finding).startswith(
        "dept/x.yaml:13: error: 绩效指标[0].得分: 得分 52 exceeds 分值 50"
    )


@pytest.mark.parametrize(
    ("report", "path", "message"),
    [("自评报告: {总得分: 90}", "自评报告.总得分", "stated 90 but the rules give 94.98"),
     ("自评报告: {评价等级: 良好}", "自评报告.评价等级", "stated 良好 but 总得分 94.98 gives 优秀"),
     ("自评报告: {评价等级: 甲等}", "自评报告.评价等级", "unknown grade '甲等'; use 优秀, 良好, 中等 or 差")],
)  # fmt: skip
def test_stated_report_figures_that_disagree_are_errors(
    report: str, path: str, message: str
) -> None:
    (finding,) = findings(MINIMAL + report + "\n")
    assert finding[:2] == ("error", path)
    assert message in finding[2]


def test_listed_indicators_must_exist() -> None:
    (finding,) = findings(MINIMAL + "自评报告: {完成的指标: [预算执行率, 系统维护量]}\n")
    assert finding[:2] == ("warning", "自评报告.完成的指标[1]")
    assert "'系统维护量' is not one of the project's 三级指标 or 预算执行率" in finding[2]


# --- the 自评报告's sections that would print 无 ---------------------------------------------


def gaps(text: str) -> list[tuple[str, str, str | None]]:
    from docgen.rules.checks import report_gaps

    item = checked(text)
    assert item.project is not None, item.findings
    return [(_path(f.path), f.message, f.hint) for f in report_gaps(item.project)]


def test_a_project_without_report_fields_warns_for_each_section_printing_wu() -> None:
    assert gaps(MINIMAL) == [
        ("自评报告.项目总目标", "the 自评报告 prints 无 under （三）1. 项目总目标",
         "fill 自评报告.项目总目标 (the project's aim over all its years)"),
        ("自评报告.项目实施计划", "the 自评报告 prints 无 under （四）项目实施计划",
         "fill 自评报告.项目实施计划 (how and when the work is done)"),
    ]  # fmt: skip
    # They belong to the report: a project checked for its 自评表 alone has none.
    assert findings(MINIMAL) == []


def test_filled_sections_do_not_warn_and_blank_ones_do() -> None:
    filled = MINIMAL + "自评报告: {项目总目标: 夯实信息化建设基础。, 项目实施计划: 按季度推进。}\n"
    assert gaps(filled) == []
    blank = MINIMAL + '自评报告: {项目总目标: "  ", 项目实施计划: 按季度推进。}\n'
    assert [path for path, _, _ in gaps(blank)] == ["自评报告.项目总目标"]


def test_an_empty_annual_goal_names_the_field_it_comes_from() -> None:
    text = MINIMAL.replace("预期目标: 保障系统正常运行。", '预期目标: ""')
    text += "自评报告: {项目总目标: 甲。, 项目实施计划: 乙。}\n"
    assert gaps(text) == [
        ("年度总体目标.预期目标", "the 自评报告 prints nothing under （三）2. 项目年度绩效目标",
         "fill 年度总体目标.预期目标 (or 自评报告.项目年度绩效目标)")
    ]  # fmt: skip


def test_docgen_check_warns_where_the_report_prints_wu_located(tmp_path: Path) -> None:
    (tmp_path / "项目").mkdir()
    (tmp_path / "项目" / "p.yaml").write_text(
        MINIMAL + "自评报告:\n  项目概况: 全市医疗保障信息化建设。\n", encoding="utf-8"
    )
    result = run_docgen("check", "项目/p.yaml", cwd=tmp_path)  # line 16: 自评报告
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "项目/p.yaml:16: warning: 自评报告.项目总目标: the 自评报告 prints 无 under （三）1. 项目总目标; "
        "fill 自评报告.项目总目标 (the project's aim over all its years)",
        "项目/p.yaml:16: warning: 自评报告.项目实施计划: the 自评报告 prints 无 under （四）项目实施计划; "
        "fill 自评报告.项目实施计划 (how and when the work is done)",
        "1 project(s) checked, 0 with errors, 2 warning(s)",
    ]
    # Rendering the 自评表 alone does not mention the report; rendering the report does.
    table = run_docgen("render", "项目/p.yaml", "-k", "table", "-o", "out", cwd=tmp_path)
    assert table.returncode == 0 and "自评报告.项目总目标" not in table.stderr, table.stderr
    report = run_docgen("render", "项目/p.yaml", "-k", "report", "-o", "out", cwd=tmp_path)
    assert report.returncode == 0 and "自评报告.项目总目标" in report.stderr, report.stderr
