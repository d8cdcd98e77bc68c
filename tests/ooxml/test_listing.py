from __future__ import annotations

from lxml import etree

from docgen.ooxml.listing import LINE_BREAK, PARAGRAPH, TAB, has_marks, resolve_marks

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
