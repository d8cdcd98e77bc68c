"""The arithmetic of the form: totals, 执行率, the funds score, 总分 and 评分等级."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import Enum

from docgen.model.project import FundLine, Rounding

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def truncate(value: Decimal) -> Decimal:
    """Return *value* cut (not rounded) to two decimals: 99.0998 → 99.09."""
    return value.quantize(CENT, rounding=ROUND_DOWN)


def round_half_up(value: Decimal) -> Decimal:
    """Return *value* rounded half-up to two decimals: 4.975 → 4.98."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def cut_rate(value: Decimal, rounding: Rounding) -> Decimal:
    """Return a percentage cut to two decimals as *rounding* prescribes for 执行率."""
    return round_half_up(value) if rounding is Rounding.HALF_UP else truncate(value)


def cut_score(value: Decimal, rounding: Rounding) -> Decimal:
    """Return a score cut to two decimals as *rounding* prescribes for 得分."""
    return truncate(value) if rounding is Rounding.TRUNCATE else round_half_up(value)


def sum_lines(*lines: FundLine) -> FundLine:
    """Return the column-wise sum of fund lines (年度资金总额 = the three sources)."""
    return FundLine.model_construct(  # sums of validated amounts: nothing to validate
        initial=sum((line.initial for line in lines), Decimal(0)),
        budget=sum((line.budget for line in lines), Decimal(0)),
        executed=sum((line.executed for line in lines), Decimal(0)),
    )


def execution_rate(line: FundLine, rounding: Rounding) -> Decimal:
    """Return 执行率 = 全年执行数 / 全年预算数 in percent, two decimals; 0 without a budget."""
    if line.budget == 0:
        return Decimal("0.00")
    return cut_rate(line.executed / line.budget * HUNDRED, rounding)


def funds_score(weight: Decimal, rate: Decimal, rounding: Rounding) -> Decimal:
    """Return 资金得分 = 分值 × 执行率, never above 分值: 10 × 49.78 % → 4.98."""
    return min(cut_score(weight * rate / HUNDRED, rounding), weight)


class Grade(Enum):
    """The four 评分等级 bands, best first."""

    EXCELLENT = Decimal(90)
    GOOD = Decimal(80)
    FAIR = Decimal(60)
    POOR = Decimal(0)


TABLE_GRADE_WORDS: dict[Grade, str] = {
    Grade.EXCELLENT: "优",
    Grade.GOOD: "良",
    Grade.FAIR: "中",
    Grade.POOR: "差",
}
"""The words of the 自评表 (seeds 001, 002)."""

REPORT_GRADE_WORDS: dict[Grade, str] = {
    Grade.EXCELLENT: "优秀",
    Grade.GOOD: "良好",
    Grade.FAIR: "中等",
    Grade.POOR: "差",
}
"""The words of the 自评价报告 (seed 004)."""


def grade(total: Decimal) -> Grade:
    """Return the 评分等级 of a 总分: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差."""
    return next((band for band in Grade if total >= band.value), Grade.POOR)


def parse_grade(word: str) -> Grade | None:
    """Return the band a stated grade word names, in either document's wording."""
    for words in (TABLE_GRADE_WORDS, REPORT_GRADE_WORDS):
        for band, text in words.items():
            if word.strip() == text:
                return band
    return None
