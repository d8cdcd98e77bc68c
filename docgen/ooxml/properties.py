"""A package's custom document properties (``docProps/custom.xml``: Word's File › Properties)."""

from __future__ import annotations

from lxml import etree

from docgen.errors import TemplateProblem
from docgen.ooxml.xml import CUSTOM_PROPERTIES, parse


def custom_properties(data: bytes | None) -> dict[str, str]:
    """Return the custom document properties of a ``docProps/custom.xml`` part."""
    if not data:
        return {}
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(f"docProps/custom.xml is not well-formed XML: {exc}") from None
    properties = {}
    for prop in root.iterfind(f"{{{CUSTOM_PROPERTIES}}}property"):
        value = "".join(prop.itertext()).strip()
        if prop.get("name"):
            properties[prop.get("name")] = value
    return properties
