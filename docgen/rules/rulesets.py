"""The named scoring rule sets (评分规则): what 财预〔2020〕10号 and 财预〔2021〕101号 give.

Both texts score a quantitative indicator by its 完成率: 完成值 / 指标值, or 指标值 / 完成值 for
a lower-is-better (``≤``, ``<``) target.

- 财预〔2020〕10号, 第十六条: a target met scores its full 分值, one missed scores
  分值 × 完成率.  The funds score is 分值 × 执行率, as without a rule set.
- 财预〔2021〕101号, 三（七）: 完成率 below 60 % scores 0, otherwise
  (完成率 − 60 %) / (1 − 60 %) × 分值; 预算执行率 and 满意度 are scored in bands.

A qualitative indicator (达成指标, 合规, 及时 …) is scored in three bands (100–80 %, 80–60 %,
60–0 % of 分值) that only the evaluator can choose: its omitted 得分 is full marks when the
实际完成值 says the target was reached, and must be typed otherwise.  Every computed score is
rounded half-up to two decimals.  The functions here are pure; ``score_indicator`` and
``score_funds`` are what ``evaluate`` calls.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from docgen.errors import InputError
from docgen.i18n import _
from docgen.model.project import Indicator, Rounding, Scoring, scoring_names
from docgen.rules.scoring import HUNDRED, funds_score, round_half_up
from docgen.rules.targets import Quantity, comparable, meets

TYPED, DEFAULT = "typed", "default"
"""The rule of a score typed in the file, and of an omitted score without a rule set."""

CLAUSES = {Scoring.CZY_2020_10: "第十六条", Scoring.CZY_2021_101: "三（七）"}
"""The clause of each text that says how indicators are scored."""

OVER_COMPLETION = Decimal(130)
"""完成率 (in %) from which a target counts as far exceeded: its cause should be explained."""

LOWER_IS_BETTER = ("≤", "<")
SATISFACTION = "满意度指标"
_PASS = Decimal("0.6")

FUNDS_BANDS = ((Decimal(100), Decimal(1)), (Decimal(80), Decimal("0.7")),
               (Decimal(60), Decimal("0.5")))  # fmt: skip
"""101号: 预算执行率 from (in %) → share of the funds 分值; below the last, 0."""

SATISFACTION_BANDS = ((Decimal(90), Decimal(1)), (Decimal(80), Decimal("0.8")),
                      (Decimal(60), Decimal("0.5")))  # fmt: skip
"""101号: satisfaction rate from (in %) → share of 分值; below the last, 0."""

WEIGHTS_10 = {"预算执行率": Decimal(10), "产出": Decimal(50), "效益": Decimal(30),
              "满意度": Decimal(10)}  # fmt: skip
WEIGHTS_101 = {"预算执行率": Decimal(10), "成本": Decimal(20), "产出": Decimal(40),
               "效益": Decimal(20), "满意度": Decimal(10)}  # fmt: skip
"""The weights the texts suggest per 一级指标 (10号 counts 成本 within 产出)."""

REACHED = ("达成", "达到", "完成", "实现", "达标")
NOT_REACHED = ("未", "没有", "不", "无法", "部分", "基本", "尚")


@dataclass(frozen=True)
class RuleFigure:
    """What a rule set gives one indicator, and the clause that says so."""

    points: Decimal
    clause: str


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's 得分 and where it comes from."""

    points: Decimal
    """The 得分 counted in 总分."""
    rule: str
    """``typed``, ``default``, or the rule set's name when the rule computed it."""
    clause: str = ""
    """The clause and the reckoning, when a rule set computed (or would compute) the score."""
    rule_points: Decimal | None = None
    """The rule set's own figure, where it gives one (also when the 得分 was typed)."""
    needs_score: bool = False
    """Omitted, yet the rule set cannot decide it: the 得分 must be typed."""


def completion_rate(target: Quantity, actual: Quantity) -> Decimal | None:
    """Return 完成率 as a fraction: 完成值 / 指标值, or 指标值 / 完成值 when lower is better.

    ``None`` when the denominator is zero (a target of 0, or an actual of 0 below a ceiling).
    """
    top, bottom = (
        (target.value, actual.value)
        if target.op in LOWER_IS_BETTER
        else (actual.value, target.value)
    )
    return None if bottom == 0 else top / bottom


def _percent(rate: Decimal) -> str:
    return f"{round_half_up(rate * HUNDRED)}%"


