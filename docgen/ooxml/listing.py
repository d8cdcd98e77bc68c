"""Turn paragraph, line-break and tab marks in rendered text into Word structure.

Rendered values carry three private-use characters (set by the render layer's ``finalize``):
``PARAGRAPH`` ends a paragraph, ``LINE_BREAK`` is a ``w:br`` and ``TAB`` a ``w:tab``.  Here
each ``w:t`` holding them is split: the paragraph is cut in two at a ``PARAGRAPH`` mark, the new
paragraph keeping the old one's properties and the run its run properties.

This replaces docxtpl's ``resolve_listing``, a set of regexes over the serialised XML.
"""

from __future__ import annotations

import copy

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
