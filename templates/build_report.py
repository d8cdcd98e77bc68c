"""The 财政项目支出绩效自评价报告 template.

Real Word heading styles (Heading 1 for 一、二、三、 and 附表1, Heading 2 for （一）…), so the
navigation pane shows the seed's outline and a TOC field can be inserted.  Body in 仿宋,
headings in 黑体, A4 portrait throughout, the page number in the footer (as the official).
The 资金安排 table fits the portrait page in 六号 (7.5 pt) figures (they print as the official
report prints them, ``数字格式: 常规`` in report.yaml), so the text flows around it and no
page is left mostly empty.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import ParagraphStyle
from docx_kit import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    add_page_number,
    add_text,
    end_body,
    fill,
    keep_rows_together,
    mark_header,
    merge,
    new_document,
    new_table,
    save_clean,
    set_cell_margins,
    set_fonts,
    write,
)

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
BODY_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(7.5)  # 六号: 1316006.97 fits a 1.36 cm column
FOOTER_SIZE = Pt(10.5)
MARGIN = 2.5
SUBHEADING = "DocGen Subheading"

# 资金安排: 项目, 行次, 合计, 财政资金 (小计, 中央级, 市级, 区县级, 乡镇级),
# 其他资金 (小计, 单位自筹, 银行贷款等, 社会资本): 16.6 cm, 0.3 cm into each margin of the
# portrait page (21.0 − 2 × 2.5 cm), cells with 0.035 cm side margins.
ARRANGEMENT = (1.6, 1.4) + (1.36,) * 10
ARRANGEMENT_CELL_MARGIN = 20  # twips
MONEY_KEYS = ("合计", "财政小计", "中央级", "市级", "区县级", "乡镇级", "其他小计", "单位自筹",
              "银行贷款等", "社会资本")  # fmt: skip
# 资金使用情况: 项目支出内容, 合计, 财政资金支出数, 其他资金支出数, 财政资金专款专用数.
SPENDING = (5.0, 2.9, 2.9, 2.9, 2.3)
# 附表1: 一级指标, 三级指标, 权重, 目标值, 业绩值, 评分结果 (21.0 − 2 × 2.5 cm).
SCORES = (2.4, 4.6, 1.6, 2.8, 2.8, 1.8)


def _style_heading(style: ParagraphStyle, size: Pt, indent: bool) -> None:
    """Make a built-in heading style plain black 黑体 without theme fonts or colours."""
    r_pr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:b", "w:bCs", "w:i", "w:iCs"):
        for element in r_pr.findall(qn(tag)):
            r_pr.remove(element)
    set_fonts(style.element, HEADING_FONT)
    style.font.size = size
    style.font.bold = False
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(12), Pt(6)
    fmt.first_line_indent = Pt(28) if indent else Pt(0)
    fmt.keep_with_next = True
    fmt.line_spacing = Pt(28)


def setup_styles(doc: Document) -> None:
    """Define body, title, heading and subheading styles."""
    normal = doc.styles["Normal"]
    fmt = normal.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.first_line_indent = Pt(28)  # two characters
    fmt.alignment = JUSTIFY
    title = doc.styles["Title"]
    title_rpr = title.element.get_or_add_rPr()
    for tag in ("w:color", "w:spacing", "w:kern"):
        for element in title_rpr.findall(qn(tag)):
            title_rpr.remove(element)
    set_fonts(title.element, TITLE_FONT)
    title.font.size = Pt(22)
    title.paragraph_format.alignment = CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(18)
    borders = title.element.find(qn("w:pPr") + "/" + qn("w:pBdr"))
    if borders is not None:
        borders.getparent().remove(borders)
    _style_heading(doc.styles["Heading 1"], Pt(16), indent=True)
    _style_heading(doc.styles["Heading 2"], Pt(16), indent=True)
    sub = doc.styles.add_style(SUBHEADING, 1)
    sub.base_style = normal
    sub.font.bold = True
    sub.paragraph_format.keep_with_next = True


def heading(doc: Document, text: str, level: int) -> None:
    """Add a real Word heading."""
    doc.add_paragraph(text, style=f"Heading {level}")


def body(doc: Document, tag: str) -> None:
    """Add a body paragraph holding one tag; its paragraphs become Word paragraphs."""
    doc.add_paragraph(tag, style="Normal")


def unit_line(doc: Document, text: str) -> None:
    """Add a right-aligned ``单位：元`` line above a table."""
    add_text(doc, text, size=TABLE_SIZE, align=RIGHT)
    doc.paragraphs[-1].paragraph_format.first_line_indent = Pt(0)


def build_arrangement(doc: Document) -> None:
    """Add the 资金安排 table: two header rows, then one looped row per line (1)–(8)."""
    table = new_table(doc, rows=5, columns=ARRANGEMENT)
    set_cell_margins(table, ARRANGEMENT_CELL_MARGIN)
    size = WIDE_TABLE_SIZE
    write(merge(table, ARRANGEMENT, 0, 0, 1, 0), "项目", size)
    write(merge(table, ARRANGEMENT, 0, 1, 1, 1), "行次", size)
    write(merge(table, ARRANGEMENT, 0, 2, 1, 2), "合计", size)
    write(merge(table, ARRANGEMENT, 0, 3, 0, 7), "财政资金", size)
    write(merge(table, ARRANGEMENT, 0, 8, 0, 11), "其他资金", size)
    labels = ["", "", "", "小计", "中央级", "市级", "区县级", "乡镇级", "小计", "单位自筹",
              "银行贷款等", "社会资本"]  # fmt: skip
    fill(table, 1, labels, [CENTER] * 12, size)
    mark_header(table.rows[0])
    mark_header(table.rows[1])
    write(table.cell(2, 0), "{%tr for row in 资金安排 %}", size, LEFT)
    texts = ["{{ row.项目 }}", "{{ row.行次 }}"] + [f"{{{{ row.{k} }}}}" for k in MONEY_KEYS]
    fill(table, 3, texts, [LEFT, CENTER] + [RIGHT] * 10, size)
    write(table.cell(4, 0), "{%tr endfor %}", size, LEFT)


def build_spending(doc: Document) -> None:
    """Add the 资金使用情况 table: header, 合计, then one looped row per item."""
    table = new_table(doc, rows=6, columns=SPENDING)
    size = TABLE_SIZE
    write(merge(table, SPENDING, 0, 0, 1, 0), "项目支出内容", size)
    write(merge(table, SPENDING, 0, 1, 0, 3), "资金情况（单位：{{ 金额单位 }}）", size)
    write(merge(table, SPENDING, 0, 4, 1, 4), "财政资金专款专用数", size)
    fill(table, 1, ["", "合计", "财政资金支出数", "其他资金支出数", ""], [CENTER] * 5, size)
    mark_header(table.rows[0])
    mark_header(table.rows[1])
    total = "资金使用情况.合计"
    fill(
        table,
        2,
        ["合计", f"{{{{ {total}.合计 }}}}", f"{{{{ {total}.财政资金支出数 }}}}",
         f"{{{{ {total}.其他资金支出数 }}}}", f"{{{{ {total}.财政资金专款专用数 }}}}"],
        [CENTER, RIGHT, RIGHT, RIGHT, RIGHT],
        size,
    )  # fmt: skip
    write(table.cell(3, 0), "{%tr for row in 资金使用情况.行 %}", size, LEFT)
    fill(
        table,
        4,
        ["{{ row.项目支出内容 }}", "{{ row.合计 }}", "{{ row.财政资金支出数 }}",
         "{{ row.其他资金支出数 }}", "{{ row.财政资金专款专用数 }}"],
        [LEFT, RIGHT, RIGHT, RIGHT, RIGHT],
        size,
    )  # fmt: skip
    write(table.cell(5, 0), "{%tr endfor %}", size, LEFT)
    # Short: kept on one page (with the heading that follows it, which keeps with its text).
    keep_rows_together(table)


def build_scores(doc: Document) -> None:
    """Add 附表1: 预算执行率, a subtotal per 一级指标 and its rows, 总计, 评价等级."""
    table = new_table(doc, rows=6, columns=SCORES)
    size = TABLE_SIZE
    fill(table, 0, ["一级指标", "三级指标", "权重", "目标值", "业绩值", "评分结果"],
         [CENTER] * 6, size, bold=True)  # fmt: skip
    mark_header(table.rows[0])
    write(table.cell(1, 0), "{%tr for row in 附表1 %}", size, LEFT)
    fill(
        table,
        2,
        ["{{ row.一级指标 }}{% vmerge %}", "{{ row.三级指标 }}", "{{ row.权重|score }}",
         "{{ row.目标值 }}", "{{ row.业绩值 }}", "{{ row.评分结果|score }}"],
        [CENTER, LEFT, CENTER, CENTER, CENTER, CENTER],
        size,
    )  # fmt: skip
    write(table.cell(3, 0), "{%tr endfor %}", size, LEFT)
    write(merge(table, SCORES, 4, 0, 4, 1), "总计", size, bold=True)
    write(table.cell(4, 2), "{{ 分值合计|score }}", size)
    write(merge(table, SCORES, 4, 3, 4, 4), "", size)
    write(table.cell(4, 5), "{{ 总得分|score }}", size)
    write(merge(table, SCORES, 5, 0, 5, 1), "评价等级", size, bold=True)
    write(merge(table, SCORES, 5, 2, 5, 5), "{{ 评价等级 }}", size)


def build(path: Path) -> None:
    """Write the 财政项目支出绩效自评价报告 template to *path*."""
    doc = new_document(BODY_FONT, BODY_SIZE, margins_cm=MARGIN)
    setup_styles(doc)
    add_page_number(doc.sections[0], FOOTER_SIZE, BODY_FONT)
    doc.add_paragraph("财政项目支出绩效自评价报告", style="Title")
    add_text(doc, "{{ 项目名称 }}（{{ 年度 }}年度）", font="楷体", align=CENTER, space_after=Pt(12))
    doc.paragraphs[-1].paragraph_format.first_line_indent = Pt(0)

    heading(doc, "一、项目的基本情况", 1)
    heading(doc, "（一）项目概况", 2)
    body(doc, "{{ 报告.项目概况 }}")
    heading(doc, "（二）资金安排和使用情况", 2)
    doc.add_paragraph("1. 资金安排情况", style=SUBHEADING)
    unit_line(doc, "单位：{{ 金额单位 }}")
    build_arrangement(doc)
    doc.add_paragraph("2. 资金使用情况", style=SUBHEADING)
    build_spending(doc)
    heading(doc, "（三）项目绩效目标", 2)
    doc.add_paragraph("1. 项目总目标", style=SUBHEADING)
    body(doc, "{{ 报告.项目总目标 }}")
    doc.add_paragraph("2. 项目年度绩效目标", style=SUBHEADING)
    body(doc, "{{ 报告.项目年度绩效目标 }}")
    heading(doc, "（四）项目实施计划", 2)
    body(doc, "{{ 报告.项目实施计划 }}")

    heading(doc, "二、项目绩效情况分析", 1)
    body(doc, "{{ 报告.绩效分析 }}")
    heading(doc, "（一）绩效目标完成的指标", 2)
    body(doc, "{{ 报告.完成的指标 }}")
    heading(doc, "（二）没有完成绩效目标的指标", 2)
    body(doc, "{{ 报告.未完成的指标 }}")
    heading(doc, "（三）未完成绩效目标指标原因解释", 2)
    body(doc, "{{ 报告.未完成原因 }}")

    heading(doc, "三、改进建议", 1)
    heading(doc, "（一）对项目管理及实施的建议", 2)
    body(doc, "{{ 报告.对项目管理及实施的建议 }}")
    heading(doc, "（二）对完善制度保障的建议", 2)
    body(doc, "{{ 报告.对完善制度保障的建议 }}")
    heading(doc, "（三）对以后年度项目预算安排的建议", 2)
    body(doc, "{{ 报告.对以后年度项目预算安排的建议 }}")
    heading(doc, "（四）备注", 2)
    body(doc, "{{ 报告.备注 }}")

    heading(doc, "附表1.自评价评分附件表", 1)
    build_scores(doc)
    end_body(doc)
    save_clean(doc, path)
