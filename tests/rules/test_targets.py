"""Tests for reading 年度指标值 / 实际完成值 and judging whether a target was met."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from docgen.rules.targets import Quantity, parse_actual, parse_target, target_met


def q(op: str, value: str, unit: str | None = None) -> Quantity:
    """Build the expected Quantity from a decimal string."""
    return Quantity(op, Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # targets from the published forms
        ("=100.00(%)", q("=", "100.00", "%")),
        ("≥95(%)", q("≥", "95", "%")),
        ("≥95.00(%)", q("≥", "95.00", "%")),
        ("≤15(工作日)", q("≤", "15", "工作日")),
        ("<0.05(%)", q("<", "0.05", "%")),
        ("=29042.00(人)", q("=", "29042.00", "人")),
        ("=4.00(项)", q("=", "4.00", "项")),
        ("≥300.00(人次)", q("≥", "300.00", "人次")),
        ("≥0.00(%)", q("≥", "0.00", "%")),
        ("=100%", q("=", "100", "%")),
        ("=100% (与合同要求一致)", q("=", "100", "%")),
        (">=95%", q("≥", "95", "%")),
        ("≥6 次", q("≥", "6", "次")),
        ("≤5 次", q("≤", "5", "次")),
        ("≤3 小时", q("≤", "3", "小时")),
        ("≥85%", q("≥", "85", "%")),
        ("≤90(天)", q("≤", "90", "天")),
        ("≥10.00(个)", q("≥", "10.00", "个")),
        # full-width forms
        ("＝１００．００（％）", q("=", "100.00", "%")),
        ("≥９５％", q("≥", "95", "%")),
        ("＞＝95%", q("≥", "95", "%")),
        ("＜0.05（%）", q("<", "0.05", "%")),
        # thousands separators, ASCII and full-width
        ("=29,042.00(人)", q("=", "29042.00", "人")),
        ("＝２９，０４２（人）", q("=", "29042", "人")),
        ("≥1,000,000", q("≥", "1000000")),
        # spacing and surrounding noise
        ("  ≥ 95 %  ", q("≥", "95", "%")),
        ("≥95 (%)", q("≥", "95", "%")),
        ("≤90(天)(按合同约定)", q("≤", "90", "天")),
        ("95", q("=", "95")),
        # comparison written after the number
        ("6次以上", q("≥", "6", "次")),
        ("95%及以上", q("≥", "95", "%")),
        ("95以上", q("≥", "95")),
        ("5天以内", q("≤", "5", "天")),
        ("3 小时以下", q("≤", "3", "小时")),
        ("≥95%以下", q("≥", "95", "%")),  # a leading sign wins over a suffix
    ],
)
def test_parse_target_reads_quantity(text: str, expected: Quantity) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("≥95", "≥"),
        (">=95", "≥"),
        ("=>95", "≥"),
        ("≧95", "≥"),
        ("⩾95", "≥"),
        ("不低于95", "≥"),
        ("不少于95", "≥"),
        ("大于等于95", "≥"),
        ("≤95", "≤"),
        ("<=95", "≤"),
        ("≦95", "≤"),
        ("⩽95", "≤"),
        ("不高于95", "≤"),
        ("不超过95", "≤"),
        ("小于等于95", "≤"),
        (">95", ">"),
        ("大于95", ">"),
        ("高于95", ">"),
        ("超过95", ">"),
        ("<95", "<"),
        ("小于95", "<"),
        ("低于95", "<"),
        ("=95", "="),
        ("等于95", "="),
        ("95", "="),
    ],
)
def test_parse_target_normalises_comparison(text: str, op: str) -> None:
    assert parse_target(text) == q(op, "95")


@pytest.mark.parametrize(
    "text",
    [
        "合理",
        "及时",
        "无重大事故发生",
        "建立健全",
        "通过",
        "明显",
        "及时 (与合同要求一致)",
        "",
        "   ",
        "≥",
        "≥%",
        # two numbers or a range: undecidable, never guessed
        "95%-100%",
        "95%~100%",
        "3至5天",
        "≥95%（2023年标准）",
        "1,2",
        # a number not at the start
        "满意度≥95%",
        "约95%",
    ],
)
def test_parse_target_rejects_non_quantitative(text: str) -> None:
    assert parse_target(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100.00(%)", q("=", "100.00", "%")),
        ("15.00(工作日)", q("=", "15.00", "工作日")),
        ("56.00(人次)", q("=", "56.00", "人次")),
        ("0.00(个)", q("=", "0.00", "个")),
        ("=100%", q("=", "100", "%")),
        (">=95%", q("≥", "95", "%")),
        ("7", q("=", "7")),
        ("0", q("=", "0")),
        ("99%", q("=", "99", "%")),
        ("2 小时", q("=", "2", "小时")),
        ("0.5 小时", q("=", "0.5", "小时")),
        ("大于 90", q(">", "90")),
        ("大于 95", q(">", "95")),
        ("90.00(天)", q("=", "90.00", "天")),
        ("=100% (与合同要求一致)", q("=", "100", "%")),
        ("１００％", q("=", "100", "%")),
    ],
)
def test_parse_actual_reads_quantity(text: str, expected: Quantity) -> None:
    assert parse_actual(text) == expected


@pytest.mark.parametrize("text", ["达成指标", "准确有效", "已完成", "95%-100%", ""])
def test_parse_actual_rejects_non_numeric(text: str) -> None:
    assert parse_actual(text) is None


@pytest.mark.parametrize(
    ("text", "digits"),
    [("=29,042.00(人)", "29042.00"), ("≥95.00(%)", "95.00"), ("0.5 小时", "0.5")],
)
def test_value_is_exact_decimal(text: str, digits: str) -> None:
    parsed = parse_target(text)
    assert parsed is not None
    assert type(parsed.value) is Decimal
    assert str(parsed.value) == digits


def test_quantity_is_frozen() -> None:
    parsed = q("=", "1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.op = "≥"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        # the seed cases
        ("≥300.00(人次)", "56.00(人次)", False),
        ("≥10.00(个)", "0.00(个)", False),
        ("≤15(工作日)", "15.00(工作日)", True),
        ("≥90.00(%)", "90.00(%)", True),
        ("=100% (与合同要求一致)", "=100% (与合同要求一致)", True),
        # "=" is Decimal equality, whatever the written precision
        ("=100.00(%)", "100.00(%)", True),
        ("=100.00(%)", "100%", True),
        ("=100.00(%)", "99.99(%)", False),
        ("=100.00(%)", "100.01(%)", False),
        ("=29042.00(人)", "29,042(人)", True),
        ("=4.00(项)", "4", True),
        ("=4.00(项)", "5(项)", False),
        # non-strict at the boundary
        ("≥95(%)", "95.00(%)", True),
        ("≥95(%)", "94.99(%)", False),
        ("≤15(工作日)", "15.01(工作日)", False),
        ("≥0.00(%)", "0.00(%)", True),
        ("≤90(天)", "90.00(天)", True),
        ("≤90(天)", "91(天)", False),
        # strict at the boundary
        ("<0.05(%)", "0.05(%)", False),
        ("<0.05(%)", "0.04(%)", True),
        (">95%", "95%", False),
        (">95%", "95.01%", True),
        ("不超过5次", "5次", True),
        ("低于5次", "5次", False),
        # a unit on one side only
        ("≥6 次", "7", True),
        ("≥6 次", "5", False),
        ("≤5 次", "0", True),
        ("≥95", "99%", True),
        # the actual's own comparison is ignored: "大于 90" counts as 90
        ("≥85%", "大于 90", True),
        ("≥95%", "大于 90", False),
        (">=95%", ">=95%", True),
        ("≥95%", "大于 95", True),
        ("≤3 小时", "2 小时", True),
        ("≤3 小时", "0.5 小时", True),
        ("≤3 小时", "3.5 小时", False),
        # full-width and suffix forms
        ("≥９５％", "９５．００（％）", True),
        ("6次以上", "5次", False),
        ("5天以内", "5天", True),
    ],
)
def test_target_met_decides(target: str, actual: str, expected: bool) -> None:
    assert target_met(target, actual) is expected


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        # either side not quantitative
        ("合理", "100%"),
        ("及时", "及时"),
        ("无重大事故发生", "0"),
        ("及时 (与合同要求一致)", "达成指标"),
        ("≥95%", "达成指标"),
        ("≥95%", "准确有效"),
        ("95%-100%", "98%"),
        ("≥95%", "95%-100%"),
        # units on both sides that differ
        ("≤90(天)", "90.00(%)"),
        ("≥300.00(人次)", "300(人)"),
        ("≤3 小时", "2 天"),
    ],
)
def test_target_met_undecidable(target: str, actual: str) -> None:
    assert target_met(target, actual) is None
