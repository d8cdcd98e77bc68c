"""How cell texts are folded and read: labels, wrapped lines and printed figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from docgen.importing.cells import key, number, unwrap


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("一级\n指标", "一级指标"),
        ("年度\n总体\n目标", "年度总体目标"),
        ("项目资金\n（万元）", "项目资金(万元)"),
        ("年度资金总额：", "年度资金总额"),
        ("其中: 当年财政拨款", "其中:当年财政拨款"),
        ("执行率（%）", "执行率(%)"),
    ],
)
def test_labels_fold_whitespace_widths_and_the_closing_colon(text: str, folded: str) -> None:
    assert key(text) == folded


@pytest.mark.parametrize(
    ("text", "one_line"),
    [
        ("支撑医保制度改革和发展有效程\n度", "支撑医保制度改革和发展有效程度"),
        ("闵行区 EMR\nupgrade", "闵行区 EMR upgrade"),
        ("完成卫生银联专线相关工作,\n保障", "完成卫生银联专线相关工作, 保障"),
        ("  =100%  ", "=100%"),
    ],
)
def test_wrapped_lines_are_joined_as_typed(text: str, one_line: str) -> None:
    assert unwrap(text) == one_line


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("70,000", Decimal("70000")),
        ("84240.00", Decimal("84240.00")),
        ("4,240,000.00", Decimal("4240000.00")),
        ("100.00%", Decimal("100.00")),
        ("４．５０", Decimal("4.50")),
        ("-", None),
        ("—", None),
        ("", None),
    ],
)
def test_figures_are_read_exactly_as_printed(text: str, value: Decimal | None) -> None:
    got = number(text)
    assert got == value
    if value is not None:
        assert str(got) == str(value)  # 84240.00 keeps its two decimals


def test_text_that_is_no_figure_is_refused() -> None:
    with pytest.raises(ValueError):
        number("五")
