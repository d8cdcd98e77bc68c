"""Turn paragraph, line-break and tab marks in rendered text into Word structure.

Rendered values carry three private-use characters (set by the render layer's ``finalize``):
``PARAGRAPH`` ends a paragraph, ``LINE_BREAK`` is a ``w:br`` and ``TAB`` a ``w:tab``.  Here
each ``w:t`` holding them is split: the paragraph is cut in two at a ``PARAGRAPH`` mark, the new
paragraph keeping the old one's properties and the run its run properties.

This replaces docxtpl's ``resolve_listing``, a set of regexes over the serialised XML.

Two ways, with the same result: ``resolve_marks_in_text`` works on the rendered text itself
(the usual case: a mark in a ``w:t`` of a run directly in a paragraph — no parse, no
re-serialisation, a few microseconds a mark), and hands anything else (a run inside a hyperlink
or a content control, tracked changes, a section break in the paragraph, a mark outside
``w:t``) to ``resolve_marks``, which edits the parsed tree.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from docgen.ooxml.xml import W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

PARAGRAPH = "\ue000"
LINE_BREAK = "\ue001"
TAB = "\ue002"
MARKS = (PARAGRAPH, LINE_BREAK, TAB)

_FIND = etree.XPath(
    "//w:t[contains(., $p) or contains(., $b) or contains(., $t)]", namespaces={"w": W}
)


# A w:t element whose text holds a mark (its text has no markup: rendered values are escaped).
_MARKED_T = re.compile("<w:t(?=[ >])[^>]*>([^<]*[\ue000-\ue002][^<]*)</w:t>")
_TAG = re.compile(r"<(/?)([A-Za-z][\w.-]*:[\w.-]+)\b[^>]*?(/?)>")
_RUN_START = re.compile(r"<w:r(?=[ >])[^>]*>")
_PARAGRAPH_START = re.compile(r"<w:p(?=[ >])[^>]*>")
_PRESERVED_T = '<w:t xml:space="preserve">'
_TEXT_MARKS = {LINE_BREAK: "</w:t><w:br/>" + _PRESERVED_T, TAB: "</w:t><w:tab/>" + _PRESERVED_T}
# What a run's or paragraph's properties may not hold for the text way: a change record holds
# properties of its own, and a section break must move to the last paragraph.
_COMPLEX_PROPERTIES = ("<w:rPrChange", "<w:pPrChange", "<w:sectPr")


def resolve_marks_in_text(xml: str) -> str | None:
    """Return rendered *xml* with its marks resolved, working on the text; ``None`` when a mark
    sits where only the tree can resolve it (then ``resolve_marks`` does)."""
    pieces: list[str] = []
    done = 0
    for match in _MARKED_T.finditer(xml):
        start = match.start()
        run = _opening_before(_RUN_START, xml, start, "</w:r>")
        if run is None or not _directly_in(xml, run.end(), start):
            return None
        paragraph = _opening_before(_PARAGRAPH_START, xml, run.start(), "</w:p>")
        if paragraph is None or not _directly_in(xml, paragraph.end(), run.start()):
            return None
        run_properties = _properties(xml, run.end(), "rPr")
        paragraph_properties = _properties(xml, paragraph.end(), "pPr")
        if run_properties is None or paragraph_properties is None:
            return None
        new_paragraph = (
            f"</w:t></w:r></w:p><w:p>{paragraph_properties}<w:r>{run_properties}{_PRESERVED_T}"
        )
        text = match.group(1)
        for mark, replacement in ((PARAGRAPH, new_paragraph), *_TEXT_MARKS.items()):
            text = text.replace(mark, replacement)
        pieces += [xml[done:start], _PRESERVED_T, text, "</w:t>"]
        done = match.end()
    resolved = "".join([*pieces, xml[done:]])
    return None if has_marks(resolved) else resolved


def _opening_before(
    opening: re.Pattern[str], xml: str, position: int, closing: str
) -> re.Match[str] | None:
    """Return the last *opening* tag before *position* that is not closed before it."""
    matches = list(opening.finditer(xml, max(0, xml.rfind(closing, 0, position)), position))
    return matches[-1] if matches else None


def _directly_in(xml: str, start: int, end: int) -> bool:
    """Return whether xml[start:end] closes every element it opens (so what follows is a
    direct child of the element the span starts in)."""
    depth = 0
    for tag in _TAG.finditer(xml, start, end):
        closing, empty = tag.group(1), tag.group(3)
        if empty:
            continue
        depth += -1 if closing else 1
        if depth < 0:
            return False
    return depth == 0


def _properties(xml: str, start: int, name: str) -> str | None:
    """Return the ``w:{name}`` element that starts at *start* ('' when there is none), or
    ``None`` when it holds what the text way cannot copy."""
    if xml.startswith(f"<w:{name}/>", start):
        return f"<w:{name}/>"
    if not xml.startswith(f"<w:{name}>", start) and not xml.startswith(f"<w:{name} ", start):
        return ""
    end = xml.find(f"</w:{name}>", start)
    if end < 0:
        return None
    element = xml[start : end + len(f"</w:{name}>")]
    return None if any(part in element for part in _COMPLEX_PROPERTIES) else element


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def has_marks(xml: str) -> bool:
    """Return whether rendered *xml* holds any mark to resolve."""
    return any(mark in xml for mark in MARKS)


def resolve_marks(root: etree._Element) -> None:
    """Split every ``w:t`` of *root* at its marks into paragraphs, breaks and tabs."""
    for t in _FIND(root, p=PARAGRAPH, b=LINE_BREAK, t=TAB):
        _split(t)


def _new_t(text: str) -> etree._Element:
    t = etree.Element(_w("t"))
    t.set(XML_SPACE, "preserve")
    t.text = text
    return t


def _split(t: etree._Element) -> None:
    while True:
        text = t.text or ""
        cut = min((i for i in (text.find(m) for m in MARKS) if i >= 0), default=-1)
        if cut < 0:
            return
        mark, rest = text[cut], text[cut + 1 :]
        t.text = text[:cut]
        t.set(XML_SPACE, "preserve")
        following = _new_t(rest)
        if mark == PARAGRAPH and _cut_paragraph(t, following):
            t = following
            continue
        # A line break or tab (or a paragraph mark outside a paragraph): inside the run.
        t.addnext(following)
        t.addnext(etree.Element(_w("tab" if mark == TAB else "br")))
        t = following


def _cut_paragraph(t: etree._Element, following: etree._Element) -> bool:
    """Move what follows *t* into a new paragraph that starts with *following*."""
    run = t.getparent()
    paragraph = run.getparent() if run is not None else None
    if run is None or run.tag != _w("r") or paragraph is None or paragraph.tag != _w("p"):
        return False
    new_run = etree.Element(_w("r"))
    properties = run.find(_w("rPr"))
    if properties is not None:
        new_run.append(copy.deepcopy(properties))
    new_run.append(following)
    for sibling in list(t.itersiblings()):
        new_run.append(sibling)
    new_paragraph = etree.Element(_w("p"))
    paragraph_properties = paragraph.find(_w("pPr"))
    if paragraph_properties is not None:
        properties_copy = copy.deepcopy(paragraph_properties)
        for section in properties_copy.findall(_w("sectPr")):
            properties_copy.remove(section)  # the section break stays with the last paragraph
        new_paragraph.append(properties_copy)
        section = paragraph_properties.find(_w("sectPr"))
        if section is not None:  # ...which is now the new one
            paragraph_properties.remove(section)
            properties_copy.append(section)
    new_paragraph.append(new_run)
    for sibling in list(run.itersiblings()):
        new_paragraph.append(sibling)
    paragraph.addnext(new_paragraph)
    return True
