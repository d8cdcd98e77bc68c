"""What the 自评价报告 derives from a project: the 资金安排 table, the indicator lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from docgen.model.project import Project, Rounding
from docgen.model.report import LEVELS, OTHER_KINDS, FundBreakdown, Report
from docgen.rules.evaluate import Evaluation
from docgen.rules.scoring import HUNDRED, cut_rate
from docgen.rules.targets import target_met

FISCAL, OTHER, TOTAL = "财政小计", "其他小计", "合计"
COLUMNS = (TOTAL, FISCAL, *LEVELS, OTHER, *OTHER_KINDS)
"""The money columns of the 资金安排 table, left to right."""

BUDGET_RATE = "预算执行率"

Values = dict[str, Decimal | None]


class BudgetRateListing(str, Enum):
    """Where the report's lists put 预算执行率 (the 资金 line of 附表1)."""

    COMPLETED = "完成"
    """Always among 绩效目标完成的指标: the funds are scored, not a target (seed 004, 31.04 %)."""
    BY_SCORE = "按得分"
    """Completed only when the funds scored full marks; otherwise missed, with its rate."""


# A closing bracketed part of a name: "…服务项目 (2023运维)", "…项目（二期）".
_BRACKETED_TAIL = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def project_subject(name: str) -> str:
    """Return how the report's sentence names the project: with 项目 once.

    ``信息化运维`` → ``信息化运维项目``; ``信息化运维项目`` and ``…服务项目 (2023运维)`` stay.
    """
    stem = _BRACKETED_TAIL.sub("", name)
    return name if stem.endswith("项目") or name.endswith("项目") else f"{name}项目"


def project_overview(
    project: Project, amount: Callable[[Decimal], str], unit: str | None = None
) -> str:
    """Return the （一）项目概况 the data allows: who runs the project, its funds, its aim.

    *amount* prints a sum of the project in *unit* (default: the project's 金额单位), which
    follows it.
    """
    funds, unit = project.funds, unit or project.amount_unit
    department, unit_name = project.department.strip(), project.implementing_unit.strip()
    if department and unit_name and department != unit_name:
        who = f"由{department}主管、{unit_name}实施"
    elif department or unit_name:
        who = f"由{department or unit_name}主管并实施"
    else:
        who = ""
    budget = funds.current.budget + funds.carryover.budget + funds.other.budget
    executed = funds.current.executed + funds.carryover.executed + funds.other.executed
    sources = [
        f"{label}{amount(line.budget)}{unit}"
        for label, line in (
            ("当年财政拨款", funds.current),
            ("上年结转资金", funds.carryover),
            ("其他资金", funds.other),
        )
        if line.budget
    ]
    split = f"（{'，'.join(sources)}）" if len(sources) > 1 else ""
    text = (
        f"{project.name}{who}，{project.year}年度全年预算数{amount(budget)}{unit}{split}，"
        f"全年执行数{amount(executed)}{unit}。"
    )
    goal = project.goals.expected.strip()
    if goal:
        text += f"项目年度目标：{goal}" + ("" if goal.endswith(("。", "；", ".")) else "。")
    return text


@dataclass(frozen=True)
class ArrangementRow:
    """One row of the 资金安排 table: a label, its 行次 formula and a value per column."""

    label: str
    line: str
    values: Values
    is_rate: bool = False


