"""The environment's outputs: each ``{{ … }}`` escaped and finalized in one call, as Jinja would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from jinja2 import StrictUndefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from docgen.model.text import LINE_BREAK
from docgen.render.environment import finalize, make_environment

TEMPLATES = [
    "<w:t>{{ text }}</w:t>",
    "{{ number }}|{{ amount }}|{{ amount|money }}|{{ nothing }}|{{ flag }}",
    "{{ paragraphs }}{{ breaks }}",
    "{% macro cell(v) %}<c>{{ v }}</c>{% endmacro %}{{ cell(text) }}{{ cell(safe) }}",
    "{% set block %}<b>{{ text }}</b>{% endset %}{{ block }}|{{ block|length }}",
    "{{ safe }}|{{ text ~ safe }}|{{ text|upper }}|{{ [text, number] }}",
    "{% autoescape false %}{{ text }}{% endautoescape %}|{{ text }}",
    "{% filter upper %}{{ text }}{% endfilter %}{% for x in items %}{{ x }},{% endfor %}",
    "{{ '<literal & constant>' }}|{{ 3 * 2 }}|{{ row.名称 }}",
]
CONTEXT = {
    "text": "<营业 & 收入 \"年度\" 'x'>",
    "number": 7,
    "amount": Decimal("1316006.975"),
    "nothing": None,
    "flag": True,
    "paragraphs": "第一段\n第二段\t制表",
    "breaks": f"一行{LINE_BREAK}二行",
    "items": ["a<", Decimal("0.10"), None],
    "row": {"名称": "<指标>"},
}


def _unfused() -> SandboxedEnvironment:
    """Return Jinja's own sandbox with docgen's finalize and filters: the reference."""
    reference = SandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, finalize=finalize, keep_trailing_newline=True
    )
    reference.filters.update(make_environment().filters)
    return reference


@pytest.mark.parametrize("source", TEMPLATES)
def test_each_output_is_what_jinjas_escape_and_finalize_give(source: str) -> None:
    context = {**CONTEXT, "safe": Markup("<i>斜体</i>")}
    env = make_environment()
    assert "docgen_output(" in env.compile(source, raw=True)  # the one-call way is used
    ours = env.from_string(source).render(context)
    assert ours == _unfused().from_string(source).render(context)
    if "autoescape false" not in source:
        assert CONTEXT["text"] not in ours  # escaped


def test_an_undefined_name_is_still_an_error() -> None:
    with pytest.raises(UndefinedError, match="'项目名城' is undefined"):
        make_environment().from_string("{{ 项目名城 }}").render({})


def test_escaped_text_keeps_the_forms_characters() -> None:
    out = make_environment().from_string("{{ text }}|{{ amount|money }}").render(CONTEXT)
    assert out == "&lt;营业 &amp; 收入 &#34;年度&#34; &#39;x&#39;&gt;|1,316,006.98"
