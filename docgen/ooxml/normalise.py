"""Normalise WordprocessingML for comparison: drop what Word changes on every save."""

from __future__ import annotations

from lxml import etree

from docgen.ooxml.xml import W, parse

# Elements that carry no content: proofing marks, layout hints Word rewrites at will.
_NOISE_ELEMENTS = {f"{{{W}}}{name}" for name in ("proofErr", "lastRenderedPageBreak", "noProof")}


def _is_noise_attribute(name: str) -> bool:
    """Return whether an attribute is editing history (``w:rsidR``, ``w14:paraId`` …)."""
    local = name.rsplit("}", 1)[-1]
    return local.startswith("rsid") or local in ("paraId", "textId")


def normalise_xml(data: bytes) -> str:
    """Return a part's XML pretty-printed without rsids, proofing marks and ids."""
    root = parse(data, compact=True)
    for element in list(root.iter()):
        if element.tag in _NOISE_ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in [n for n in element.attrib if _is_noise_attribute(n)]:
            del element.attrib[name]
    text: str = etree.tostring(root, encoding="unicode", pretty_print=True)
    return text