@dataclass(frozen=True)
class SpendingRow:
    """One row of the 资金使用情况 table."""

    content: str
    total: Decimal
    fiscal: Decimal
    other: Decimal
    earmarked: Decimal | None


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report derives, before user overrides of text."""

    arrangement: tuple[ArrangementRow, ...]
    spending: tuple[SpendingRow, ...]
    spending_total: SpendingRow
    completed: tuple[str, ...]
    not_completed: tuple[str, ...]
    reasons: dict[str, str]
    """The reason given for each indicator that missed its target, by 三级指标."""


def report_facts(
    project: Project,
    evaluation: Evaluation,
    budget_rate: BudgetRateListing = BudgetRateListing.COMPLETED,
) -> ReportFacts:
    """Return the report's derived tables and lists for *project*.

    *budget_rate* says where the lists put 预算执行率 (seed 004: always completed).
    """
    report = project.report or Report()
    rows = _amount_rows(project, report)
    budget, invested, arrived, spent = (values for _, _, values in rows)
    balance = {c: _minus(arrived[c], spent[c]) for c in COLUMNS}
    rounding = evaluation.rounding
    arrangement = (
        *(ArrangementRow(label, line, values) for label, line, values in rows),
        ArrangementRow("资金结余", "(5)=(3)-(4)", balance),
        ArrangementRow("预算执行率(%)", "(6)=(3)/(1)", _rates(arrived, budget, rounding), True),
        ArrangementRow("资金到位率(%)", "(7)=(3)/(2)", _rates(arrived, invested, rounding), True),
        ArrangementRow("资金实际支出率(%)", "(8)=(4)/(3)", _rates(spent, arrived, rounding), True),
    )
    spending = _spending(project, report)
    completed, not_completed, reasons = _indicator_lists(project, evaluation, budget_rate)
    return ReportFacts(
        arrangement=arrangement,
        spending=spending,
        spending_total=SpendingRow(
            "合计",
            sum((r.total for r in spending), Decimal(0)),
            sum((r.fiscal for r in spending), Decimal(0)),
            sum((r.other for r in spending), Decimal(0)),
            sum((r.earmarked or Decimal(0) for r in spending), Decimal(0)),
        ),
        completed=completed,
        not_completed=not_completed,
        reasons=reasons,
    )


def _amount_rows(project: Project, report: Report) -> list[tuple[str, str, Values]]:
    labels = (
        ("预算安排", "(1)"),
        ("项目实际投入", "(2)"),
        ("资金到位", "(3)"),
        ("实际支出", "(4)"),
    )
    if report.arrangement is not None:
        given = report.arrangement
        breakdowns = (given.budget, given.invested, given.arrived, given.spent)
        return [
            (label, line, _from_breakdown(b))
            for (label, line), b in zip(labels, breakdowns, strict=True)
        ]
    funds = project.funds
    budget = (funds.current.budget + funds.carryover.budget, funds.other.budget)
    executed = (funds.current.executed + funds.carryover.executed, funds.other.executed)
    sums = (budget, executed, executed, executed)
    return [
        (label, line, _derived(fiscal, other, report))
        for (label, line), (fiscal, other) in zip(labels, sums, strict=True)
    ]


def _from_breakdown(b: FundBreakdown) -> Values:
    levels = (b.central, b.municipal, b.county, b.township)
    kinds = (b.self_raised, b.loans, b.social)
    fiscal, other = sum(levels, Decimal(0)), sum(kinds, Decimal(0))
    values: Values = {TOTAL: fiscal + other, FISCAL: fiscal, OTHER: other}
    values.update(zip(LEVELS, levels, strict=True))
    values.update(zip(OTHER_KINDS, kinds, strict=True))
    return values


def _derived(fiscal: Decimal, other: Decimal, report: Report) -> Values:
    """Return a row split as far as the data tells: an unknown split of a non-zero sum is blank."""
    values: Values = {TOTAL: fiscal + other, FISCAL: fiscal, OTHER: other}
    for level in LEVELS:
        if report.fund_level is not None:
            values[level] = fiscal if level == report.fund_level else Decimal(0)
        else:
            values[level] = Decimal(0) if fiscal == 0 else None
    for kind in OTHER_KINDS:
        values[kind] = Decimal(0) if other == 0 else None
    return values


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _rates(numerator: Values, denominator: Values, rounding: Rounding) -> Values:
    rates: Values = {}
    for column in COLUMNS:
        top, bottom = numerator[column], denominator[column]
        if top is None or bottom is None:
            rates[column] = None
        elif bottom == 0:
            rates[column] = Decimal("0.00")
        else:
            rates[column] = cut_rate(top / bottom * HUNDRED, rounding)
    return rates


def _spending(project: Project, report: Report) -> tuple[SpendingRow, ...]:
    if report.spending:
        return tuple(
            SpendingRow(i.content, i.fiscal + i.other, i.fiscal, i.other, i.earmarked)
            for i in report.spending
        )
    funds = project.funds
    fiscal = funds.current.executed + funds.carryover.executed
    other = funds.other.executed
    return (SpendingRow(project.name, fiscal + other, fiscal, other, None),)


def _indicator_lists(
    project: Project, evaluation: Evaluation, budget_rate: BudgetRateListing
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """Return the completed and missed indicators, and the reasons given for the missed.

    An indicator is completed when it scored full marks and its quantitative target (if any)
    was met; 预算执行率 is completed always (``完成``) or when the funds scored full marks
    (``按得分``).
    """
    completed: list[str] = []
    missed: list[str] = []
    reasons: dict[str, str] = {}
    full = evaluation.funds_score >= project.funds.weight
    if budget_rate is BudgetRateListing.COMPLETED or full:
        completed.append(BUDGET_RATE)
    else:
        missed.append(BUDGET_RATE)
        reasons[BUDGET_RATE] = f"全年预算执行率为{evaluation.rate}%，预算未全部执行。"
    for row, score in zip(project.indicators, evaluation.indicator_scores, strict=True):
        if score >= row.weight and target_met(row.target, row.actual) is not False:
            completed.append(row.name)
        else:
            missed.append(row.name)
            if row.deviation.strip():
                reasons[row.name] = row.deviation.strip()
    return tuple(completed), tuple(missed), reasons
