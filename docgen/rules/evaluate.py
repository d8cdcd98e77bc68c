"""Everything the rules compute for one project, in one immutable result."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from docgen.model.project import FundLine, Project, Rounding, Scoring
from docgen.rules.rulesets import OVER_COMPLETION, IndicatorScore, score_funds, score_indicator
from docgen.rules.scoring import Grade, execution_rate, grade, sum_lines


@dataclass(frozen=True)
class RuleOptions:
    """Which conventions the rules follow; ``None`` means "not said here".

    A run (``--rounding``, ``--scoring``), a project file (舍入规则, 评分规则) and a template's
    config each say some of them; ``evaluate`` takes them in that order.
    """

    rounding: Rounding | None = None
    scoring: Scoring | None = None
    over_completion: Decimal | None = None
    """完成率 (in %) from which an exceeded target asks for its cause (default 130)."""

    def over(self, fallback: RuleOptions | None) -> RuleOptions:
        """Return these options, each one not said here taken from *fallback*."""
        if fallback is None:
            return self
        taken = {
            f.name: getattr(fallback, f.name) for f in fields(self) if getattr(self, f.name) is None
        }
        return replace(self, **taken)


NO_OPTIONS = RuleOptions()


@dataclass(frozen=True)
class Evaluation:
    """The computed figures of one project's 自评表."""

    rounding: Rounding
    scoring: Scoring | None
    """The rule set the indicators were scored by; ``None``: as typed, omitted = full marks."""
    over_completion: Decimal
    total: FundLine
    """年度资金总额: the three sources summed per column."""
    rate: Decimal
    """执行率 of 年度资金总额, in percent."""
    source_rates: tuple[Decimal, Decimal, Decimal]
    """执行率 of 当年财政拨款, 上年结转资金, 其他资金."""
    funds_score: Decimal
    funds_rule: str
    """How 资金得分 was reckoned: 分值 × 执行率, or the rule set's clause and band."""
    indicators: tuple[IndicatorScore, ...]
    """Each indicator's 得分 and where it comes from."""
    weight_total: Decimal
    """项目资金 分值 plus every indicator's 分值 (100 on a sound form)."""
    total_score: Decimal
    grade: Grade

    @property
    def indicator_scores(self) -> tuple[Decimal, ...]:
        """Return each indicator's 得分, as counted in 总分."""
        return tuple(score.points for score in self.indicators)

    @property
    def options(self) -> RuleOptions:
        """Return the conventions this evaluation followed."""
        return RuleOptions(self.rounding, self.scoring, self.over_completion)


def evaluate(
    project: Project, run: RuleOptions | None = None, default: RuleOptions | None = None
) -> Evaluation:
    """Return what the rules compute for *project*.

    *run* holds the run's choices; what it leaves open comes from the project's own 舍入规则
    and 评分规则, then from *default* (a template's config), then the standard (2024)
    rounding, no rule set and an over-completion threshold of 130 %.
    """
    own = RuleOptions(project.rounding, project.scoring)
    options = (run or NO_OPTIONS).over(own).over(default)
    rounding = options.rounding or Rounding.STANDARD
    funds = project.funds
    sources = (funds.current, funds.carryover, funds.other)
    total = sum_lines(*sources)
    rate = execution_rate(total, rounding)
    score, funds_rule = score_funds(funds.weight, rate, rounding, options.scoring)
    indicators = tuple(score_indicator(row, options.scoring) for row in project.indicators)
    total_score = score + sum((s.points for s in indicators), Decimal(0))
    return Evaluation(
        rounding=rounding,
        scoring=options.scoring,
        over_completion=options.over_completion or OVER_COMPLETION,
        total=total,
        rate=rate,
        source_rates=tuple(execution_rate(s, rounding) for s in sources),  # type: ignore[arg-type]
        funds_score=score,
        funds_rule=funds_rule,
        indicators=indicators,
        weight_total=funds.weight + sum((row.weight for row in project.indicators), Decimal(0)),
        total_score=total_score,
        grade=grade(total_score),
    )
