"""Building blocks shared by every model: text and number types, the base model."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from docgen.model.text import LINE_BREAK, normalise_text


def _to_text(value: Any) -> Any:
    """Return numbers and dates as text (``4.00`` stays ``4.00``, a date is ISO)."""
    if type(value) is str:
        # Far beyond any limit: left as it is, for the length check to refuse, unread.
        return value if len(value) > 4 * MAX_TEXT_CHARS else normalise_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return normalise_text(value)
    return value


def _to_line(value: Any) -> Any:
    """Return text as one line: paragraphs and line breaks joined by spaces."""
    value = _to_text(value)
    if isinstance(value, str) and _NOT_ONE_LINE.search(value):
        return " ".join(value.replace(LINE_BREAK, "\n").split())
    return value


# Whitespace that a one-line label does not keep: line breaks, tabs, runs, ends.
_NOT_ONE_LINE = re.compile(r"[\n\t\r\u2028\u3000\xa0]|  |^ | $")


def _no_negative_zero(value: Any) -> Any:
    return abs(value) if isinstance(value, Decimal) and value.is_zero() else value


MAX_TEXT_CHARS = 20_000
"""The longest free text a field takes: about ten printed pages (a form's cell holds far less)."""
MAX_LABEL_CHARS = 500
"""The longest one-line label (项目名称, 三级指标, 年度指标值 …)."""

Text = Annotated[str, BeforeValidator(_to_text), StringConstraints(max_length=MAX_TEXT_CHARS)]
"""Free text: paragraphs joined by newlines, HTML fragments resolved."""

Label = Annotated[
    str,
    BeforeValidator(_to_line),
    StringConstraints(strip_whitespace=True, max_length=MAX_LABEL_CHARS),
]
"""A short one-line label such as a project's or an indicator's name."""

RequiredLabel = Annotated[Label, StringConstraints(min_length=1)]

MAX_AMOUNT = Decimal("1e15")

Amount = Annotated[
    Decimal,
    Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False),
    AfterValidator(_no_negative_zero),
]
"""A sum of money in the project's 金额单位: never negative, below 10¹⁵."""

Weight = Annotated[
    Decimal,
    Field(ge=0, le=100, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_no_negative_zero),
]
"""A 分值 in points: 0 to 100, at most two decimals as the form prints them."""

Score = Annotated[
    Decimal,
    Field(ge=-1000, le=1000, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_no_negative_zero),
]
"""A 得分 or a stated figure (points or percent), at most two decimals as printed.

Its sign and its relation to 分值 are the rules' checks, which report them with locations.
"""


class DocModel(BaseModel):
    """Base of every model: the form's labels as aliases, unknown keys refused."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        frozen=True,
    )


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """Return the model class inside ``X | None`` or ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
