"""The 财政项目支出绩效自评表 template.

A4 portrait, title and （YYYY年度） centred, then the form as one bordered 8-column grid.  The
grid is two tables that join seamlessly: the top part (项目名称 … 年度总体目标) and the
indicator part, whose header row (一级指标 … 偏差原因分析及改进措施) repeats on every page the
indicators run onto — Word repeats only the first rows of a table, so the indicator header must
start a table of its own.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt
from docx_kit import (
    CENTER,
    LEFT,
    RIGHT,
    add_spacer,
    add_text,
    end_body,
    fill,
    mark_header,
    merge,
    new_document,
    new_table,
    save,
    set_cell_border,
    unique_cells,
    write,
)

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
TABLE_SIZE = Pt(9)  # 小五
# Grid column widths in cm; they add up to the A4 text width (21.0 − 2 × 2.2).
COLUMNS = (1.6, 2.5, 2.7, 2.2, 2.1, 1.5, 1.5, 2.5)


def build_top(doc: Document) -> None:
    """Add the top part: 项目名称, 主管部门/实施单位, 项目资金, 年度总体目标."""
    table = new_table(doc, rows=9, columns=COLUMNS)

    def cell(top: int, left: int, bottom: int, right: int, text: str, align=CENTER) -> None:
        write(merge(table, COLUMNS, top, left, bottom, right), text, TABLE_SIZE, align)

    cell(0, 0, 0, 1, "项目名称")
    cell(0, 2, 0, 7, "{{ 项目名称 }}")
    cell(1, 0, 1, 1, "主管部门")
    cell(1, 2, 1, 3, "{{ 主管部门 }}")
    cell(1, 4, 1, 5, "实施单位")
    cell(1, 6, 1, 7, "{{ 实施单位 }}")
    cell(2, 0, 6, 0, "项目资金\n（{{ 金额单位 }}）")
    headers = ["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"]
    fill(table, 2, headers, [CENTER] * 8, TABLE_SIZE)
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
        texts = [
            "",
            label,
            f"{{{{ {line}.年初预算数|money }}}}",
            f"{{{{ {line}.全年预算数|money }}}}",
            f"{{{{ {line}.全年执行数|money }}}}",
            f"{{{{ {funds}.分值|score }}}}" if first else "—",
            f"{{{{ {line}.执行率|rate }}}}",
            f"{{{{ {funds}.得分|score }}}}" if first else "—",
        ]
        aligns = [CENTER, LEFT, RIGHT, RIGHT, RIGHT, CENTER, RIGHT, CENTER]
        fill(table, 3 + offset, texts, aligns, TABLE_SIZE)
    cell(7, 0, 8, 0, "年度\n总体\n目标")
    cell(7, 1, 7, 3, "预期目标")
    cell(7, 4, 7, 7, "实际完成情况")
    cell(8, 1, 8, 3, "{{ 年度总体目标.预期目标 }}", LEFT)
    cell(8, 4, 8, 7, "{{ 年度总体目标.实际完成情况 }}", LEFT)
    table.rows[8].height = Cm(3.0)
    # The indicator table's header row draws the line between the two tables.
    for merged in unique_cells(table.rows[-1]):
        set_cell_border(merged, "bottom", "nil")


def build_indicators(doc: Document) -> None:
    """Add the indicator part: header, one looped row with group merges, 总分, 评分等级."""
    table = new_table(doc, rows=6, columns=COLUMNS)
    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    fill(table, 0, [*headers, "偏差原因分析及改进措施"], [CENTER] * 8, TABLE_SIZE)
    mark_header(table.rows[0])
    for merged in unique_cells(table.rows[0]):
        set_cell_border(merged, "top", "single")
    write(table.cell(1, 0), "{%tr for row in 绩效指标 %}", TABLE_SIZE, LEFT)
    texts = [
        "{{ row.一级指标 }}{% vmerge %}",
        "{{ row.二级指标 }}{% vmerge %}",
        "{{ row.三级指标 }}",
        "{{ row.年度指标值 }}",
        "{{ row.实际完成值 }}",
        "{{ row.分值|score }}",
        "{{ row.得分|score }}",
        "{{ row.偏差原因分析及改进措施 }}",
    ]
    fill(table, 2, texts, [CENTER] * 7 + [LEFT], TABLE_SIZE)
    write(table.cell(3, 0), "{%tr endfor %}", TABLE_SIZE, LEFT)
    write(merge(table, COLUMNS, 4, 0, 4, 4), "总分", TABLE_SIZE)
    write(table.cell(4, 5), "{{ 分值合计|score }}", TABLE_SIZE)
    write(table.cell(4, 6), "{{ 总分|score }}", TABLE_SIZE)
    write(merge(table, COLUMNS, 5, 0, 5, 1), "评分等级", TABLE_SIZE)
    write(merge(table, COLUMNS, 5, 2, 5, 7), "{{ 评分等级 }}", TABLE_SIZE)


def build(path: Path) -> None:
    """Write the 财政项目支出绩效自评表 template to *path*."""
    doc = new_document(BODY_FONT, Pt(10.5), margins_cm=2.2)
    add_text(doc, "财政项目支出绩效自评表", size=Pt(16), font=TITLE_FONT, align=CENTER,
             space_after=Pt(6))  # fmt: skip
    add_text(doc, "（{{ 年度 }}年度）", size=Pt(12), align=CENTER, space_after=Pt(8))
    build_top(doc)
    add_spacer(doc)
    build_indicators(doc)
    end_body(doc)
    save(doc, path)
