"""Build the default templates in this folder: ``python templates/build.py``.

The .docx files are committed; this script is how they were made, so that a change to the
layout is a reviewed change to code.  Open the result in Word to edit it further: the
placeholders are docxtpl/Jinja tags with the form's own labels as variable names.

``table.docx`` — 财政项目支出绩效自评表: A4 portrait, title and （YYYY年度） centred, then the
form as one bordered 8-column grid.  It is two tables that join seamlessly: the top part
(项目名称 … 年度总体目标) and the indicator part, whose header row (一级指标 … 偏差原因分析及
改进措施) repeats on every page the indicators run onto — Word repeats only the first rows of a
table, so the indicator header must start a table of its own.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row

HERE = Path(__file__).resolve().parent

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(10.5)  # 五号
TABLE_SIZE = Pt(9)  # 小五
TITLE_SIZE = Pt(16)  # 三号

# Grid column widths in cm; they add up to the A4 text width (21.0 − 2 × 2.2).
COLUMNS = (1.6, 2.5, 2.7, 2.2, 2.1, 1.5, 1.5, 2.5)

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def set_fonts(rpr_parent: object, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the East Asian and Latin fonts of a style or run."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def setup_document() -> Document:
    """Return an empty A4 portrait document with the form's fonts as defaults."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)

    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_fonts(normal.element, BODY_FONT)
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


def add_title(doc: Document, text: str, size: Pt, font: str, space_after: Pt) -> None:
    """Add a centred title paragraph."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = CENTER
    paragraph.paragraph_format.space_after = space_after
    run = paragraph.add_run(text)
    run.font.size = size
    set_fonts(run._r, font)


def new_table(doc: Document, rows: int) -> Table:
    """Add a bordered, fixed-layout table on the 8-column grid."""
    table = doc.add_table(rows=rows, cols=len(COLUMNS))
    table.autofit = False
    table.alignment = 1  # centred on the page
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "6")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
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
    width.set(qn("w:w"), str(sum(Cm(w).twips for w in COLUMNS)))
    for i, width in enumerate(COLUMNS):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    for row in table.rows:
        style_row(row)
    return table


def style_row(row: _Row, height: float = 0.75) -> None:
    """Give a row a minimum height and keep it whole on one page."""
    row.height = Cm(height)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def merge(table: Table, top: int, left: int, bottom: int, right: int) -> _Cell:
    """Merge the rectangle of cells and return the merged cell."""
    cell = table.cell(top, left)
    if (top, left) != (bottom, right):
        cell = cell.merge(table.cell(bottom, right))
    cell.width = Cm(sum(COLUMNS[left : right + 1]))
    return cell


def write(cell: _Cell, text: str, align: WD_ALIGN_PARAGRAPH = CENTER, bold: bool = False) -> None:
    """Write *text* into a cell: vertically centred, in the table's font size."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size = TABLE_SIZE
    run.bold = bold or None


def fill(
    table: Table, row: int, texts: Sequence[str], aligns: Sequence[WD_ALIGN_PARAGRAPH]
) -> None:
    """Write one text per grid column of a row."""
    for col, (text, align) in enumerate(zip(texts, aligns, strict=True)):
        if text:
            write(table.cell(row, col), text, align)


