"""The namespaces of WordprocessingML packages, and the one way docgen parses their XML.

Every part is parsed with the same hardened parser: no DTD loaded, no entity resolved, no
network, and the huge-tree limits of libxml2 left on (a text node over 10 MB is refused).
The package reader (``docgen.ooxml.package``) has already refused DTDs and entities in any
part; this parser is the second lock on the same door.
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""WordprocessingML's main namespace (``w:``)."""
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS = {"w": W, "r": R}
"""Prefixes for ``find``/``xpath`` in WordprocessingML parts."""


def w(name: str) -> str:
    """Return the Clark name of a ``w:`` element or attribute: ``w("p")`` → ``{…}p``."""
    return f"{{{W}}}{name}"


def _parser(remove_blank_text: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=remove_blank_text
    )


_PARSER = _parser()
_COMPACT = _parser(remove_blank_text=True)


def parse(data: bytes | str, compact: bool = False) -> etree._Element:
    """Return the root element of one package part (or of rendered XML text).

    *compact* drops whitespace-only text between elements (for comparing documents).
    Raises ``lxml.etree.XMLSyntaxError`` for XML that is not well-formed.
    """
    return etree.fromstring(data, _COMPACT if compact else _PARSER)


__all__ = ["CONTENT_TYPES", "CUSTOM_PROPERTIES", "NS", "PKG_REL", "VT", "R", "W", "parse", "w"]
