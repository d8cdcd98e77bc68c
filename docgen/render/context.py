"""The variables a template sees: the form's labels, with every computed figure filled in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from docgen.model.project import FundLine, Project
from docgen.model.report import LEVELS, OTHER_KINDS, Report
from docgen.render.filters import filters_for, score
from docgen.rules.evaluate import Evaluation
from docgen.rules.report import (
    BUDGET_RATE,
    ArrangementRow,
    BudgetRateListing,
    SpendingRow,
    project_overview,
    project_subject,
    report_facts,
)
from docgen.rules.scoring import REPORT_GRADE_WORDS, TABLE_GRADE_WORDS, Grade

Unit = Literal["万元", "元"]


@dataclass(frozen=True)
class Style:
    """How a template prints what context.py formats: its ``数字格式`` and ``预算执行率``."""

    numbers: str = "两位小数"
    budget_rate: BudgetRateListing = BudgetRateListing.COMPLETED

    @property
    def general(self) -> bool:
        """Return whether figures print as the official report does (常规)."""
        return self.numbers == "常规"


_AMOUNT_LINES = frozenset(("(1)", "(2)", "(3)", "(4)"))
# The 资金安排 columns that split a total; the official report leaves them blank when zero in
# the rows (1)–(4) (常规).
_SPLITS = frozenset((*LEVELS, *OTHER_KINDS))
_FACTORS = {("万元", "元"): Decimal(10000), ("元", "万元"): Decimal("0.0001")}


def unit_factor(project: Project, unit: Unit | None) -> Decimal:
    """Return what the project's amounts are multiplied by to print them in *unit*."""
    return _FACTORS.get((project.amount_unit, unit or project.amount_unit), Decimal(1))


def _line(line: FundLine, rate: Decimal, factor: Decimal) -> dict[str, Decimal]:
    return {
        "年初预算数": line.initial * factor,
        "全年预算数": line.budget * factor,
        "全年执行数": line.executed * factor,
        "执行率": rate,
    }


def table_context(
    project: Project,
    evaluation: Evaluation,
    grade_words: dict[Grade, str] | None = None,
    unit: Unit | None = None,
    style: Style | None = None,
) -> dict[str, Any]:
    """Return the 自评表's variables for one project (amounts in *unit* if given).

    The template's filters print its figures, so *style* changes nothing here.
    """
    funds = project.funds
    words = grade_words or TABLE_GRADE_WORDS
    factor = unit_factor(project, unit)
    current, carryover, other = evaluation.source_rates
    return {
        "年度": project.year,
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementing_unit,
        "金额单位": unit or project.amount_unit,
        "舍入规则": evaluation.rounding.value,
        "评分规则": evaluation.scoring.value if evaluation.scoring is not None else "",
        "项目资金": {
            "分值": funds.weight,
            "执行率": evaluation.rate,
            "得分": evaluation.funds_score,
            "得分依据": evaluation.funds_rule,
            # A stated total is printed as stated (``check`` warns when its sources disagree).
            "年度资金总额": _line(funds.stated_total or evaluation.total, evaluation.rate, factor),
            "当年财政拨款": _line(funds.current, current, factor),
            "上年结转资金": _line(funds.carryover, carryover, factor),
            "其他资金": _line(funds.other, other, factor),
        },
        "年度总体目标": {
            "预期目标": project.goals.expected,
            "实际完成情况": project.goals.actual,
        },
        "绩效指标": [
            {
                "一级指标": row.level1,
                "二级指标": row.level2,
                "三级指标": row.name,
                "年度指标值": row.target,
                "实际完成值": row.actual,
                "分值": row.weight,
                "得分": scored.points,
                "得分来源": scored.rule,
                "得分依据": scored.clause,
                "偏差原因分析及改进措施": row.deviation,
            }
            for row, scored in zip(project.indicators, evaluation.indicators, strict=True)
        ],
        "分值合计": evaluation.weight_total,
        "总分": evaluation.total_score,
        "评分等级": words[evaluation.grade],
        "末组行数": _last_group_rows(project),
    }


def _last_group_rows(project: Project) -> int:
    """Return how many indicator rows the last 一级指标 group has (the form's closing block)."""
    last = project.indicators[-1].level1
    rows = list(itertools.takewhile(lambda row: row.level1 == last, reversed(project.indicators)))
    return len(rows)


def _listing(items: tuple[str, ...] | list[str]) -> str:
    """Return indicator names as the report lists them: ``甲；乙；丙。`` (or 无)."""
    return "；".join(items) + "。" if items else "无"


