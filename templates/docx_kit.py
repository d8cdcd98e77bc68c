"""Small python-docx helpers shared by the template builders (not used at run time)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from lxml import etree

from docgen.ooxml.zipwriter import rezip

LATIN_FONT = "Times New Roman"
LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def set_fonts(element: object, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the East Asian and Latin fonts of a style's or run's element, no theme fonts."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def new_document(body_font: str, body_size: Length, margins_cm: float) -> Document:
    """Return an empty A4 portrait document with Chinese fonts as the defaults."""
    doc = Document()
    set_page(doc.sections[0], landscape=False, margins_cm=margins_cm)
    normal = doc.styles["Normal"]
    normal.font.size = body_size
    set_fonts(normal.element, body_font)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # python-docx's default settings.xml has <w:zoom/> without the required w:percent.
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    props = doc.core_properties
    props.author = props.last_modified_by = "docgen"
    props.title = "{{ 项目名称 }}"
    props.comments = ""
    props.revision = 1
    return doc


def set_page(section: Section, landscape: bool, margins_cm: float) -> None:
    """Make *section* an A4 page, portrait or landscape, with equal side margins."""
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(margins_cm)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)


def add_text(
    doc: Document,
    text: str,
    *,
    size: Length | None = None,
    font: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    style: str | None = None,
    space_after: Length | None = None,
    bold: bool = False,
) -> None:
    """Add a paragraph of one run."""
    paragraph = doc.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = space_after
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = size
    if font is not None:
        set_fonts(run._r, font)
    if bold:
        run.bold = True


def new_table(doc: Document, rows: int, columns: Sequence[float]) -> Table:
    """Add a bordered, fixed-layout, centred table on a grid of *columns* (cm)."""
    table = doc.add_table(rows=rows, cols=len(columns))
    table.autofit = False
    table.alignment = 1
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(edge, "single"))
    # CT_TblPr order: … jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    tbl_pr.find(qn("w:tblLayout")).addprevious(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "57")  # 0.1 cm
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.find(qn("w:tblLayout")).addnext(margins)
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(Cm(w).twips for w in columns)))
    for i, column_width in enumerate(columns):
        table.columns[i].width = Cm(column_width)
        for cell in table.columns[i].cells:
            cell.width = Cm(column_width)
    for row in table.rows:
        style_row(row)
    return table


def _border(edge: str, value: str) -> OxmlElement:
    border = OxmlElement(f"w:{edge}")
    border.set(qn("w:val"), value)
    if value != "nil":
        border.set(qn("w:sz"), "6")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
    return border


def style_row(row: _Row, height: float = 0.75) -> None:
    """Give a row a minimum height and keep it whole on one page."""
    row.height = Cm(height)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def mark_header(row: _Row) -> None:
    """Make *row* a header row that Word repeats on every page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def merge(
    table: Table, columns: Sequence[float], top: int, left: int, bottom: int, right: int
) -> _Cell:
    """Merge the rectangle of cells and return the merged cell."""
    cell = table.cell(top, left)
    if (top, left) != (bottom, right):
        cell = cell.merge(table.cell(bottom, right))
    cell.width = Cm(sum(columns[left : right + 1]))
    return cell


def write(
    cell: _Cell, text: str, size: Length, align: WD_ALIGN_PARAGRAPH = CENTER, bold: bool = False
) -> None:
    """Write *text* into a cell: vertically centred, in the given size."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    fmt.space_before = fmt.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = size
    run.bold = bold or None


def fill(
    table: Table,
    row: int,
    texts: Sequence[str],
    aligns: Sequence[WD_ALIGN_PARAGRAPH],
    size: Length,
    bold: bool = False,
) -> None:
    """Write one text per grid column of a row (empty texts are skipped)."""
    for col, (text, align) in enumerate(zip(texts, aligns, strict=True)):
        if text:
            write(table.cell(row, col), text, size, align, bold)


def unique_cells(row: _Row) -> list[_Cell]:
    """Return a row's cells once each (python-docx repeats a merged cell per grid column)."""
    seen: dict[int, _Cell] = {}
    for cell in row.cells:
        seen.setdefault(id(cell._tc), cell)
    return list(seen.values())