def build_top(doc: Document) -> None:
    """Add the top part: 项目名称, 主管部门/实施单位, 项目资金, 年度总体目标."""
    table = new_table(doc, rows=10)
    write(merge(table, 0, 0, 0, 1), "项目名称")
    write(merge(table, 0, 2, 0, 7), "{{ 项目名称 }}")
    write(merge(table, 1, 0, 1, 1), "主管部门")
    write(merge(table, 1, 2, 1, 3), "{{ 主管部门 }}")
    write(merge(table, 1, 4, 1, 5), "实施单位")
    write(merge(table, 1, 6, 1, 7), "{{ 实施单位 }}")

    write(merge(table, 2, 0, 6, 0), "项目资金\n（{{ 金额单位 }}）")
    fill(
        table,
        2,
        ["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"],
        [CENTER] * 8,
    )
    funds = "项目资金"
    rows = (
        ("年度资金总额：", "年度资金总额"),
        ("其中：当年财政拨款", "当年财政拨款"),
        ("上年结转资金", "上年结转资金"),
        ("其他资金", "其他资金"),
    )
    for offset, (label, key) in enumerate(rows):
        line = f"{funds}.{key}"
        first = offset == 0
        fill(
            table,
            3 + offset,
            [
                "",
                label,
                f"{{{{ {line}.年初预算数|money }}}}",
                f"{{{{ {line}.全年预算数|money }}}}",
                f"{{{{ {line}.全年执行数|money }}}}",
                f"{{{{ {funds}.分值|score }}}}" if first else "—",
                f"{{{{ {line}.执行率|rate }}}}",
                f"{{{{ {funds}.得分|score }}}}" if first else "—",
            ],
            [CENTER, LEFT, RIGHT, RIGHT, RIGHT, CENTER, RIGHT, CENTER],
        )

    write(merge(table, 7, 0, 8, 0), "年度\n总体\n目标")
    write(merge(table, 7, 1, 7, 3), "预期目标")
    write(merge(table, 7, 4, 7, 7), "实际完成情况")
    write(merge(table, 8, 1, 8, 3), "{{ 年度总体目标.预期目标 }}", LEFT)
    write(merge(table, 8, 4, 8, 7), "{{ 年度总体目标.实际完成情况 }}", LEFT)
    table.rows[8].height = Cm(3.0)
    # Row 9 is a scratch row python-docx created; the grid needs exactly rows 0..8.
    table._tbl.remove(table.rows[9]._tr)
    # The indicator table's header row draws the line between the two tables.
    for cell in unique_cells(table.rows[-1]):
        set_cell_border(cell, "bottom", "nil")


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
    border = OxmlElement(f"w:{edge}")
    border.set(qn("w:val"), value)
    if value != "nil":
        border.set(qn("w:sz"), "6")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
    borders.append(border)


def add_spacer(doc: Document) -> None:
    """Add the hidden, 1-pt paragraph that keeps the two tables apart in Word."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = OxmlElement("w:rPr")
    vanish = OxmlElement("w:vanish")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    r_pr.append(vanish)
    r_pr.append(size)
    p_pr.append(r_pr)


def build_indicators(doc: Document) -> None:
    """Add the indicator part: header, one looped row with group merges, 总分, 评分等级."""
    table = new_table(doc, rows=6)
    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    fill(table, 0, [*headers, "偏差原因分析及改进措施"], [CENTER] * 8)
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))
    for cell in unique_cells(table.rows[0]):
        set_cell_border(cell, "top", "single")

    write(table.cell(1, 0), "{%tr for row in 绩效指标 %}", LEFT)
    fill(
        table,
        2,
        [
            "{{ row.一级指标 }}{% vmerge %}",
            "{{ row.二级指标 }}{% vmerge %}",
            "{{ row.三级指标 }}",
            "{{ row.年度指标值 }}",
            "{{ row.实际完成值 }}",
            "{{ row.分值|score }}",
            "{{ row.得分|score }}",
            "{{ row.偏差原因分析及改进措施 }}",
        ],
        [CENTER, CENTER, CENTER, CENTER, CENTER, CENTER, CENTER, LEFT],
    )
    write(table.cell(3, 0), "{%tr endfor %}", LEFT)
    write(merge(table, 4, 0, 4, 4), "总分")
    write(table.cell(4, 5), "{{ 分值合计|score }}")
    write(table.cell(4, 6), "{{ 总分|score }}")
    write(merge(table, 5, 0, 5, 1), "评分等级")
    write(merge(table, 5, 2, 5, 7), "{{ 评分等级 }}")


def build_table(path: Path) -> None:
    """Write the 财政项目支出绩效自评表 template to *path*."""
    doc = setup_document()
    add_title(doc, "财政项目支出绩效自评表", TITLE_SIZE, TITLE_FONT, Pt(6))
    add_title(doc, "（{{ 年度 }}年度）", Pt(12), BODY_FONT, Pt(8))
    build_top(doc)
    add_spacer(doc)
    build_indicators(doc)
    # A body may not end with a table: close it with a tiny empty paragraph.
    doc.add_paragraph().paragraph_format.line_spacing = Pt(1)
    doc.save(str(path))


def main(argv: Sequence[str] = ()) -> int:
    """Build every default template into this folder (or the folder given)."""
    out = Path(argv[0]) if argv else HERE
    build_table(out / "table.docx")
    print(f"wrote {out / 'table.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
