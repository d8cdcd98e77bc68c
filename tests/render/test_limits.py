"""Template code is bounded: every operation that can explode is refused before it runs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from markupsafe import Markup

from docgen.render.check import check_template
from docgen.render.environment import make_environment
from docgen.render.limits import TemplateLimitError
from tests.hostile import hostile_docx

HOSTILE = {
    "power": ("{{ 10**(10**10) }}", "the result of ** exceeds docgen's limit of 16,384 bits"),
    "string repetition": ("{{ 'x' * 10**10 }}", "a text or list of 10,000,000,000 characters"),
    "list repetition": ("{{ [1, 2] * 10**9 }}", "a text or list of 2,000,000,000 characters"),
    "nested range": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "the number of loop iterations and calls exceeds docgen's limit of 1,000,000 per part",
    ),
    "filtered loop": (
        "{% for i in range(99999) %}{% for j in range(99999) if j < 0 %}{% endfor %}{% endfor %}",
        "1,000,000 per part",
    ),
    "big range": ("{{ range(10**9)|list }}", "range() of 1,000,000,000 items"),
    "lipsum": ("{{ lipsum(10**7) }}", "lipsum() of 10,000,000 paragraphs"),
    "format width": ('{{ "{:>999999999}".format(1) }}', "the format width 999,999,999"),
    "nested format width": ('{{ "{:>{w}}".format(1, w=10**9) }}', "the format width"),
    "format precision": ('{{ "{:.99999f}".format(1.5) }}', "the format width 99,999"),
    "percent width": ('{{ "%999999999d" % 1 }}', "the format width 999,999,999"),
    "percent star": ('{{ "%*d" % (10**9, 1) }}', "given by '*'"),
    "format filter": ('{{ "%0999999999d"|format(1) }}', "the format width"),
    "namespace doubling ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "characters or items exceeds",
    ),
    "namespace doubling +": (
        "{% set ns = namespace(s=[1]) %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}",
        "characters or items exceeds",
    ),
    "shared list doubling, printed": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l }}",
        "the text of this list exceeds docgen's limit of 10,000,000 characters",
    ),
    "shared list doubling, as JSON": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l|tojson }}",
        "the text of this list exceeds",
    ),
    "shared list doubling, formatted": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ '%s' % ns.l }}{{ '{}'.format(ns.l) }}",
        "the text of this list exceeds",
    ),
    "list extend doubling": (
        "{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}",
        "characters or items exceeds",
    ),
    "recursive macro": (
        "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(0) }}",
        "the depth of nested calls exceeds docgen's limit of 64 levels",
    ),
    "recursive loop": (
        "{% for x in [1, 2] recursive %}{{ loop([1, 2]) }}{% endfor %}",
        "the depth of nested calls",
    ),
    "center filter": ("{{ 'x'|center(10**9) }}", "a text or list of 1,000,000,000"),
    "ljust method": ("{{ 'x'.ljust(10**9) }}", "a text or list of 1,000,000,000"),
    "zfill method": ("{{ 'x'.zfill(10**9) }}", "a text or list of 1,000,000,000"),
    "indent filter": ("{{ 'x\ny'|indent(10**9) }}", "characters or items exceeds"),
    "replace filter": (
        "{{ ('a' * 100000)|replace('', 'b' * 100000) }}",
        "characters or items exceeds",
    ),
    "replace method": ("{{ ('a' * 100000).replace('', 'b' * 100000) }}", "exceeds"),
    "join filter": ("{{ (['x' * 1000000] * 1000)|join }}", "characters or items exceeds"),
    "join method": ("{{ ''.join(['x' * 1000000] * 1000) }}", "characters or items exceeds"),
    "translate": ("{{ ('a' * 100000).translate({97: 'b' * 100000}) }}", "exceeds"),
    "batch fill": ("{{ [1]|batch(10**9, 0)|list }}", "a text or list of 1,000,000,000"),
    "sum of lists": ("{{ [[1]] * 100000|sum(start=[]) }}", "sum() adds numbers"),
    "wordwrap of a long word": ("{{ ('x' * 1000000)|wordwrap(1) }}", "wordwrap of 1,000,000"),
    "multiplied integers": (
        "{% set ns = namespace(n=3) %}{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}"
        "{% endfor %}",
        "the result of * exceeds docgen's limit of 16,384 bits",
    ),
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_template_is_refused_quickly(source: tuple[str, str]) -> None:
    text, message = source
    started = time.monotonic()
    template = make_environment().from_string(text)  # compiling folds nothing dangerous
    with pytest.raises(TemplateLimitError, match=None) as caught:
        template.render()
    assert message in str(caught.value)
    assert time.monotonic() - started < 5


def test_ordinary_template_code_still_works() -> None:
    env = make_environment()
    text = (
        "{% for i in range(3) if i %}{{ i }}{% endfor %} {{ 2**10 }} {{ 'ab' * 2 }} {{ [1] + [2] }}"
        " {{ 'a' ~ 'b' }} {{ '%05.1f' % 3.14159 }} {{ '{:>4}|'.format('x') }} {{ 'x'|center(5) }}|"
        " {{ ['a', 'b']|join('-') }} {{ [1, 2]|sum }} {{ 'a\tb'.expandtabs(2) }}"
    )
    assert env.from_string(text).render() == ("12 1024 abab [1, 2] ab 003.1    x|   x  | a-b 3 a b")
    markup = env.from_string("{{ x.format('&') }}").render(x=Markup("<b>{}</b>"))
    assert markup == "<b>&amp;</b>"


def test_each_render_has_its_own_budget() -> None:
    template = make_environment().from_string(
        "{% for i in range(60000) %}{% for j in range(9) %}{% endfor %}{% endfor %}"
    )
    for _ in range(2):  # 600,000 steps each: under the limit every time, over it together
        assert template.render() == ""


def test_a_template_that_cannot_even_be_read_is_a_problem_not_a_bug(tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    for tag in ("{{ " + "9" * 5000 + " }}", "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"):
        path.write_bytes(hostile_docx(tag=tag))
        problems = check_template(path, "table")
        assert problems and all("bug" not in str(p) for p in problems), problems
        assert problems[0].location is not None or "nested" in problems[0].message
