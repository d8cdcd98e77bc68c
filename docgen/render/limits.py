"""What template code may do: every operation that can explode is bounded.

A template is code from whoever wrote it.  The sandbox (``environment.py``) keeps it from
reaching Python's internals; the limits here keep it from taking all the time or memory of the
process that renders it.  Each limit is checked *before* the work is done, so a refused
operation costs nothing:

- numbers: ``**`` and ``*`` on integers give at most ``MAX_INT_BITS`` bits;
- text and lists: ``*``, ``+``, ``~``, ``join``, ``replace``, ``center`` … give at most
  ``MAX_LENGTH`` characters or items;
- format widths and precisions (``"{:>9999}"``, ``"%9999d"``, ``|format``) at most
  ``MAX_FORMAT_WIDTH``;
- ``range()`` at most ``MAX_RANGE`` items; ``lipsum()`` at most ``MAX_LIPSUM`` paragraphs;
- per rendered part, at most ``MAX_STEPS`` loop iterations and calls, calls nested at most
  ``MAX_DEPTH`` deep, and at most ``MAX_OUTPUT`` characters of output and of text built.

The same checks apply when Jinja folds constants while compiling (``{{ 10**(10**10) }}`` is
refused, not computed).  Whatever slips past them (a worst case of Python's own algorithms)
is stopped by the worker process's time and memory limits (``docgen.workers``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.exceptions import TemplateRuntimeError

from docgen.i18n import _

MAX_INT_BITS = 16_384
MAX_LENGTH = 10_000_000
MAX_FORMAT_WIDTH = 1_000
MAX_RANGE = 100_000
MAX_LIPSUM = 100
MAX_STEPS = 1_000_000
MAX_DEPTH = 64
MAX_OUTPUT = 100_000_000


class TemplateLimitError(TemplateRuntimeError):
    """A template asked for more work than docgen allows."""


def refuse(message: str, limit: int, **values: int) -> TemplateLimitError:
    """Return the error for an operation past its limit.

    *message* is translated already and names ``{limit}`` (and any of *values*): each limit
    has a whole sentence of its own, so that a translation can put the words in its order.
    Numbers are shown with thousands separators.
    """
    shown = {name: f"{value:,}" for name, value in {"limit": limit, **values}.items()}
    return TemplateLimitError(message.format(**shown))


@dataclass
class Budget:
    """The work one render (or one compile) has left."""

    steps: int = MAX_STEPS
    text: int = MAX_OUTPUT
    depth: int = 0

    def step(self) -> None:
        """Count one loop iteration or call."""
        self.steps -= 1
        if self.steps < 0:
            raise refuse(
                _(
                    "the number of loop iterations and calls exceeds docgen's limit of {limit} "
                    "per part"
                ),
                MAX_STEPS,
            )

    def build(self, length: int) -> None:
        """Count *length* characters of text built by the template."""
        self.text -= length
        if self.text < 0:
            raise refuse(
                _(
                    "the text the template builds exceeds docgen's limit of {limit} characters "
                    "per part"
                ),
                MAX_OUTPUT,
            )


_BUDGET: ContextVar[Budget | None] = ContextVar("docgen_template_budget", default=None)


@contextmanager
def budget() -> Iterator[Budget]:
    """Give the code run inside the block a fresh budget (one render or compile)."""
    fresh = Budget()
    token = _BUDGET.set(fresh)
    try:
        yield fresh
    finally:
        _BUDGET.reset(token)


def current() -> Budget | None:
    """Return the active budget (``None`` outside a render or compile)."""
    return _BUDGET.get()


def step() -> None:
    """Count one step against the active budget."""
    active = _BUDGET.get()
    if active is not None:
        active.step()


def built(length: int) -> None:
    """Check and count *length* characters or items of a value about to be built."""
    if length > MAX_LENGTH:
        raise refuse(
            _("a text or list of {length} characters or items exceeds docgen's limit of {limit}"),
            MAX_LENGTH,
            length=length,
        )
    active = _BUDGET.get()
    if active is not None:
        active.build(length)


_CONTAINERS = (list, tuple, dict, set, frozenset)
MAX_NESTING = 100


def check_expansion(value: Any) -> None:
    """Refuse to turn a container into text when its text would be too long.

    ``{% set ns.l = [ns.l, ns.l] %}`` forty times builds a small structure whose text has
    2⁴⁰ items: its size is counted with each distinct object counted once, before ``str``.
    """
    if not isinstance(value, _CONTAINERS):
        return
    sizes: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, str):
            return len(item)
        if not isinstance(item, _CONTAINERS):
            return 1
        if depth > MAX_NESTING:
            raise refuse(
                _("the nesting of lists exceeds docgen's limit of {limit} levels"), MAX_NESTING
            )
        key = id(item)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a list that holds itself prints as [...]
        children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        total = 1
        for child in children:
            total += size(child, depth + 1) + 2
            if total > MAX_LENGTH:
                raise refuse(
                    _("the text of this list exceeds docgen's limit of {limit} characters"),
                    MAX_LENGTH,
                )
        sizes[key] = total
        return total

    size(value, 0)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sized(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple))


def check_power(base: Any, exponent: Any) -> None:
    """Refuse ``base ** exponent`` when the result would be too large."""
    if (
        _is_int(base)
        and _is_int(exponent)
        and exponent > 0
        and abs(base) > 1
        and exponent * math.log2(abs(base)) > MAX_INT_BITS
    ):
        raise refuse(_("the result of ** exceeds docgen's limit of {limit} bits"), MAX_INT_BITS)


def check_multiply(left: Any, right: Any) -> None:
    """Refuse ``left * right`` when the result would be too large."""
    if _sized(left) and _is_int(right):
        built(len(left) * max(right, 0))
    elif _sized(right) and _is_int(left):
        built(len(right) * max(left, 0))
    elif _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise refuse(_("the result of * exceeds docgen's limit of {limit} bits"), MAX_INT_BITS)


def check_add(left: Any, right: Any) -> None:
    """Refuse ``left + right`` of texts or lists when the result would be too long."""
    if _sized(left) and _sized(right):
        built(len(left) + len(right))


# One %-conversion: "%(name)-08.3f", "%*d", "%%".
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.DOTALL)
_NUMBER = re.compile(r"\d+")


def check_percent_format(template: str, values: Any = ()) -> None:
    """Refuse a %-format whose widths or precisions are too large (or given by ``*``)."""
    for value in values if isinstance(values, tuple) else (values,):
        check_expansion(value)
    for match in _PERCENT_SPEC.finditer(template):
        for part in match.group(1, 2):
            if part == "*":
                raise TemplateLimitError(
                    _("a {operator}-format width or precision given by '*'").format(operator="%")
                )
            if part and int(part) > MAX_FORMAT_WIDTH:
                raise _too_wide(int(part))


def check_format_spec(spec: str) -> None:
    """Refuse a ``str.format`` spec (``>999999``, ``.5000f``) with too large a number."""
    body = spec[2:] if len(spec) >= 2 and spec[1] in "<>=^" else spec
    for number in _NUMBER.findall(body):
        if int(number) > MAX_FORMAT_WIDTH:
            raise _too_wide(int(number))


def _too_wide(width: int) -> TemplateLimitError:
    return refuse(
        _("the format width {width} exceeds docgen's limit of {limit}"),
        MAX_FORMAT_WIDTH,
        width=width,
    )


def check_width(width: Any, length: int = 0) -> None:
    """Refuse padding *width* (``center``, ``ljust``, ``zfill``, ``indent`` …) that is too large."""
    if _is_int(width):
        built(max(width, length))


def replaced_length(text: str, old: str, new: str, count: int = -1) -> int:
    """Return the length of ``text.replace(old, new, count)`` without building it."""
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))
