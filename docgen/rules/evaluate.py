"""Everything the rules compute for one project, in one immutable result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docgen.model.project import FundLine, Project, Rounding
from docgen.rules.scoring import Grade, execution_rate, funds_score, grade, sum_lines


@dataclass(frozen=True)
class Evaluation:
    """The computed figures of one project's 自评表."""

    rounding: Rounding
    total: FundLine
    """年度资金总额: the three sources summed per column."""
    rate: Decimal
    """执行率 of 年度资金总额, in percent."""
    source_rates: tuple[Decimal, Decimal, Decimal]
    """执行率 of 当年财政拨款, 上年结转资金, 其他资金."""
    funds_score: Decimal
    indicator_scores: tuple[Decimal, ...]
    """Each indicator's 得分; an omitted 得分 is full marks."""
    weight_total: Decimal
    """项目资金 分值 plus every indicator's 分值 (100 on a sound form)."""
    total_score: Decimal
    grade: Grade


def evaluate(project: Project, rounding: Rounding | None = None) -> Evaluation:
    """Return what the rules compute for *project*.

    *rounding* is the run's choice; without it the project's own 舍入规则 applies, and
    without that the standard (2024) convention.
    """
    rounding = rounding or project.rounding or Rounding.STANDARD
    funds = project.funds
    sources = (funds.current, funds.carryover, funds.other)
    total = sum_lines(*sources)
    rate = execution_rate(total, rounding)
    score = funds_score(funds.weight, rate, rounding)
    indicator_scores = tuple(
        row.weight if row.score is None else row.score for row in project.indicators
    )
    total_score = score + sum(indicator_scores, Decimal(0))
    return Evaluation(
        rounding=rounding,
        total=total,
        rate=rate,
        source_rates=tuple(execution_rate(s, rounding) for s in sources),  # type: ignore[arg-type]
        funds_score=score,
        indicator_scores=indicator_scores,
        weight_total=funds.weight + sum((row.weight for row in project.indicators), Decimal(0)),
        total_score=total_score,
        grade=grade(total_score),
    )