def set_cell_border(cell: _Cell, edge: str, value: str) -> None:
    """Set one border edge of a cell (``single`` or ``nil``)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        # tcBorders comes after tcW/gridSpan/vMerge and before shd/vAlign in CT_TcPr.
        anchor = tc_pr.find(qn("w:vAlign"))
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            tc_pr.append(borders)
    borders.append(_border(edge, value))


def add_spacer(doc: Document) -> None:
    """Add a hidden 1-pt paragraph: it keeps two tables apart without showing a gap."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    fmt.first_line_indent = Pt(0)
    r_pr = OxmlElement("w:rPr")
    r_pr.append(OxmlElement("w:vanish"))
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    r_pr.append(size)
    paragraph._p.get_or_add_pPr().append(r_pr)


def end_body(doc: Document) -> None:
    """Close the body with a tiny empty paragraph (a body may not end with a table)."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.first_line_indent = Pt(0)


def add_page_number(section: Section, size: Length, font: str, latin: str = LATIN_FONT) -> None:
    """Put the page number, centred, in *section*'s footer (a PAGE field Word updates)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        run.font.size = size
        set_fonts(run._r, font, latin)
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def save_clean(doc: Document, path: Path) -> None:
    """Write *doc* to *path* byte-for-byte reproducibly (fixed zip and property timestamps),
    with the properties docgen's documents carry and only the styles it uses.

    No thumbnail, app.xml naming docgen, compatibility mode 15 (``docgen.ooxml.properties``).
    """
    from docgen.ooxml.package import read_package
    from docgen.ooxml.properties import clean_package
    from docgen.ooxml.zipwriter import Entry, write_zip

    buffer = io.BytesIO()
    doc.save(buffer)
    package = clean_package(read_package(rezip(buffer.getvalue()), path.name))
    parts = slim_styles(dict(package.parts))
    path.write_bytes(write_zip(Entry.deflated(name, data) for name, data in parts.items()))


STYLES_XML = "word/styles.xml"
WITH_EFFECTS = "stylesWithEffects"
_STYLE_REFERENCE = re.compile(
    rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"'
)


def slim_styles(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Return the parts with only the styles the document uses (python-docx's default
    template defines 164 and Word 2010's ``stylesWithEffects.xml`` copy of them all).

    Kept: the defaults, every style a part names, and what those are based on, link to or
    are followed by; the latent styles stay, so Word still offers its built-in styles. An
    unused style costs LibreOffice about a quarter of the time it takes to open a 自评表.
    """
    used = {
        name.decode()
        for part, data in parts.items()
        if part.startswith("word/") and part.endswith(".xml") and part != STYLES_XML
        for name in _STYLE_REFERENCE.findall(data)
    }
    root = etree.fromstring(parts[STYLES_XML])
    styles = {style.get(qn("w:styleId")): style for style in root.iterfind(qn("w:style"))}
    used |= {name for name, style in styles.items() if style.get(qn("w:default")) == "1"}
    todo = list(used)
    while todo:
        style = styles.get(todo.pop())
        for tag in ("w:basedOn", "w:next", "w:link"):
            found = style.find(qn(tag)) if style is not None else None
            if found is not None and found.get(qn("w:val")) not in used:
                used.add(found.get(qn("w:val")))
                todo.append(found.get(qn("w:val")))
    for name, style in styles.items():
        if name not in used:
            root.remove(style)
    slim = {part: data for part, data in parts.items() if not part.endswith(f"/{WITH_EFFECTS}.xml")}
    slim[STYLES_XML] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for part in ("[Content_Types].xml", "word/_rels/document.xml.rels"):
        slim[part] = re.sub(
            rb"<(?:Override|Relationship) [^>]*" + WITH_EFFECTS.encode() + rb"[^>]*/>",
            b"",
            slim[part],
        )
    return slim


def set_cell_margins(table: Table, twips: int) -> None:
    """Set the left and right cell margins of every cell of *table* (``w:tblCellMar``)."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    for edge in ("left", "right"):
        margins.find(qn(f"w:{edge}")).set(qn("w:w"), str(twips))


def keep_rows_together(table: Table) -> None:
    """Keep a short table on one page: every paragraph in it keeps with the next."""
    for row in table.rows:
        for cell in unique_cells(row):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
