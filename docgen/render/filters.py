"""Jinja filters for figures as the forms print them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX = Decimal("1e24")  # beyond this, quantising to cents would exceed Decimal's precision


def _decimal(value: Any) -> Decimal | None:
    """Return *value* as a finite Decimal (never ``-0``), or None when it is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= MAX:
        return None
    return abs(number) if number.is_zero() else number


def money(value: Any) -> str:
    """Return an amount with thousands separators and two decimals: 7711.175 → ``7,711.18``."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def score(value: Any) -> str:
    """Return a score with two decimals: 5 → ``5.00``, 4.5 → ``4.50``."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def plain(value: Any) -> str:
    """Return a score as the 2022 form prints it, no trailing zeros: 4.50 → ``4.5``, 10 → ``10``."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    text = f"{number.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"
    return text.rstrip("0").rstrip(".")


def rate(value: Any) -> str:
    """Return a percentage figure with two decimals and no sign: 49.78 → ``49.78``."""
    return score(value)


def percent(value: Any) -> str:
    """Return a percentage with two decimals and its sign: 49.78 → ``49.78%``."""
    text = score(value)
    return f"{text}%" if text else ""


def general(value: Any) -> str:
    """Return a figure as the official report prints it, no trailing zeros or separators.

    4240000.00 → ``4240000``, 1316006.97 → ``1316006.97``, 93.10 → ``93.1``, 0.00 → ``0``
    (rounded half-up to cents first).
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    text = f"{number.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def general_percent(value: Any) -> str:
    """Return a percentage the official way: 31.04 → ``31.04%``, 100.00 → ``100%``."""
    text = general(value)
    return f"{text}%" if text else ""


def date_cn(value: Any) -> str:
    """Return a date the Chinese way: ``2024-12-31`` → ``2024年12月31日``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return str(value)
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
# The unit of each group of four digits: 万 (10⁴), 亿 (10⁸), 万亿 (10¹²), 亿亿 (10¹⁶), 万亿亿 …
_GROUP_UNITS = tuple("万" * (k % 2) + "亿" * (k // 2) for k in range(6))
# 10²⁴: far above any sum of funds (each at most 10¹⁵, in 万元 → 元 10¹⁹), within the 28
# digits of decimal's default precision with the cents.
RMB_UPPER_LIMIT = Decimal(10) ** (4 * len(_GROUP_UNITS))


def _four_digits(group: int) -> str:
    """Return 1–9999 in capital numerals: 6006 → 陆仟零陆, 10 → 壹拾."""
    text, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        digit = group // 10**power % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + unit
    return text


def rmb_upper(value: Any) -> str:
    """Return an amount in capital Chinese numerals: 120 → ``壹佰贰拾元整``.

    1316006.97 → ``壹佰叁拾壹万陆仟零陆元玖角柒分``; 100.05 → ``壹佰元零伍分``.
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if not number.is_finite() or abs(number) >= RMB_UPPER_LIMIT:
        return money(number)  # no capital-numeral spelling: the figure itself
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    sign, number = ("负" if number < 0 else ""), abs(number)
    integer, cents = int(number), int(number * 100) % 100
    text = ""
    if integer:
        groups = []
        while integer:
            integer, group = divmod(integer, 10000)
            groups.append(group)
        gap = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                gap = bool(text)
                continue
            if text and (gap or group < 1000):
                text += "零"
            gap = False
            text += _four_digits(group) + _GROUP_UNITS[index]
        text += "元"
    jiao, fen = divmod(cents, 10)
    if not jiao and not fen:
        return sign + (text + "整" if text else "零元整")
    if text and not jiao:
        text += "零"
    if jiao:
        text += _DIGITS[jiao] + "角"
    if fen:
        text += _DIGITS[fen] + "分"
    return sign + text


FILTERS: dict[str, Callable[[Any], str]] = {
    "money": money,
    "score": score,
    "plain": plain,
    "rate": rate,
    "percent": percent,
    "date_cn": date_cn,
    "rmb_upper": rmb_upper,
    "general": general,
}
"""Every filter a template can use, with what it does:

====================  ==========================  =============================
filter                value                       prints
====================  ==========================  =============================
``money``             7711.175                    ``7,711.18``
``score``             4.5                         ``4.50``
``plain``             4.50                        ``4.5``
``rate``              49.78                       ``49.78``
``percent``           49.78                       ``49.78%``
``date_cn``           2024-12-31                  ``2024年12月31日``
``rmb_upper``         1316006.97                  ``壹佰叁拾壹万陆仟零陆元玖角柒分``
``general``           4240000.00                  ``4240000``
====================  ==========================  =============================

A template whose ``数字格式`` is 常规 gets ``general`` for ``money``, ``score`` and ``rate``
(and ``percent`` without trailing zeros): see ``filters_for``.
"""

NUMBER_FILTERS: dict[str, dict[str, Callable[[Any], str]]] = {
    "两位小数": {},
    "常规": {"money": general, "score": general, "rate": general, "percent": general_percent},
}


def filters_for(numbers: str) -> dict[str, Callable[[Any], str]]:
    """Return the filters of a template whose ``数字格式`` is *numbers*."""
    return {**FILTERS, **NUMBER_FILTERS[numbers]}
