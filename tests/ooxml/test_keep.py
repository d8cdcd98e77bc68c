"""``{% keepnext %}`` rows compiled into Jinja that keeps each paragraph with the next."""

from __future__ import annotations

from jinja2 import Environment
from lxml import etree

from docgen.ooxml.keep import compile_keeps
from docgen.ooxml.xml import W

ROW = (
    f'<w:tbl xmlns:w="{W}"><w:tr>'
    "<w:tc><w:p><w:pPr><w:pStyle w:val='A'/><w:jc w:val='center'/></w:pPr>"
    "<w:r><w:t>{{{{ x }}}}{tag}</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p><w:p/></w:tc>"
    "</w:tr><w:tr><w:tc><w:p><w:r><w:t>next</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
)


def rendered(tag: str, **context: object) -> etree._Element:
    root = etree.fromstring(ROW.format(tag=tag))
    compile_keeps(root)
    xml = Environment().from_string(etree.tostring(root, encoding="unicode")).render(context)
    return etree.fromstring(xml)


def keeps(root: etree._Element) -> list[list[bool]]:
    return [
        [p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None for p in tr.iter(f"{{{W}}}p")]
        for tr in root.iter(f"{{{W}}}tr")
    ]


def test_an_unconditional_tag_keeps_every_paragraph_of_its_row_only() -> None:
    root = rendered("{% keepnext %}", x="甲")
    assert keeps(root) == [[True, True, True], [False]]
    assert "".join(root.itertext()) == "甲bnext"


def test_a_condition_decides_per_render() -> None:
    assert keeps(rendered("{% keepnext if n == 1 %}", x="", n=1))[0] == [True, True, True]
    assert keeps(rendered("{% keepnext if n == 1 %}", x="", n=3))[0] == [False, False, False]


def test_keep_next_follows_pstyle_as_the_schema_orders_it() -> None:
    p_pr = rendered("{%- keepnext -%}", x="").find(f".//{{{W}}}pPr")
    assert p_pr is not None
    assert [etree.QName(child).localname for child in p_pr] == ["pStyle", "keepNext", "jc"]


def test_a_row_without_the_tag_is_left_alone() -> None:
    root = etree.fromstring(ROW.format(tag=""))
    before = etree.tostring(root)
    assert compile_keeps(root) == 0
    assert etree.tostring(root) == before
