"""One templated part's XML, before and after Jinja: the structure docgen compiles into it and
the check that what Jinja wrote is still a well-formed part.

The render layer (``docgen.render.prepared``) works on text only; this module is where a part
is parsed and serialised.
"""

from __future__ import annotations

from lxml import etree

from docgen.i18n import _
from docgen.ooxml.keep import compile_keeps
from docgen.ooxml.listing import resolve_marks
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


def finished_part(xml: str, part: str, marks: bool) -> str:
    """Return rendered *xml* as the part's final text: checked well-formed, and with *marks*,
    its paragraph, line-break and tab marks turned into Word structure.

    Raises ``MalformedPart`` when Jinja's output is not well-formed XML.
    """
    try:
        root = parse(xml)  # a str without an XML declaration: parsed as is
    except etree.XMLSyntaxError as exc:
        raise MalformedPart(
            _("rendering {part} produced invalid XML: {error}").format(part=part, error=exc)
        ) from None
    if not marks:
        return xml
    resolve_marks(root)
    return str(etree.tostring(root, encoding="unicode"))


__all__ = ["MalformedPart", "element_source", "finished_part", "structured_source"]
