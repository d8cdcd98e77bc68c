"""Jinja's globals, filters and str methods that build text, with their arguments bounded.

Each wrapper checks the size of what it would build (``limits``) and then calls Jinja's own
function, so a template sees the same behaviour up to the limit and a clear error past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jinja2 import filters as jinja_filters
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import EscapeFormatter

from docgen.i18n import _
from docgen.render import limits
from docgen.render.limits import TemplateLimitError, built, check_width, refuse

STEP_FILTER = "docgen-step"
"""The filter each loop iteration calls (its name cannot be written in a template)."""
MAX_WRAPPED = 100_000
"""``wordwrap`` breaks long words in time quadratic in their length: it takes shorter text."""


@pass_context
def _step(context: Any, value: Any) -> Any:
    limits.step()
    return value


def bounded_range(*args: int) -> range:
    """Return ``range(*args)``, at most ``MAX_RANGE`` items long."""
    numbers = range(*args)
    if len(numbers) > limits.MAX_RANGE:
        raise refuse(
            _("range() of {count} items exceeds docgen's limit of {limit} items"),
            limits.MAX_RANGE,
            count=len(numbers),
        )
    return numbers


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Return Jinja's ``lipsum()``, with at most ``MAX_LIPSUM`` paragraphs of 1,000 words."""
    if n > limits.MAX_LIPSUM:
        raise refuse(
            _("lipsum() of {count} paragraphs exceeds docgen's limit of {limit} paragraphs"),
            limits.MAX_LIPSUM,
            count=n,
        )
    if max > 1000 or min > max:
        raise refuse(
            _("lipsum() of {count} words exceeds docgen's limit of {limit} words"),
            1000,
            count=max,
        )
    return generate_lorem_ipsum(n, html, min, max)


def _center(value: str, width: int = 80) -> str:
    check_width(width, len(value))
    return jinja_filters.do_center(value, width)


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    size = len(width) if isinstance(width, str) else width
    if not isinstance(size, int):
        raise TypeError(_("indent width must be a number or a text"))
    built(len(str(s)) + (str(s).count("\n") + 1) * max(size, 0))
    return jinja_filters.do_indent(s, width, first, blank)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    limits.check_percent_format(str(value), kwargs or args)
    return jinja_filters.do_format(value, *args, **kwargs)


@pass_eval_context
def _join(
    eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None
) -> str:
    items = list(value)
    if attribute is not None:
        items = list(map(jinja_filters.make_attrgetter(eval_ctx.environment, attribute), items))
    for item in items:
        limits.check_expansion(item)
    built(sum(len(str(x)) for x in items) + len(str(d)) * max(len(items) - 1, 0))
    return jinja_filters.sync_do_join(eval_ctx, items, d)


@pass_eval_context
def _replace(eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
    built(limits.replaced_length(str(s), str(old), str(new), -1 if count is None else count))
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


@pass_environment
def _wordwrap(environment: Any, s: str, width: int = 79, *args: Any, **kwargs: Any) -> str:
    if len(s) > MAX_WRAPPED:
        raise refuse(
            _("wordwrap of {count} characters exceeds docgen's limit of {limit} characters"),
            MAX_WRAPPED,
            count=len(s),
        )
    return jinja_filters.do_wordwrap(environment, s, width, *args, **kwargs)


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
    check_width(linecount)
    return jinja_filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    check_width(slices)
    return jinja_filters.sync_do_slice(value, slices, fill_with)


@pass_environment
def _sum(
    environment: Any, iterable: Iterable[Any], attribute: str | int | None = None, start: Any = 0
) -> Any:
    if not isinstance(start, (int, float, Decimal)):
        raise TemplateLimitError(_("sum() adds numbers: its start must be a number"))
    return jinja_filters.sync_do_sum(environment, iterable, attribute, start)


def _printing(name: str) -> Any:
    """Return Jinja's filter *name*, refusing a container whose text would be too long."""
    original = jinja_filters.FILTERS[name]

    def bounded(*args: Any, **kwargs: Any) -> Any:
        for arg in args:
            limits.check_expansion(arg)
        return original(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):  # keep pass_eval_context / pass_environment
        if hasattr(original, attribute):
            setattr(bounded, attribute, getattr(original, attribute))
    return bounded


BOUNDED_FILTERS: dict[str, Any] = {
    **{
        name: _printing(name)
        for name in (
            "string",
            "tojson",
            "pprint",
            "e",
            "escape",
            "forceescape",
            "safe",
            "urlencode",
            "length",
        )
    },
    STEP_FILTER: _step,
    "center": _center,
    "indent": _indent,
    "format": _format,
    "join": _join,
    "replace": _replace,
    "wordwrap": _wordwrap,
    "batch": _batch,
    "slice": _slice,
    "sum": _sum,
}


class BoundedFormatter(SandboxedFormatter):
    """The sandbox's ``str.format``, refusing too large widths and precisions."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        limits.check_format_spec(format_spec)
        limits.check_expansion(value)
        return super().format_field(value, format_spec)


class BoundedEscapeFormatter(BoundedFormatter, EscapeFormatter):
    """``BoundedFormatter`` for ``Markup.format``: values are escaped."""


# str methods that build text from their arguments.
_PADDING = frozenset(("center", "ljust", "rjust", "zfill"))


def check_call(obj: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check the arguments of a call to a text or list method; return them (materialised)."""
    owner = getattr(obj, "__self__", None)
    if owner is None or not isinstance(owner, (str, bytes, list)):
        return args
    name = getattr(obj, "__name__", "")
    if isinstance(owner, list):
        if name == "extend" and args:
            items = list(args[0])
            built(len(owner) + len(items))
            return (items, *args[1:])
        if name in ("append", "insert"):
            built(len(owner) + 1)
        return args
    if name in _PADDING and args:
        check_width(args[0], len(owner))
    elif name == "expandtabs":
        size = args[0] if args else 8
        check_width(size)
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        built(len(owner) + tabs * size)
    elif name == "replace" and len(args) >= 2 and isinstance(owner, str):
        count = args[2] if len(args) > 2 else -1
        built(limits.replaced_length(owner, str(args[0]), str(args[1]), count))
    elif name == "join" and args:
        items = list(args[0])
        built(sum(map(len, items)) + len(owner) * max(len(items) - 1, 0))
        return (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], dict) and isinstance(owner, str):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        built(len(owner) * max(longest, 1))
    return args
