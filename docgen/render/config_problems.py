"""What a bad value in a template's config says, in the user's language.

pydantic describes a refused value in English ("Input should be '标准', '截断' or '四舍五入'");
a template author reads instead what the key takes, in their language, with the form's words
kept as written: ``未知的值 '去尾'；请用 标准、截断 或 四舍五入``.  Errors of docgen's own
validators are translated where they are raised.
"""

from __future__ import annotations

import difflib
import re

from pydantic_core import ErrorDetails

from docgen.i18n import N_, _

# The choices pydantic lists for an enum or literal: "'标准', '截断' or '四舍五入'".
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_LIMITS = {
    "greater_than": ("gt", N_("{value} is too small: it must be more than {limit}")),
    "greater_than_equal": ("ge", N_("{value} is too small: it must be at least {limit}")),
    "less_than": ("lt", N_("{value} is too large: it must be less than {limit}")),
    "less_than_equal": ("le", N_("{value} is too large: it must be at most {limit}")),
}
_EXPECTED = {
    "decimal_parsing": N_("expected a number, got {value}"),
    "decimal_type": N_("expected a number, got {value}"),
    "bool_parsing": N_("expected true or false, got {value}"),
    "bool_type": N_("expected true or false, got {value}"),
    "string_type": N_("expected text, got {value}"),
    "dict_type": N_("expected a mapping such as {example}, got {value}"),
}


def problem_of(error: ErrorDetails, keys: list[str]) -> str:
    """Return what is wrong with one config value and what the key takes.

    *keys* are the keys a config may set: a misspelt one gets the nearest as a guess.
    """
    kind = error["type"]
    context = error.get("ctx", {})
    value = repr(error.get("input"))
    if kind == "value_error":  # docgen's own validators: their message is translated already
        return str(context.get("error", error["msg"]))
    if kind in ("enum", "literal_error"):
        choices = _QUOTED.findall(str(context.get("expected", "")))
        return _("unknown value {value}; use {choices}").format(
            value=value, choices=one_of(choices)
        )
    if kind in _LIMITS:
        bound, message = _LIMITS[kind]
        return _(message).format(value=value, limit=context.get(bound))
    if kind == "string_too_long":
        return _("{value} is too long: at most {limit} characters").format(
            value=value, limit=context.get("max_length")
        )
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        guess = difflib.get_close_matches(key, keys, n=1, cutoff=0.5)
        if guess:
            return _("unknown key {key}; did you mean {guess}?").format(
                key=repr(key), guess=repr(guess[0])
            )
        return _("unknown key {key}; remove it or fix its spelling").format(key=repr(key))
    if kind in _EXPECTED:
        return _(_EXPECTED[kind]).format(value=value, example="{优: 优秀, 良: 良好}")
    return _("{problem} (got {value})").format(problem=error["msg"], value=value)


def one_of(choices: list[str]) -> str:
    """Return *choices* as a message lists them: ``标准, 截断 or 四舍五入``."""
    if len(choices) < 2:
        return "".join(choices)
    return _(", ").join(choices[:-1]) + _(" or ") + choices[-1]