def _ratio_words(target: Quantity) -> str:
    return "指标值/完成值" if target.op in LOWER_IS_BETTER else "完成值/指标值"


def proportional(weight: Decimal, target: Quantity, actual: Quantity) -> RuleFigure:
    """Return 10号's score: full 分值 when met, else 分值 × 完成率 (at most 分值)."""
    clause = CLAUSES[Scoring.CZY_2020_10]
    if meets(target, actual):
        return RuleFigure(round_half_up(weight), f"{clause}：达到年度指标值，得满分")
    rate = completion_rate(target, actual)
    if rate is None:
        return RuleFigure(Decimal("0.00"), f"{clause}：未达到年度指标值，完成率无法计算，得 0 分")
    points = round_half_up(min(weight * rate, weight))
    return RuleFigure(
        points, f"{clause}：未达到年度指标值，完成率 {_percent(rate)}（{_ratio_words(target)}），"
        "按比例得分",
    )  # fmt: skip


def banded_completion(weight: Decimal, target: Quantity, actual: Quantity) -> RuleFigure:
    """Return 101号's score: 0 below 60 % 完成率, else (完成率 − 60 %) / 40 % × 分值, capped.

    The cap is full marks from a 完成率 of 100 %.
    """
    clause = CLAUSES[Scoring.CZY_2021_101]
    rate = completion_rate(target, actual)
    if rate is None:
        rate = Decimal(1) if meets(target, actual) else Decimal(0)
    shown = f"完成率 {_percent(rate)}（{_ratio_words(target)}）"
    if rate < _PASS:
        return RuleFigure(Decimal("0.00"), f"{clause}：{shown}，低于 60%，得 0 分")
    if rate >= 1:
        return RuleFigure(round_half_up(weight), f"{clause}：{shown}，得满分")
    points = round_half_up((rate - _PASS) / (1 - _PASS) * weight)
    return RuleFigure(points, f"{clause}：{shown}，(完成率 − 60%)/(1 − 60%) × 分值")


def band_share(value: Decimal, bands: tuple[tuple[Decimal, Decimal], ...]) -> Decimal:
    """Return the share of 分值 that *value* (in %) earns in *bands*; 0 below the last."""
    return next((share for start, share in bands if value >= start), Decimal(0))


def satisfaction(weight: Decimal, actual: Quantity) -> RuleFigure:
    """Return 101号's score of a 满意度指标 from the satisfaction rate itself (in %)."""
    share = band_share(actual.value, SATISFACTION_BANDS)
    return RuleFigure(
        round_half_up(weight * share),
        f"{CLAUSES[Scoring.CZY_2021_101]}：满意度 {actual.value}%，得分值的 {_share(share)}",
    )


def _share(share: Decimal) -> str:
    return f"{(share * HUNDRED).normalize():f}%"


def _proportional_row(row: Indicator, target: Quantity, actual: Quantity) -> RuleFigure:
    return proportional(row.weight, target, actual)


def _banded_row(row: Indicator, target: Quantity, actual: Quantity) -> RuleFigure:
    if row.level1 == SATISFACTION and "%" in (actual.unit or target.unit or ""):
        return satisfaction(row.weight, actual)
    return banded_completion(row.weight, target, actual)


def _funds_times_rate(weight: Decimal, rate: Decimal, rounding: Rounding) -> tuple[Decimal, str]:
    return funds_score(weight, rate, rounding), f"分值 × 执行率，舍入规则 {rounding.value}"


def _funds_bands(weight: Decimal, rate: Decimal, rounding: Rounding) -> tuple[Decimal, str]:
    share = band_share(rate, FUNDS_BANDS)
    clause = CLAUSES[Scoring.CZY_2021_101]
    return round_half_up(weight * share), f"{clause}：预算执行率 {rate}%，得分值的 {_share(share)}"


@dataclass(frozen=True)
class RuleSet:
    """One named rule set: how it scores quantitative indicators and the funds, its weights."""

    scoring: Scoring
    quantitative: Callable[[Indicator, Quantity, Quantity], RuleFigure]
    funds: Callable[[Decimal, Decimal, Rounding], tuple[Decimal, str]]
    """(分值, 执行率 in %, rounding) → (得分, how)."""
    weights: Callable[[bool], Mapping[str, Decimal]]
    """Whether 成本指标 exist → the suggested 分值 per group."""

    @property
    def name(self) -> str:
        """Return the official name: ``财预〔2020〕10号``."""
        return self.scoring.value


