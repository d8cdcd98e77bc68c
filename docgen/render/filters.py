"""Jinja filters for figures as the forms print them."""

from __future__ import annotations

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


def rate(value: Any) -> str:
    """Return a percentage figure with two decimals and no sign: 49.78 → ``49.78``."""
    return score(value)


def percent(value: Any) -> str:
    """Return a percentage with two decimals and its sign: 49.78 → ``49.78%``."""
    text = score(value)
    return f"{text}%" if text else ""


FILTERS: dict[str, Callable[[Any], str]] = {
    "money": money,
    "score": score,
    "rate": rate,
    "percent": percent,
}
