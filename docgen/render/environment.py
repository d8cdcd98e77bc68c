"""The one Jinja environment templates run in: sandboxed, autoescaped, strict."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.model.text import LINE_BREAK
from docgen.ooxml import listing
from docgen.render.filters import FILTERS

_MARKS = str.maketrans({"\n": listing.PARAGRAPH, LINE_BREAK: listing.LINE_BREAK, "\t": listing.TAB})


def finalize(value: Any) -> Any:
    """Return a value as it goes into the document: text's paragraphs become Word's."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.translate(_MARKS)  # resolved into Word structure after rendering
    return value


def make_environment() -> SandboxedEnvironment:
    """Return a sandboxed environment with docgen's filters; autoescaping is always on."""
    env = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
