"""The one Jinja environment templates run in: sandboxed, autoescaped, strict."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from docgen.model.text import LINE_BREAK
from docgen.ooxml import listing
from docgen.render.filters import FILTERS

_MARKS = str.maketrans({"\n": listing.PARAGRAPH, LINE_BREAK: listing.LINE_BREAK, "\t": listing.TAB})


def finalize(value: Any) -> Any:
    """Return a value as it goes into the document: text's paragraphs become Word's."""
    if type(value) is str:
        if "\n" in value or "\t" in value or LINE_BREAK in value:
            return value.translate(_MARKS)  # resolved into Word structure after rendering
        return value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.translate(_MARKS)
    return value


# The documented attributes of a for loop's ``loop`` variable: plain values, always safe.
_LOOP_ATTRIBUTES = frozenset(
    ("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
     "previtem", "nextitem")
)  # fmt: skip


class DocgenEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with a fast path for the plain data docgen hands to templates.

    Looking up a key of a ``dict`` or an attribute of a ``namespace`` can never reach Python
    internals, so it skips the sandbox's checks; everything else goes through them.  A dict's
    key wins over a method of the same name (``row.items`` is the key "items" if there is one).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        elif type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        elif type(obj) is Namespace and not attribute.startswith("_"):
            try:
                return obj._Namespace__attrs[attribute]  # what Namespace.__getattribute__ reads
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment() -> SandboxedEnvironment:
    """Return a sandboxed environment with docgen's filters; autoescaping is always on."""
    env = DocgenEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