RULE_SETS: dict[Scoring, RuleSet] = {
    Scoring.CZY_2020_10: RuleSet(
        Scoring.CZY_2020_10, _proportional_row, _funds_times_rate, lambda cost: WEIGHTS_10
    ),
    Scoring.CZY_2021_101: RuleSet(
        Scoring.CZY_2021_101,
        _banded_row,
        _funds_bands,
        lambda cost: WEIGHTS_101 if cost else WEIGHTS_10,
    ),
}
"""The registry of named rule sets."""


def scoring_named(name: str) -> Scoring:
    """Return the rule set called *name* (official, bracket variant or ASCII alias)."""
    try:
        return Scoring(name)
    except ValueError:
        raise InputError(
            _("unknown 评分规则 {name}").format(name=repr(name)),
            hint=_("use {names}").format(names=scoring_names()),
        ) from None


def rule_figure(scoring: Scoring, row: Indicator) -> RuleFigure | None:
    """Return what *scoring* gives a quantitative *row*; ``None`` for a qualitative one."""
    pair = comparable(row.target, row.actual)
    if pair is None:
        return None
    return RULE_SETS[scoring].quantitative(row, *pair)


def qualitative_reached(target: str, actual: str) -> bool:
    """Return whether a qualitative 实际完成值 says that the target was reached.

    It does when it repeats the target's words ("及时" for "及时"), or when it says 达成,
    达到, 完成, 实现 or 达标 without a word that takes it back (未, 部分, 基本 …).
    """
    said, wanted = _fold(actual), _fold(target)
    if said and said == wanted:
        return True
    return any(word in said for word in REACHED) and not any(w in said for w in NOT_REACHED)


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def score_indicator(row: Indicator, scoring: Scoring | None) -> IndicatorScore:
    """Return the 得分 of *row*: typed, computed by *scoring*, or full marks by default."""
    if scoring is None:
        if row.score is None:
            return IndicatorScore(row.weight, DEFAULT)
        return IndicatorScore(row.score, TYPED)
    figure = rule_figure(scoring, row)
    if row.score is not None:
        if figure is None:
            return IndicatorScore(row.score, TYPED)
        return IndicatorScore(row.score, TYPED, figure.clause, figure.points)
    if figure is not None:
        return IndicatorScore(figure.points, scoring.value, figure.clause, figure.points)
    clause = f"{CLAUSES[scoring]}：定性指标"
    if qualitative_reached(row.target, row.actual):
        full = round_half_up(row.weight)
        return IndicatorScore(full, scoring.value, f"{clause}，已达成，得满分", full)
    return IndicatorScore(Decimal("0.00"), scoring.value, clause, needs_score=True)


def score_funds(
    weight: Decimal, rate: Decimal, rounding: Rounding, scoring: Scoring | None
) -> tuple[Decimal, str]:
    """Return the funds 得分 for 执行率 *rate* (in %) and how it was reckoned."""
    if scoring is None:
        return _funds_times_rate(weight, rate, rounding)
    return RULE_SETS[scoring].funds(weight, rate, rounding)


def completion_rate_percent(row: Indicator) -> Decimal | None:
    """Return the 完成率 of *row* in %, when it is quantitative and can be computed."""
    pair = comparable(row.target, row.actual)
    if pair is None:
        return None
    rate = completion_rate(*pair)
    return None if rate is None else round_half_up(rate * HUNDRED)


def weight_group(level1: str) -> str | None:
    """Return the group of suggested weights an 一级指标 belongs to (产出, 效益 …)."""
    return next((g for g in ("成本", "产出", "效益", "满意度") if level1.startswith(g)), None)


def project_weights(
    funds_weight: Decimal, indicators: list[Indicator], scoring: Scoring
) -> tuple[dict[str, Decimal], Mapping[str, Decimal]]:
    """Return the project's weights per group and the ones *scoring* suggests.

    Under 10号 a 成本指标 group counts within 产出; an 一级指标 outside the groups keeps its name.
    """
    has_cost = any(weight_group(row.level1) == "成本" for row in indicators)
    wanted = RULE_SETS[scoring].weights(has_cost)
    actual: dict[str, Decimal] = {name: Decimal(0) for name in wanted}
    actual["预算执行率"] = funds_weight
    for row in indicators:
        group = weight_group(row.level1) or row.level1
        if group == "成本" and "成本" not in wanted:
            group = "产出"
        actual[group] = actual.get(group, Decimal(0)) + row.weight
    return actual, wanted
