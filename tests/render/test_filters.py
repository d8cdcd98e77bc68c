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


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("120"), "壹佰贰拾元整"), (D("1316006.97"), "壹佰叁拾壹万陆仟零陆元玖角柒分"),
     (D("4240000"), "肆佰贰拾肆万元整"), (D("100.05"), "壹佰元零伍分"), (D("10"), "壹拾元整"),
     (D("0.05"), "伍分"), (D("100000001"), "壹亿零壹元整"), (D("10005"), "壹万零伍元整"),
     (D("0"), "零元整"), (D("-3.5"), "负叁元伍角"), (D("101000"), "壹拾万壹仟元整")],
)  # fmt: skip
def test_rmb_upper(value: D, expected: str) -> None:
    from docgen.render.filters import rmb_upper

    assert rmb_upper(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-31", "2024年12月31日"),
        ("2024-01-05", "2024年1月5日"),
        ("明年", "明年"),
        (None, ""),
    ],
)
def test_date_cn(value: object, expected: str) -> None:
    import datetime

    from docgen.render.filters import date_cn

    assert date_cn(value) == expected
    assert date_cn(datetime.date(2024, 12, 31)) == "2024年12月31日"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1e15"), "壹仟万亿元整"),
        (D("1e16"), "壹亿亿元整"),
        (D("30000000000000000000"), "叁仟亿亿元整"),  # 3 × 10¹⁵ 万元 in 元
        (D("10000000000000001.5"), "壹亿亿零壹元伍角"),
        (
            D("999999999999999999999999.99"),
            "玖仟玖佰玖拾玖万亿亿玖仟玖佰玖拾玖亿亿玖仟玖佰玖拾玖万亿"
            "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ],
)
def test_rmb_upper_covers_every_amount_data_can_reach(value: D, expected: str) -> None:
    from docgen.render.filters import rmb_upper

    assert rmb_upper(value) == expected


def test_rmb_upper_beyond_its_words_prints_the_figure() -> None:
    from docgen.render.filters import money, rmb_upper

    for value in (D("1e24"), D("1e40"), D("-1e30")):
        assert rmb_upper(value) == money(value)


@pytest.mark.parametrize(
    ("value", "printed"),
    [(D("4240000.00"), "4240000"), (D("1316006.97"), "1316006.97"),
     (D("93.10"), "93.1"), (D("31.04"), "31.04"), (D("100.00"), "100"),
     (D("0.00"), "0"), (D("-0"), "0"), (D("7711.175"), "7711.18"),
     (D("1E+3"), "1000"), (None, ""), ("通过", "通过")],
)  # fmt: skip
def test_general_prints_figures_as_the_official_report(value: object, printed: str) -> None:
    from docgen.render.filters import general

    assert general(value) == printed


def test_the_general_number_format_replaces_the_figure_filters() -> None:
    from docgen.render.filters import filters_for

    general = filters_for("常规")
    assert [general[name](D("10.00")) for name in ("money", "score", "rate")] == ["10"] * 3
    assert general["percent"](D("31.00")) == "31%"
    assert filters_for("两位小数")["money"](D("4240000")) == "4,240,000.00"
