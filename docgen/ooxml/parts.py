"""One templated part's XML, before and after Jinja: the structure docgen compiles into it and
the check that what Jinja wrote is still a well-formed part.

The render layer (``docgen.render.prepared``) works on text only; this module is where a part
is parsed and serialised.
"""

from __future__ import annotations

from lxml import etree

from docgen.i18n import _
from docgen.ooxml.keep import compile_keeps
from docgen.ooxml.listing import resolve_marks, resolve_marks_in_text
from docgen.ooxml.locations import MalformedPart
from docgen.ooxml.merge import compile_vmerges, prelude
from docgen.ooxml.xml import parse


def structured_source(data: bytes, part: str) -> str:
    """Return a part's XML with docgen's structural tags compiled, ready for Jinja.

    ``{% keepnext %}`` rows and ``{% vmerge %}`` cells become plain Jinja around Word's own
    elements; the vertical merges' counters come first (``prelude``). Raises ``MalformedPart``
    for a part that is not well-formed XML.
    """
    try:
        root = parse(data)  # the package reader refused DTDs and entities
    except etree.XMLSyntaxError as exc:
        raise MalformedPart(
            _("{part} is not well-formed XML: {error}").format(part=part, error=exc)
        ) from None
    return element_source(root)


def element_source(root: etree._Element) -> str:
    """Return the XML of a parsed part with keeps and merges compiled (see above)."""
    compile_keeps(root)
    merges = compile_vmerges(root)
    return prelude(merges) + str(etree.tostring(root, encoding="unicode"))


def finished_part(xml: str, part: str, marks: bool, check: bool = True) -> str:
    """Return rendered *xml* as the part's final text: with *marks*, its paragraph, line-break
    and tab marks turned into Word structure; with *check*, checked well-formed.

    Marks are resolved on the text where they can be (``resolve_marks_in_text``), else on the
    parsed tree: which way depends only on the text, so the same input gives the same bytes.
    Raises ``MalformedPart`` when Jinja's output is not well-formed XML.
    """
    resolved = resolve_marks_in_text(xml) if marks else xml
    if resolved is not None and not check:
        return resolved
    try:
        root = parse(xml if resolved is None else resolved)  # a str without an XML declaration
    except etree.XMLSyntaxError as exc:
        raise MalformedPart(
            _("rendering {part} produced invalid XML: {error}").format(part=part, error=exc)
        ) from None
    if resolved is not None:
        return resolved
    resolve_marks(root)
    return str(etree.tostring(root, encoding="unicode"))


__all__ = ["MalformedPart", "element_source", "finished_part", "structured_source"]
