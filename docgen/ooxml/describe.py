"""A document as lines a person can compare: page setup, headers, paragraphs, table cells.

``describe`` reads a .docx and returns one line per thing that matters on paper — each
section's page setup, each header and footer, each paragraph with its style and alignment, each
table cell with its position, span and vertical merge — and nothing of what Word rewrites on
every save (rsids, proofing marks, ids, timestamps).  Two documents are the same when their
descriptions are; ``diff`` prints what differs as a unified diff.
"""

from __future__ import annotations

import difflib

from lxml import etree

from docgen.errors import InputError
from docgen.i18n import _
from docgen.ooxml.normalise import normalise_xml
from docgen.ooxml.package import NotAZip, UnsafeArchive, read_zip
from docgen.ooxml.xml import NS, PKG_REL, W, parse

_TWIPS_PER_CM = 566.93


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def read_parts(data: bytes, name: str = "document") -> dict[str, bytes]:
    """Return the parts of a .docx given as bytes (read by the one safe package reader)."""
    try:
        return {info.filename: part for info, part in read_zip(data, name)}
    except NotAZip:
        raise InputError(_("not a .docx file (not a zip package)"), file=name) from None
    except UnsafeArchive as exc:
        raise InputError(exc.message, file=name, hint=exc.hint) from None


def _parse(data: bytes) -> etree._Element:
    return parse(data)


def _text(element: etree._Element) -> str:
    parts = []
    for node in element.iter(_w("t"), _w("tab"), _w("br")):
        parts.append(
            node.text or "" if node.tag == _w("t") else ("\t" if node.tag == _w("tab") else "\n")
        )
    return "".join(parts).replace("\n", "⏎")


def _style_names(parts: dict[str, bytes]) -> dict[str, str]:
    if "word/styles.xml" not in parts:
        return {}
    names = {}
    for style in _parse(parts["word/styles.xml"]).iterfind("w:style", NS):
        name = style.find("w:name", NS)
        text = name.get(_w("val"), "") if name is not None else ""
        names[style.get(_w("styleId"), "")] = (
            text[:1].upper() + text[1:]
        )  # "heading 1" as Word shows it
    return names


def _paragraph(p: etree._Element, styles: dict[str, str]) -> str:
    style = p.find("w:pPr/w:pStyle", NS)
    name = (
        styles.get(style.get(_w("val"), ""), style.get(_w("val")))
        if style is not None
        else "Normal"
    )
    align = p.find("w:pPr/w:jc", NS)
    traits = [name or "Normal"]
    if align is not None:
        traits.append(align.get(_w("val"), ""))
    runs = p.findall("w:r", NS)
    if runs and all(r.find("w:rPr/w:b", NS) is not None for r in runs if _text(r)):
        traits.append("bold")
    return f"[{', '.join(traits)}] {_text(p)}"


def _section(sect: etree._Element) -> str:
    size = sect.find("w:pgSz", NS)
    margins = sect.find("w:pgMar", NS)

    def cm(element: etree._Element | None, attribute: str) -> str:
        value = element.get(_w(attribute)) if element is not None else None
        return f"{int(value) / _TWIPS_PER_CM:.1f}" if value else "?"

    orientation = size.get(_w("orient"), "portrait") if size is not None else "?"
    edges = "/".join(cm(margins, edge) for edge in ("top", "right", "bottom", "left"))
    return f"page {cm(size, 'w')}×{cm(size, 'h')} cm {orientation}, margins {edges} cm"


def describe(data: bytes, name: str = "document") -> list[str]:
    """Return the lines that describe a .docx for comparison."""
    parts = read_parts(data, name)
    if "word/document.xml" not in parts:
        raise InputError(_("not a Word document: no word/document.xml"), file=name)
    styles = _style_names(parts)
    body = _parse(parts["word/document.xml"]).find("w:body", NS)
    lines: list[str] = []
    paragraph = table = 0
    for block in body if body is not None else []:
        if block.tag == _w("p"):
            paragraph += 1
            lines.append(f"¶{paragraph} {_paragraph(block, styles)}")
            sect = block.find("w:pPr/w:sectPr", NS)
            if sect is not None:
                lines.append(f"section break: {_section(sect)}")
        elif block.tag == _w("tbl"):
            table += 1
            lines.extend(_table(block, table, styles))
        elif block.tag == _w("sectPr"):
            lines.append(f"last section: {_section(block)}")
    lines.extend(_headers_footers(parts))
    return lines


def _table(tbl: etree._Element, number: int, styles: dict[str, str]) -> list[str]:
    lines = [f"table {number}"]
    widths = [col.get(_w("w")) for col in tbl.iterfind("w:tblGrid/w:gridCol", NS)]
    if widths:
        shown = " ".join(f"{int(w) / _TWIPS_PER_CM:.2f}" if w else "?" for w in widths)
        lines.append(f"  table {number} columns (cm): {shown}")
    for r, tr in enumerate(tbl.iterfind("w:tr", NS), start=1):
        traits = []
        if tr.find("w:trPr/w:tblHeader", NS) is not None:
            traits.append("header row, repeats")
        if tr.find("w:trPr/w:cantSplit", NS) is not None:
            traits.append("never split across pages")
        if traits:
            lines.append(f"  table {number} row {r} ({', '.join(traits)})")
        column = 1
        for tc in tr.iterfind("w:tc", NS):
            span_element = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_element.get(_w("val"), "1")) if span_element is not None else 1
            merge = tc.find("w:tcPr/w:vMerge", NS)
            traits = []
            if span > 1:
                traits.append(f"span {span}")
            if merge is not None:
                traits.append(f"vmerge {merge.get(_w('val'), 'continue')}")
            cell = f"  table {number} row {r} col {column}"
            cell += f" ({', '.join(traits)})" if traits else ""
            texts = [_paragraph(p, styles) for p in tc.iterfind("w:p", NS)]
            lines.append(f"{cell}: {' ⏎ '.join(texts)}")
            column += span
    return lines


def _headers_footers(parts: dict[str, bytes]) -> list[str]:
    rels = parts.get("word/_rels/document.xml.rels")
    if not rels:
        return []
    lines = []
    for rel in _parse(rels).iterfind(f"{{{PKG_REL}}}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("header", "footer"):
            target = "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
            if target in parts:
                text = " ⏎ ".join(_text(p) for p in _parse(parts[target]).iter(_w("p")))
                lines.append(f"{kind} {target.rsplit('/', 1)[-1]}: {text}")
    return sorted(lines)


def normalised_parts(data: bytes, name: str = "document") -> list[str]:
    """Return the normalised XML of the document, header, footer and style parts, as lines."""
    parts = read_parts(data, name)
    lines: list[str] = []
    for part in sorted(parts):
        if part.startswith("word/") and part.endswith(".xml") and not part.startswith("word/theme"):
            lines.append(f"=== {part}")
            lines.extend(normalise_xml(parts[part]).splitlines())
    return lines


def unified(before: list[str], after: list[str], a: str, b: str) -> list[str]:
    """Return the unified diff of two descriptions (empty when they are the same)."""
    return list(difflib.unified_diff(before, after, a, b, lineterm="", n=2))
