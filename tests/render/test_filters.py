from __future__ import annotations

from decimal import Decimal as D

import pytest

from docgen.render.filters import money, percent, rate, score


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("7711.175"), "7,711.18"), (D("4240000"), "4,240,000.00"), (D("0"), "0.00"),
     (D("-0.00"), "0.00"), (D("162.3"), "162.30"), (None, ""), ("文字", "文字"), (D("1e30"), "1E+30")],
)  # fmt: skip
def test_money(value: object, expected: str) -> None:
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("5"), "5.00"), (D("4.5"), "4.50"), (D("4.975"), "4.98"), (D("-0"), "0.00"), (None, "")],
)
def test_score_and_rate(value: object, expected: str) -> None:
    assert score(value) == expected == rate(value)


def test_percent() -> None:
    assert percent(D("49.78")) == "49.78%"
    assert percent(None) == ""