def _scores_rows(project: Project, evaluation: Evaluation) -> list[dict[str, Any]]:
    """Return the rows of 附表1: 预算执行率, then per 一级指标 a subtotal (if several) and rows."""
    rows: list[dict[str, Any]] = [
        {"一级指标": BUDGET_RATE, "三级指标": BUDGET_RATE, "权重": project.funds.weight,
         "目标值": "", "业绩值": "", "评分结果": evaluation.funds_score, "小计": False},
    ]  # fmt: skip
    pairs = zip(project.indicators, evaluation.indicator_scores, strict=True)
    for level1, group in itertools.groupby(pairs, key=lambda pair: pair[0].level1):
        items = list(group)
        if len(items) > 1:
            rows.append(
                {"一级指标": level1, "三级指标": "", "目标值": "", "业绩值": "", "小计": True,
                 "权重": sum((row.weight for row, _ in items), Decimal(0)),
                 "评分结果": sum((points for _, points in items), Decimal(0))}
            )  # fmt: skip
        rows.extend(
            {"一级指标": level1, "三级指标": row.name, "权重": row.weight, "目标值": row.target,
             "业绩值": row.actual, "评分结果": points, "小计": False}
            for row, points in items
        )  # fmt: skip
    return rows


def report_context(
    project: Project,
    evaluation: Evaluation,
    grade_words: dict[Grade, str] | None = None,
    unit: Unit | None = None,
    style: Style | None = None,
) -> dict[str, Any]:
    """Return the 自评价报告's variables for one project (the 自评表's ones included).

    *style* is the template's: how the 资金 tables print figures (``数字格式``) and where the
    lists put 预算执行率.
    """
    style = style or Style()
    words = grade_words or REPORT_GRADE_WORDS
    context = table_context(project, evaluation, words, unit)
    factor = unit_factor(project, unit)
    formats = filters_for(style.numbers)
    money, rate = formats["money"], formats["rate"]
    report = project.report or Report()
    facts = report_facts(project, evaluation, style.budget_rate)
    grade_word = words[evaluation.grade]
    subject = project_subject(project.name)
    analysis = report.analysis or (
        "综合考虑投入、产出、效果、影响力等各方面因素，通过数据采集及分析，最终评分结果："
        f"{subject}绩效自评价结果为：总得分{score(evaluation.total_score)}分，"
        f"属于“{grade_word}”。"
    )
    completed = facts.completed if report.completed is None else tuple(report.completed)
    missed = facts.not_completed if report.not_completed is None else tuple(report.not_completed)
    explained = [f"{name}：{facts.reasons[name]}" for name in missed if name in facts.reasons]
    reasons = report.reasons if report.reasons is not None else "\n".join(explained) or "无"

    def spending_row(row: SpendingRow, total: bool = False) -> dict[str, str]:
        def cell(value: Decimal | None) -> str:
            if value is None or (style.general and not total and not value):
                return ""  # the official report leaves a row's zero empty, not its 合计's
            return money(value * factor)

        return {
            "项目支出内容": row.content,
            "合计": cell(row.total),
            "财政资金支出数": cell(row.fiscal),
            "其他资金支出数": cell(row.other),
            "财政资金专款专用数": cell(row.earmarked),
        }

    def arrangement_cell(row: ArrangementRow, column: str, value: Decimal | None) -> str:
        if value is None:
            return ""
        if row.is_rate:
            return rate(value)
        if style.general and row.line in _AMOUNT_LINES and column in _SPLITS and not value:
            return ""  # rows (1)–(4): a zero split is left empty (seed 004)
        return money(value * factor)

    overview = report.overview or project_overview(
        project, lambda value: money(value * factor), unit or project.amount_unit
    )

    context.update(
        {
            "报告": {
                "项目概况": overview,
                "项目总目标": report.overall_goal or "无",
                "项目年度绩效目标": report.annual_goal or project.goals.expected,
                "项目实施计划": report.plan or "无",
                "绩效分析": analysis,
                "完成的指标": _listing(completed),
                "未完成的指标": _listing(missed),
                "未完成原因": reasons,
                "对项目管理及实施的建议": report.management,
                "对完善制度保障的建议": report.institutions,
                "对以后年度项目预算安排的建议": report.budgeting,
                "备注": report.remarks,
            },
            "资金安排": [
                {"项目": row.label, "行次": row.line}
                | {
                    column: arrangement_cell(row, column, value)
                    for column, value in row.values.items()
                }
                for row in facts.arrangement
            ],
            "资金使用情况": {
                "合计": spending_row(facts.spending_total, total=True),
                "行": [spending_row(row) for row in facts.spending],
            },
            "附表1": _scores_rows(project, evaluation),
            "总得分": evaluation.total_score,
            "评价等级": grade_word,
            "预算执行率": evaluation.rate,
        }
    )
    return context
