"""Building blocks shared by every model: text and number types, the base model."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from docgen.model.text import normalise_text


def _to_text(value: Any) -> Any:
    """Return numbers as the text the user typed (``4.00`` stays ``4.00``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, str):
        return normalise_text(value)
    return value


Text = Annotated[str, BeforeValidator(_to_text)]
"""Free text: paragraphs joined by newlines, HTML fragments resolved."""

Label = Annotated[str, BeforeValidator(_to_text), StringConstraints(strip_whitespace=True)]
"""A short one-line label such as an indicator's name."""

RequiredLabel = Annotated[Label, StringConstraints(min_length=1)]

Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""A sum of money in the project's 金额单位, never negative."""

Score = Annotated[Decimal, Field(allow_inf_nan=False)]
"""A weight or score in points (range checks are the rules' job, with locations)."""


class DocModel(BaseModel):
    """Base of every model: the form's labels as aliases, unknown keys refused."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        frozen=True,
    )
