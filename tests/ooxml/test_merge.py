"""Group merges compiled into Jinja: tested on a small table, rendered for real."""

from __future__ import annotations

from lxml import etree

from docgen.ooxml.merge import compile_vmerges, prelude
from docgen.render.environment import make_environment
from docgen.render.prepared import template_source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def table(cells: str) -> str:
    return f'<w:tbl xmlns:w="{W}">{{% for row in rows %}}<w:tr>{cells}</w:tr>{{% endfor %}}</w:tbl>'


def cell(text: str, split: bool = False) -> str:
    runs = (
        f"<w:r><w:t>{text[:3]}</w:t></w:r><w:r><w:t>{text[3:]}</w:t></w:r>"
        if split
        else f"<w:r><w:t>{text}</w:t></w:r>"
    )
    return (
        '<w:tc><w:tcPr><w:tcW w:w="100" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{runs}</w:p></w:tc>'
    )


def render(source: str, rows: list[dict[str, str]]) -> etree._Element:
    """Compile *source* as a template part is compiled, render it and parse the result."""
    template = make_environment().from_string(template_source(source.encode("utf-8")))
    return etree.fromstring(template.render(rows=rows).replace("\n<w:p", "<w:p"))


def states(root: etree._Element, column: int) -> list[tuple[str, str | None]]:
    result = []
    for tr in root.findall("w:tr", NS):
        tc = tr.findall("w:tc", NS)[column]
        merge = tc.find("w:tcPr/w:vMerge", NS)
        state = None if merge is None else merge.get(f"{{{W}}}val", "continue")
        result.append(("".join(tc.itertext()), state))
    return result


SOURCE = table(
    cell("{{ row.a }}{% vmerge %}")
    + cell("{{ row.b }}{% vmerge %}", split=True)
    + cell("{{ row.c }}")
)
ROWS = [
    {"a": "产出", "b": "数量", "c": "1"},
    {"a": "产出", "b": "数量", "c": "2"},
    {"a": "产出", "b": "质量", "c": "3"},
    {"a": "效益", "b": "质量", "c": "4"},  # same 二级 name, new 一级 group: must not merge
    {"a": "效益", "b": "质量", "c": "5"},
]


def test_merges_follow_groups_and_never_cross_a_parent_boundary() -> None:
    root = render(SOURCE, ROWS)
    assert states(root, 0) == [
        ("产出", "restart"),
        ("", "continue"),
        ("", "continue"),
        ("效益", "restart"),
        ("", "continue"),
    ]
    assert states(root, 1) == [
        ("数量", "restart"),
        ("", "continue"),
        ("质量", "restart"),
        ("质量", "restart"),
        ("", "continue"),
    ]
    assert [t for t, _ in states(root, 2)] == ["1", "2", "3", "4", "5"]


def test_vmerge_sits_where_the_schema_wants_it() -> None:
    root = render(SOURCE, ROWS)
    for tc_pr in root.iterfind(".//w:tcPr", NS):
        names = [etree.QName(child).localname for child in tc_pr]
        if "vMerge" in names:
            assert names.index("tcW") < names.index("vMerge") < names.index("vAlign")
            assert names.count("vMerge") == 1


def test_continued_cells_keep_one_empty_paragraph_with_its_properties() -> None:
    root = render(SOURCE, ROWS)
    second = root.findall("w:tr", NS)[1].findall("w:tc", NS)[0]
    (paragraph,) = second.findall("w:p", NS)
    assert paragraph.find("w:pPr/w:jc", NS) is not None
    assert paragraph.find("w:r", NS) is None


def test_a_new_loop_starts_fresh() -> None:
    loop = (
        "<w:tbl>{% for row in rows %}<w:tr>"
        + cell("{{ row.a }}{% vmerge %}")
        + "</w:tr>{% endfor %}</w:tbl>"
    )
    root = render(f'<w:body xmlns:w="{W}">{loop}{loop}</w:body>', [{"a": "x"}, {"a": "x"}])
    tables = root.findall("w:tbl", NS)
    assert [states(t, 0) for t in tables] == [[("x", "restart"), ("", "continue")]] * 2


def test_cells_without_the_tag_are_untouched() -> None:
    root = etree.fromstring(table(cell("{{ row.c }}")))
    assert compile_vmerges(root) == 0
    assert prelude(0) == ""
