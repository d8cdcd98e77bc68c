from __future__ import annotations

import pytest

from docgen.model.text import LINE_BREAK, looks_like_html, normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一行", "一行"),
        ("第一段\n第二段", "第一段\n第二段"),
        ("windows\r\nline", "windows\nline"),
        ("  trailing  \n\n", "  trailing"),
        # Pasted from web systems (seed 001 prints the <p> literally: the failure we fix).
        ("<p>根据《意见》要求，完成试点工作任务。</p>", "根据《意见》要求，完成试点工作任务。"),
        ("<p>第一段</p><p>第二段</p>", "第一段\n第二段"),
        ("<p>第一段</p>\n<p>第二段</p>", "第一段\n第二段"),
        ("甲<br>乙<br/>丙", f"甲{LINE_BREAK}乙{LINE_BREAK}丙"),
        ("R&amp;D &lt;5%&gt;", "R&D <5%>"),
        ("&#8220;便捷就医&#8221;&nbsp;服务", "“便捷就医” 服务"),
        ('<span style="color:red">红</span>', "红"),
        # Typed characters stay as typed.
        ("a < b & c > d", "a < b & c > d"),
        ("<0.05(%)", "<0.05(%)"),
        ("\"引号\" '单引号'", "\"引号\" '单引号'"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("控制\x07字符\x0c", "控制字符"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "is_html"),
    [("<p>x</p>", True), ("a&amp;b", True), ("≥95% & <5", False), ("<0.05(%)", False)],
)
def test_looks_like_html(text: str, is_html: bool) -> None:
    assert looks_like_html(text) is is_html


def test_characters_xml_cannot_carry_are_dropped_even_from_escapes() -> None:
    # JSON can carry lone surrogates ("\\ud800"); HTML references can spell controls.
    assert normalise_text("a\ud800b\x01c") == "abc"
    assert normalise_text("a&#1;b&lt;c") == "ab<c"
