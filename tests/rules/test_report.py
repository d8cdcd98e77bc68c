from __future__ import annotations

from decimal import Decimal as D

import pytest

from docgen.rules.report import (
    BudgetRateListing,
    project_overview,
    project_subject,
    report_facts,
)
from tests.conftest import MINIMAL, checked


def facts(text: str = MINIMAL, budget_rate: BudgetRateListing = BudgetRateListing.COMPLETED):  # type: ignore[no-untyped-def]
    item = checked(text)
    assert item.project is not None and item.evaluation is not None, item.findings
    return report_facts(item.project, item.evaluation, budget_rate)


def rows(text: str = MINIMAL) -> dict[str, dict[str, D | None]]:
    return {row.label: row.values for row in facts(text).arrangement}


def test_arrangement_is_derived_from_the_funds_when_not_given() -> None:
    table = rows()
    assert table["预算安排"]["合计"] == D("326.01") and table["实际支出"]["财政小计"] == D("162.30")
    # Without 财政资金级次 the split by level is unknown: blank, not a guessed zero.
    assert table["预算安排"]["市级"] is None and table["预算执行率(%)"]["市级"] is None
    # 其他资金 is zero, so its split is known to be zero.
    assert table["预算安排"]["单位自筹"] == D(0) and table["预算执行率(%)"]["其他小计"] == D("0.00")
    assert table["资金结余"]["合计"] == D(0)
    assert table["预算执行率(%)"]["合计"] == D("49.78")
    assert table["资金到位率(%)"]["合计"] == D("100.00")


def test_fund_level_puts_fiscal_money_in_its_column() -> None:
    table = rows(MINIMAL + "自评报告: {财政资金级次: 区县级}\n")
    assert table["预算安排"]["区县级"] == D("326.01")
    assert table["预算安排"]["市级"] == D(0) == table["预算安排"]["中央级"]


def test_a_given_breakdown_replaces_the_derived_one() -> None:
    text = (
        MINIMAL
        + """自评报告:
  资金安排:
    预算安排: {市级: 300, 区县级: 26.01, 单位自筹: 10}
    项目实际投入: {市级: 150, 单位自筹: 5}
    资金到位: {市级: 150, 单位自筹: 5}
    实际支出: {市级: 140, 单位自筹: 5}
"""
    )
    table = rows(text)
    assert table["预算安排"]["合计"] == D("336.01") and table["预算安排"]["财政小计"] == D("326.01")
    assert table["资金结余"]["市级"] == D(10)
    assert table["资金实际支出率(%)"]["市级"] == D("93.33")  # 140/150 truncated (标准)
    assert table["预算执行率(%)"]["乡镇级"] == D("0.00")


def test_lists_and_reasons_follow_scores_and_targets() -> None:
    text = MINIMAL.replace(
        "分值: 40, 得分: 40}", "分值: 40, 得分: 30, 偏差原因分析及改进措施: 进度滞后}"
    )
    result = facts(text, BudgetRateListing.BY_SCORE)
    assert result.completed == ("系统维护数量",)
    assert result.not_completed == ("预算执行率", "系统支撑情况")
    assert result.reasons == {
        "预算执行率": "全年预算执行率为49.78%，预算未全部执行。",
        "系统支撑情况": "进度滞后",
    }


def test_budget_rate_is_completed_by_default_as_seed_004_lists_it() -> None:
    """Seed 004 lists 预算执行率 among the completed at 31.04 % (资金得分 3.10 of 10)."""
    result = facts()  # 49.78 %, 4.98 of 10
    assert result.completed == ("预算执行率", "系统维护数量", "系统支撑情况")
    assert result.not_completed == () and result.reasons == {}


def test_budget_rate_by_score_is_completed_at_full_marks() -> None:
    full = MINIMAL.replace("全年执行数: 162.30", "全年执行数: 326.01")
    assert facts(full, BudgetRateListing.BY_SCORE).completed[0] == "预算执行率"


@pytest.mark.parametrize(
    ("name", "subject"),
    [("数字化医疗服务项目 (2023运维)", "数字化医疗服务项目 (2023运维)"),
     ("医保信息化项目（二期）", "医保信息化项目（二期）"), ("信息化运维项目", "信息化运维项目"),
     ("武警医疗经费", "武警医疗经费项目"), ("医保经费（区本级）", "医保经费（区本级）项目")],
)  # fmt: skip
def test_project_subject_says_xiangmu_once(name: str, subject: str) -> None:
    assert project_subject(name) == subject


def test_overview_names_units_funds_and_goal() -> None:
    item = checked(
        MINIMAL.replace(
            "实施单位: 上海市医疗保障局监督检查所", "实施单位: 上海市医疗保障局"
        ).replace(
            "  分值: 10\n",
            "  分值: 10\n  上年结转资金: {年初预算数: 0, 全年预算数: 10, 全年执行数: 5}\n",
        )
    )
    assert item.project is not None, item.findings
    assert project_overview(item.project, str) == (
        "信息化运维项目由上海市医疗保障局主管并实施，2024年度全年预算数336.01万元（当年财政拨款"
        "326.01万元，上年结转资金10万元），全年执行数167.30万元。项目年度目标：保障系统正常运行。"
    )


def test_a_missed_target_with_full_marks_is_not_completed() -> None:
    text = MINIMAL.replace('实际完成值: "4.00(项)"', '实际完成值: "3.00(项)"')
    assert "系统维护数量" in facts(text).not_completed


def test_spending_defaults_to_one_row_named_after_the_project() -> None:
    result = facts()
    (row,) = result.spending
    assert (row.content, row.total, row.fiscal, row.other, row.earmarked) == (
        "信息化运维项目",
        D("162.30"),
        D("162.30"),
        D(0),
        None,
    )
    assert result.spending_total.earmarked == D(0)


def test_overview_follows_the_unit_the_report_prints() -> None:
    item = checked()
    assert item.project is not None
    text = project_overview(item.project, lambda value: f"{value * 10000:f}", "元")
    assert "全年预算数3260100.00元，全年执行数1623000.00元。" in text
