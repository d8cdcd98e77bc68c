"""The rules reproduce every figure the seed forms print."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from docgen.model.project import FundLine, Rounding
from docgen.pipeline import check_file
from docgen.rules.scoring import (
    Grade,
    execution_rate,
    funds_score,
    grade,
    parse_grade,
    sum_lines,
)
from tests.conftest import DATA
from tests.seeds_printed import PRINTED


def line(budget: str, executed: str) -> FundLine:
    return FundLine(initial=D(budget), budget=D(budget), executed=D(executed))


@pytest.mark.parametrize(
    ("budget", "executed", "rounding", "rate", "score"),
    [
        # 2024 forms (seed 002): 执行率 truncated, 得分 rounded half-up.
        ("326.01", "162.30", Rounding.STANDARD, "49.78", "4.98"),
        ("299.92", "78.30", Rounding.STANDARD, "26.10", "2.61"),
        # 2023 卫健委 forms (seed 001): both truncated.
        ("132.20", "131.01", Rounding.TRUNCATE, "99.09", "9.90"),
        ("80.95", "80.94", Rounding.TRUNCATE, "99.98", "9.99"),
        # The same figures under the other conventions differ exactly where the seeds say.
        ("132.20", "131.01", Rounding.STANDARD, "99.09", "9.91"),
        ("326.01", "162.30", Rounding.TRUNCATE, "49.78", "4.97"),
        # The report of seed 004 rounds both: 1,316,006.97 of 4,240,000 元.
        ("4240000", "1316006.97", Rounding.HALF_UP, "31.04", "3.10"),
        ("4240000", "1316006.97", Rounding.STANDARD, "31.03", "3.10"),
        # Seed 000, in 元.
        ("70000", "70000", Rounding.STANDARD, "100.00", "10.00"),
    ],
)
def test_rate_and_funds_score(
    budget: str, executed: str, rounding: Rounding, rate: str, score: str
) -> None:
    computed = execution_rate(line(budget, executed), rounding)
    assert computed == D(rate)
    assert funds_score(D(10), computed, rounding) == D(score)


def test_funds_score_never_exceeds_its_weight() -> None:
    rate = execution_rate(line("100", "130"), Rounding.STANDARD)
    assert rate == D("130.00")
    assert funds_score(D(10), rate, Rounding.STANDARD) == D(10)


def test_rate_without_budget_is_zero() -> None:
    assert execution_rate(line("0", "0"), Rounding.STANDARD) == D("0.00")


def test_total_is_the_column_sum_of_sources() -> None:
    total = sum_lines(line("1.39", "1.39"), line("0.61", "0.50"), line("0", "0"))
    assert (total.budget, total.executed) == (D("2.00"), D("1.89"))


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D("100"), Grade.EXCELLENT),
        (D("90.00"), Grade.EXCELLENT),
        (D("89.99"), Grade.GOOD),
        (D("86.61"), Grade.GOOD),
        (D("80"), Grade.GOOD),
        (D("79.99"), Grade.FAIR),
        (D("60"), Grade.FAIR),
        (D("59.99"), Grade.POOR),
        (D("0"), Grade.POOR),
    ],
)
def test_grade_bands(total: D, band: Grade) -> None:
    assert grade(total) is band


@pytest.mark.parametrize(
    ("word", "band"),
    [("优", Grade.EXCELLENT), ("优秀", Grade.EXCELLENT), ("良", Grade.GOOD), ("良好", Grade.GOOD),
     ("中", Grade.FAIR), ("差", Grade.POOR), ("极好", None)],
)  # fmt: skip
def test_parse_grade(word: str, band: Grade | None) -> None:
    assert parse_grade(word) is band


@pytest.mark.parametrize(
    "printed", PRINTED, ids=[f"{entry[0][:7]}-{entry[1]}" for entry in PRINTED]
)
def test_every_printed_figure_of_the_seeds_is_reproduced(
    printed: tuple[str, str, D, D, D, str | None],
) -> None:
    file, name, rate, score, total, band = printed
    (item,) = [i for i in check_file(DATA / file) if i.project and i.project.name == name]
    ev = item.evaluation
    assert ev is not None
    assert ev.rate == rate
    assert ev.funds_score == score
    assert ev.total_score == total
    if band is not None:
        assert parse_grade(band) is ev.grade
    assert item.errors == []
