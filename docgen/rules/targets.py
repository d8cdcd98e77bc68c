"""Read 年度指标值 / 实际完成值 as quantities and decide whether a target was met.

Clerks write both cells as free text ("≥95.00(%)", "≤3 小时", "大于 90", "达成指标").
Only a text that is one number, optionally preceded by a comparison and followed by a
unit and explanatory words, is quantitative; anything else (words only, two numbers,
a range) is left undecided rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

_OPS: dict[str, str] = {
    "=": "=", "等于": "=",
    "≥": "≥", ">=": "≥", "=>": "≥", "≧": "≥", "⩾": "≥",
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "大于等于": "≥", "大于或等于": "≥",
    "≤": "≤", "<=": "≤", "=<": "≤", "≦": "≤", "⩽": "≤",
    "不高于": "≤", "不超过": "≤", "不大于": "≤", "不多于": "≤", "小于等于": "≤", "小于或等于": "≤",
    ">": ">", "大于": ">", "高于": ">", "超过": ">",
    "<": "<", "小于": "<", "低于": "<",
}  # fmt: skip
"""Every way of writing a comparison before the number, mapped to its canonical sign."""

_SUFFIXES: dict[str, str] = {
    "及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤",
}  # fmt: skip
"""Comparisons written after the number ("95%以上"), used when none precedes it."""


def _alternation(words: dict[str, str]) -> str:
    """Return a regex alternation of *words*, longest first so "大于等于" beats "大于"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_OP_RE = _alternation(_OPS)
_SUFFIX_RE = _alternation(_SUFFIXES)

# One quantity at the start of a normalised text, e.g. "≥95.00(%)", "不低于 29,042 人次",
# "≤3 小时", "6次以上", "=100% (与合同要求一致)"; what follows the unit lands in `rest`.
_QUANTITY = re.compile(
    rf"""
    (?P<op>{_OP_RE})?\s*                                    # "≥", ">= ", "不低于", "大于 "
    (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)  # "29,042.00", "0.5", "7"
    \s*(?:
        \(\s*(?P<punit>%|‰|[^\W\d_]{{1,4}})\s*\)            # "(%)", "(工作日)", " (人次)"
      | (?!{_SUFFIX_RE})(?P<unit>%|‰|[^\W\d_]+?(?={_SUFFIX_RE}|\W|$))  # "%", " 小时", "次"
    )?
    \s*(?P<suffix>{_SUFFIX_RE})?                            # "以上", "及以下", "以内"
    (?P<rest>.*)                                            # " (与合同要求一致)", "-100%"
    """,
    re.VERBOSE | re.DOTALL,
)

# Any digit; one in the trailing text means a second number ("95%-100%", "3~5 天").
_DIGIT = re.compile(r"\d")

_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "=": lambda actual, target: actual == target,
    "≥": lambda actual, target: actual >= target,
    "≤": lambda actual, target: actual <= target,
    ">": lambda actual, target: actual > target,
    "<": lambda actual, target: actual < target,
}


@dataclass(frozen=True)
class Quantity:
    """Hold one comparison and amount read from a cell: "≥95.00(%)" → ≥ 95.00 %."""

    op: str
    """One of "=", "≥", "≤", ">", "<"; "=" when the text names no comparison."""
    value: Decimal
    """The number as written (thousands separators dropped), e.g. Decimal("29042.00")."""
    unit: str | None
    """The unit without parentheses or spaces ("%", "工作日", "小时"); None when absent."""


def _normalise(text: str) -> str:
    """Fold full-width forms to ASCII: "＝１００．００（％）" → "=100.00(%)"."""
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=4096)  # the same targets recur across a department's projects
def _parse(text: str) -> Quantity | None:
    """Read the single quantity a cell states, or None when it states no single number."""
    match = _QUANTITY.match(_normalise(text))
    if match is None or _DIGIT.search(match["rest"]):
        return None
    if match["op"] is not None:
        op = _OPS[match["op"]]
    elif match["suffix"] is not None:
        op = _SUFFIXES[match["suffix"]]
    else:
        op = "="
    unit = match["punit"] or match["unit"]
    return Quantity(op, Decimal(match["num"].replace(",", "")), unit)


def parse_target(text: str) -> Quantity | None:
    """Parse a 年度指标值 such as "≥95.00(%)"; return None for words like "合理" or a range."""
    return _parse(text)


def parse_actual(text: str) -> Quantity | None:
    """Parse a 实际完成值 such as "15.00(工作日)" or "大于 90"; return None for "达成指标"."""
    return _parse(text)


def comparable(target: str, actual: str) -> tuple[Quantity, Quantity] | None:
    """Return the quantities of *target* and *actual* when they can be compared.

    They cannot when either side is not quantitative, or both carry units that differ
    ("天" against "%"). A unit on one side only is assumed to be the other's.
    """
    wanted, achieved = parse_target(target), parse_actual(actual)
    if wanted is None or achieved is None:
        return None
    if wanted.unit is not None and achieved.unit is not None and wanted.unit != achieved.unit:
        return None
    return wanted, achieved


def meets(wanted: Quantity, achieved: Quantity) -> bool:
    """Return whether the amount *achieved* meets *wanted* (``=`` means exactly)."""
    return _COMPARE[wanted.op](achieved.value, wanted.value)


def target_met(target: str, actual: str) -> bool | None:
    """Decide whether *actual* meets *target*; return None when that cannot be judged.

    Undecidable means the two are not ``comparable``. A comparison written in the actual
    ("大于 90") is ignored: its number is taken as the amount achieved.
    """
    pair = comparable(target, actual)
    return None if pair is None else meets(*pair)
