from __future__ import annotations

import pytest
from lxml import etree

from docgen.ooxml.listing import (
    LINE_BREAK,
    PARAGRAPH,
    TAB,
    has_marks,
    resolve_marks,
    resolve_marks_in_text,
)
from docgen.ooxml.parts import finished_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def body(text: str) -> etree._Element:
    return etree.fromstring(
        f'<w:body xmlns:w="{W}"><w:p><w:pPr><w:ind w:firstLine="480"/></w:pPr>'
        f"<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r><w:r><w:t>尾</w:t></w:r></w:p></w:body>"
    )


def test_paragraph_marks_split_the_paragraph_keeping_properties() -> None:
    root = body(f"一{PARAGRAPH}二{PARAGRAPH}三")
    resolve_marks(root)
    paragraphs = root.findall("w:p", NS)
    assert ["".join(p.itertext()) for p in paragraphs] == ["一", "二", "三尾"]
    assert all(p.find("w:pPr/w:ind", NS) is not None for p in paragraphs)
    assert all(p.find("w:r/w:rPr/w:b", NS) is not None for p in paragraphs)


def test_line_breaks_and_tabs_stay_in_the_run() -> None:
    root = body(f"甲{LINE_BREAK}乙{TAB}丙")
    resolve_marks(root)
    (paragraph,) = root.findall("w:p", NS)
    run = paragraph.find("w:r", NS)
    assert [etree.QName(c).localname for c in run] == ["rPr", "t", "br", "t", "tab", "t"]


def test_a_section_break_stays_with_the_last_paragraph() -> None:
    root = etree.fromstring(
        f'<w:body xmlns:w="{W}"><w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>a{PARAGRAPH}b</w:t></w:r></w:p></w:body>'
    )
    resolve_marks(root)
    first, second = root.findall("w:p", NS)
    assert first.find("w:pPr/w:sectPr", NS) is None
    assert second.find("w:pPr/w:sectPr", NS) is not None


def test_has_marks() -> None:
    assert has_marks(f"x{TAB}") and not has_marks("plain\ntext")


def _c14n(xml: str) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _tree_way(xml: str) -> str:
    root = etree.fromstring(xml)
    resolve_marks(root)
    return etree.tostring(root, encoding="unicode")


DOCUMENT = f'<w:body xmlns:w="{W}">{{}}</w:body>'
TEXT_WAY = {
    "paragraphs with properties": '<w:p w:rsidR="00AB"><w:pPr><w:ind w:firstLine="480"/>'
    "<w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>一{P}二{P}三</w:t></w:r>"
    "<w:r><w:t>尾</w:t></w:r></w:p>",
    "no properties, a mark first and last": "<w:p><w:r><w:t>{P}中{P}</w:t></w:r></w:p>",
    "empty properties": "<w:p><w:pPr/><w:r><w:rPr/><w:t>a{P}b</w:t></w:r></w:p>",
    "breaks and tabs": "<w:p><w:r><w:t>甲{B}乙{T}丙</w:t><w:br/><w:t>丁</w:t></w:r></w:p>",
    "in a table cell, after a bookmark": "<w:tbl><w:tr><w:tc><w:p><w:bookmarkStart w:id='1'/>"
    "<w:r><w:t xml:space='preserve'>x {P} y</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    "two marked runs": "<w:p><w:r><w:t>1{P}2</w:t></w:r><w:r><w:t>3{B}4</w:t></w:r></w:p>",
}
TREE_WAY = {
    "a run in a hyperlink": "<w:p><w:hyperlink><w:r><w:t>a{P}b</w:t></w:r></w:hyperlink></w:p>",
    "a section break": "<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>a{P}b</w:t></w:r></w:p>",
    "a tracked change": "<w:p><w:r><w:rPr><w:rPrChange><w:rPr/></w:rPrChange></w:rPr>"
    "<w:t>a{P}b</w:t></w:r></w:p>",
    "a mark outside w:t": "<w:p><w:r><w:instrText>a{P}b</w:instrText></w:r></w:p>",
}


def _marked(body: str) -> str:
    return DOCUMENT.format(body.format(P=PARAGRAPH, B=LINE_BREAK, T=TAB))


@pytest.mark.parametrize("body", TEXT_WAY.values(), ids=TEXT_WAY)
def test_the_text_way_gives_what_the_tree_gives(body: str) -> None:
    xml = _marked(body)
    resolved = resolve_marks_in_text(xml)
    assert resolved is not None
    assert not has_marks(resolved)
    assert _c14n(resolved) == _c14n(_tree_way(xml))


@pytest.mark.parametrize("body", TREE_WAY.values(), ids=TREE_WAY)
def test_what_only_the_tree_can_resolve_is_left_to_it(body: str) -> None:
    assert resolve_marks_in_text(_marked(body)) is None


def test_a_finished_part_is_the_same_text_either_way_it_is_checked() -> None:
    xml = _marked(TEXT_WAY["paragraphs with properties"])
    checked = finished_part(xml, "word/document.xml", marks=True, check=True)
    assert checked == finished_part(xml, "word/document.xml", marks=True, check=False)
    assert checked.count("<w:p>") == 2
