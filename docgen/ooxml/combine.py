"""Combine documents made from one template into one, each starting on a new page.

A department hands in one document with every project's 自评表 (seeds 001 and 003).  The
documents share styles and numbering (one template made them), so combining is: the first
package, whose body receives every document's body in order.  Each document's last section
properties close its own section (a new-page section break), so page size and orientation
stay as each document had them.  Headers and footers that differ between documents are added
as parts of their own and relinked.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from docgen.errors import OutputError
from docgen.i18n import _
from docgen.ooxml.package import UnsafeArchive, read_zip
from docgen.ooxml.xml import CONTENT_TYPES, PKG_REL, R, W, parse
from docgen.ooxml.zipwriter import Entry, write_zip

CT = CONTENT_TYPES
DOCUMENT = "word/document.xml"
RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"
_HEADER_FOOTER = {f"{{{W}}}headerReference", f"{{{W}}}footerReference"}


def _read(path: Path) -> dict[str, bytes]:
    """Return the parts of a document to combine (read by the one safe package reader)."""
    try:
        return {info.filename: part for info, part in read_zip(path, str(path))}
    except UnsafeArchive as exc:
        raise OutputError(
            _("cannot read the document to combine: {reason}").format(reason=exc.message),
            file=str(path),
        ) from None


def combine(paths: Iterable[Path]) -> bytes:
    """Return one .docx holding the documents at *paths* in order, each from a new page."""
    paths = list(paths)
    if not paths:
        raise OutputError(_("nothing to combine"))
    base = _read(paths[0])
    order = list(base)
    parts = dict(base)
    rels = parse(base[RELS])
    types = parse(base[TYPES])
    root = parse(base[DOCUMENT])
    body = root.find(f"{{{W}}}body")
    assert body is not None
    for child in list(body):
        body.remove(child)
    last_section: etree._Element | None = None
    for number, path in enumerate(paths):
        package = base if number == 0 else _read(path)
        document = parse(package[DOCUMENT])
        source_body = document.find(f"{{{W}}}body")
        if source_body is None:
            raise OutputError(_("not a Word document (no body)"), file=str(path))
        children = list(source_body)
        section = children.pop() if children and children[-1].tag == f"{{{W}}}sectPr" else None
        if number:
            relink = _headers_and_footers(package, parts, order, rels, types, number)
            for element in [*children, *([section] if section is not None else [])]:
                for reference in element.iter(*_HEADER_FOOTER):
                    rid = reference.get(f"{{{R}}}id")
                    if rid in relink:
                        reference.set(f"{{{R}}}id", relink[rid])
        if last_section is not None:
            body.append(_section_break(last_section))
        for child in children:
            body.append(child)
        last_section = section
    if last_section is not None:
        body.append(last_section)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[RELS] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[TYPES] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    return write_zip(Entry.deflated(name, parts[name]) for name in order)


def _section_break(section: etree._Element) -> etree._Element:
    """Return an empty paragraph that ends a section with *section*'s properties."""
    paragraph = etree.Element(f"{{{W}}}p")
    properties = etree.SubElement(paragraph, f"{{{W}}}pPr")
    copied = copy.deepcopy(section)
    kind = copied.find(f"{{{W}}}type")
    if kind is not None:
        copied.remove(kind)  # the default section start: a new page
    properties.append(copied)
    return paragraph


def _headers_and_footers(
    package: dict[str, bytes],
    parts: dict[str, bytes],
    order: list[str],
    rels: etree._Element,
    types: etree._Element,
    number: int,
) -> dict[str, str]:
    """Add the headers/footers of *package* that differ from the combined ones; relink them."""
    relink: dict[str, str] = {}
    own = parse(package[RELS])
    for rel in own.iterfind(f"{{{PKG_REL}}}Relationship"):
        kind = rel.get("Type", "")
        if not kind.endswith(("/header", "/footer")):
            continue
        target = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
        if parts.get(target) == package.get(target):
            continue  # the same header as the combined document's: the old link holds
        stem, ext = posixpath.splitext(posixpath.basename(target))
        new_target = f"word/{stem}_{number}{ext}"
        parts[new_target] = package[target]
        order.append(new_target)
        new_id = f"rIdDocgen{number}{stem}"
        link = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
        link.set("Id", new_id)
        link.set("Type", kind)
        link.set("Target", posixpath.relpath(new_target, "word"))
        override = etree.SubElement(types, f"{{{CT}}}Override")
        override.set("PartName", "/" + new_target)
        override.set("ContentType", _content_type(types, target))
        relink[rel.get("Id", "")] = new_id
    return relink


def _content_type(types: etree._Element, part: str) -> str:
    for override in types.iterfind(f"{{{CT}}}Override"):
        if override.get("PartName") == "/" + part:
            return str(override.get("ContentType", ""))
    kind = "header" if "header" in part else "footer"
    return f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
