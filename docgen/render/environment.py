"""The one Jinja environment templates run in: sandboxed, autoescaped, strict."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.model.text import LINE_BREAK
from docgen.render.filters import FILTERS

# docxtpl turns these characters in rendered text into Word structure (resolve_listing).
DOCX_PARAGRAPH = "\a"
DOCX_LINE_BREAK = "\n"


def finalize(value: Any) -> Any:
    """Return a value as it goes into the document: text's paragraphs become Word's."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.replace("\n", DOCX_PARAGRAPH).replace(LINE_BREAK, DOCX_LINE_BREAK)
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
