"""Free text as clerks type or paste it, normalised to paragraphs and line breaks.

Text fields reach docgen typed in YAML (newlines), or pasted from web systems
(``<p>…</p>``, ``<br>``, ``&amp;``).  Both are normalised to one representation:

* ``"\\n"`` separates paragraphs;
* ``LINE_BREAK`` (U+2028, LINE SEPARATOR) is a line break inside a paragraph.

Characters that XML 1.0 cannot carry are dropped.  Anything that is not a recognised
HTML fragment is kept exactly as typed: ``a < b & c`` stays ``a < b & c``.
"""

from __future__ import annotations

import html
import re

LINE_BREAK = "\u2028"

# An HTML tag of the kinds web editors paste: <p>, </p>, <br>, <br/>, <div class="x">, <span>…
# e.g. matches "<p>", "</P>", "<br />", '<span style="x">'; not "< 5" or "<0.05(%)".
_HTML_TAG = re.compile(
    r"</?(?:p|br|div|span|font|b|strong|i|em|u|li|ul|ol|section|article)\b[^<>]*>",
    re.IGNORECASE,
)
# A named or numeric character reference: "&amp;", "&nbsp;", "&#8220;", "&#x4e2d;".
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
# Tags that end a block: "</p>", "</div>", "</li>" — each closes a paragraph.
_BLOCK_END = re.compile(r"</(?:p|div|li|section|article)\s*>", re.IGNORECASE)
# "<br>", "<br/>", "<br />" — a line break.
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Characters that XML 1.0 forbids (C0 controls except tab and newline, U+FFFE/U+FFFF, and
# lone surrogates, which JSON's "\ud800" escapes can carry), and U+E000–U+E00F, private-use
# characters that docgen uses internally as layout marks.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff\ue000-\ue00f]")


def looks_like_html(text: str) -> bool:
    """Return whether *text* carries HTML markup or character references."""
    return bool(_HTML_TAG.search(text) or _ENTITY.search(text))


# Anything normalise_text might change: CR, forbidden characters, markup, trailing spaces.
_NEEDS_WORK = re.compile(
    "[\r\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff\ue000-\ue00f<&]|[ \t]+(?:\n|$)|^\n|\n$"
)


def normalise_text(text: str) -> str:
    """Return *text* as paragraphs joined by newlines, with HTML fragments resolved."""
    if not _NEEDS_WORK.search(text):
        return text  # the common case: nothing to do
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_ILLEGAL.sub("", text)
    if looks_like_html(text):
        text = _XML_ILLEGAL.sub("", _html_to_text(text))  # "&#1;" unescapes to a control
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _html_to_text(fragment: str) -> str:
    # Inside HTML, source newlines are just whitespace; structure comes from the tags.
    fragment = re.sub(r"\s*\n\s*", "", fragment)
    fragment = _BR.sub(LINE_BREAK, fragment)
    fragment = _BLOCK_END.sub("\n", fragment)
    fragment = _HTML_TAG.sub("", fragment)
    text = html.unescape(fragment).replace("\xa0", " ")
    paragraphs = [p.strip(" ") for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)
