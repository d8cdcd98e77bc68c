"""The 财政项目支出绩效自评表 templates: the 2023/2024 edition and the 2022 edition.

A4 portrait, title and （YYYY年度） centred, then the form as one bordered grid.  The grid is
two tables that join seamlessly: the top part (项目名称 … 年度总体目标) and the indicator part,
whose header row repeats on every page the indicators run onto — Word repeats only the first
rows of a table, so the indicator header must start a table of its own.

The editions differ where the official forms do:

- **2023** (``table.docx``, seeds 001–003): 8 indicator columns (一级指标 … 偏差原因分析及改进措施),
  scores with two decimals, a 评分等级 row.
- **2022** (``table-2022.docx``, seed 000): a 绩效指标 label column over the indicator block
  (9 columns in the header row; the label heads the column, the rows below are one merged
  cell), scores as written (10, 4.5, 99.5), the total's 执行率 as ``100.00%``, no 评分等级 row.

The words both editions print (分数/分值, 执行率(%)/执行率, what the source rows show under 分数
and 得分, whether the 评分等级 row exists) are the ``用语`` variables of the template's config
(``table.yaml``, ``table-2022.yaml``), not text of the .docx.

Column widths follow the official forms' line breaks (seed 002, 9 pt): 一级/二级指标 two
characters a line (``经济|成本|指标``), 三级指标 fourteen (支撑医保运行和管理的有效程度 on one
line, ``支撑医保制度改革和发展有效程|度`` on two), 年度指标值 and 实际完成值 about five
(``无重大事故|发生``, ``符合有关标|准和合同``).

Pages: short rows never split (``cantSplit``); the 年度总体目标 text row may, as the official
forms split it.  The indicator header and the rows of the last 一级指标 group keep with the
next row (``{% keepnext %}``), so 总分 and 评分等级 never stand alone under a repeated header.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Row
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
    save_clean,
    set_cell_border,
    unique_cells,
    write,
)

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
TABLE_SIZE = Pt(9)  # 小五
# Widths in cm; each grid adds up to the A4 text width (21.0 − 2 × 2.2 = 16.6).
TOP_COLUMNS = (1.6, 2.5, 2.1, 2.1, 2.1, 1.9, 2.1, 2.2)
# 一级, 二级, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
INDICATOR_COLUMNS = (1.0, 1.0, 4.8, 2.0, 1.9, 1.3, 1.3, 3.3)
# 绩效指标, then the same but 三级指标 narrower: the 2022 names are short (运维工作验收通过率),
# its values long (=100% (与合同要求一致))
INDICATOR_COLUMNS_2022 = (1.0, 1.0, 1.0, 3.2, 2.4, 2.4, 1.2, 1.2, 3.2)
# The looped row keeps with the next while it is in the last 一级指标 group (up to 6 rows; a
# longer one: its last two rows).  The chain starts where a group starts: LibreOffice does not
# move a chain whose first row continues a vertical merge from the row above it.
KEEP_LAST_ROWS = "{% keepnext if loop.revindex <= (末组行数 if 末组行数 <= 6 else 2) %}"


@dataclass(frozen=True)
class Edition:
    """What one edition of the form prints differently."""

    name: str
    indicator_columns: tuple[float, ...]
    label_column: bool  # a 绩效指标 column spanning the indicator block
    score: str  # the filter scores print with
    total_rate: str  # the filter the total's 执行率 prints with


EDITION_2023 = Edition("2023", INDICATOR_COLUMNS, False, "score", "rate")
EDITION_2022 = Edition("2022", INDICATOR_COLUMNS_2022, True, "plain", "percent")


def allow_split(row: _Row) -> None:
    """Let a row of long text break across pages (``new_table`` makes every row cantSplit)."""
    for cant in row._tr.get_or_add_trPr().findall(qn("w:cantSplit")):
        cant.getparent().remove(cant)


def build_top(doc: Document, edition: Edition) -> Table:
    """Add the top part: 项目名称, 主管部门/实施单位, 项目资金, 年度总体目标."""
    columns = TOP_COLUMNS
    table = new_table(doc, rows=9, columns=columns)

    def cell(top: int, left: int, bottom: int, right: int, text: str, align=CENTER) -> None:
        write(merge(table, columns, top, left, bottom, right), text, TABLE_SIZE, align)

    score = edition.score
    cell(0, 0, 0, 0, "项目名称")
    cell(0, 1, 0, 7, "{{ 项目名称 }}")
    cell(1, 0, 1, 0, "主管部门")
    cell(1, 1, 1, 3, "{{ 主管部门 }}")
    cell(1, 4, 1, 4, "实施单位")
    cell(1, 5, 1, 7, "{{ 实施单位 }}")
    cell(2, 0, 6, 0, "项目资金\n（{{ 金额单位 }}）")
    headers = ["", "", "年初预算数", "全年预算数", "全年执行数", "{{ 用语.分数 }}",
               "{{ 用语.执行率 }}", "得分"]  # fmt: skip
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
        if offset == 0:
            weight = f"{{{{ {funds}.分值|{score} }}}}"
            rate = f"{{{{ {line}.执行率|{edition.total_rate} }}}}"
            points = f"{{{{ {funds}.得分|{score} }}}}"
        else:
            weight = "{{ 用语.来源行分数 }}"
            rate = f'{{{{ {line}.执行率|rate if 用语.来源行执行率 else "" }}}}'
            points = "{{ 用语.来源行得分 }}"
        texts = [
            "",
            label,
            f"{{{{ {line}.年初预算数|money }}}}",
            f"{{{{ {line}.全年预算数|money }}}}",
            f"{{{{ {line}.全年执行数|money }}}}",
            weight,
            rate,
            points,
        ]
        aligns = [CENTER, LEFT, RIGHT, RIGHT, RIGHT, CENTER, RIGHT, CENTER]
        fill(table, 3 + offset, texts, aligns, TABLE_SIZE)
    cell(7, 0, 8, 0, "年度\n总体\n目标")
    cell(7, 1, 7, 3, "预期目标")
    cell(7, 4, 7, 7, "实际完成情况")
    cell(8, 1, 8, 3, "{{ 年度总体目标.预期目标 }}", LEFT)
    cell(8, 4, 8, 7, "{{ 年度总体目标.实际完成情况 }}", LEFT)
    table.rows[8].height = Cm(3.0)
    allow_split(table.rows[8])  # a long 实际完成情况 splits across the page, as the official
    # The indicator table's header row draws the line between the two tables.
    for merged in unique_cells(table.rows[-1]):
        set_cell_border(merged, "bottom", "nil")
    return table


def build_indicators(doc: Document, edition: Edition) -> Table:
    """Add the indicator part: header, one looped row with group merges, 总分, 评分等级."""
    columns = edition.indicator_columns
    # header, {%tr for %}, row, {%tr endfor %}, 总分, {%tr if %}, 评分等级, {%tr endif %}
    table = new_table(doc, rows=8, columns=columns)
    first = 1 if edition.label_column else 0  # the grid column of 一级指标
    headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
               "偏差原因分析\n及改进措施{% keepnext %}"]  # fmt: skip
    if edition.label_column:
        headers.insert(0, "绩效\n指标")
    fill(table, 0, headers, [CENTER] * len(columns), TABLE_SIZE)
    mark_header(table.rows[0])
    for merged in unique_cells(table.rows[0]):
        set_cell_border(merged, "top", "single")
    write(table.cell(1, 0), "{%tr for row in 绩效指标 %}", TABLE_SIZE, LEFT)
    score = edition.score
    texts = [
        "{{ row.一级指标 }}{% vmerge %}",
        "{{ row.二级指标 }}{% vmerge %}",
        "{{ row.三级指标 }}",
        "{{ row.年度指标值 }}",
        "{{ row.实际完成值 }}",
        f"{{{{ row.分值|{score} }}}}",
        f"{{{{ row.得分|{score} }}}}",
        "{{ row.偏差原因分析及改进措施 }}" + KEEP_LAST_ROWS,
    ]
    if edition.label_column:
        # One block under the header's 绩效指标: every indicator row's first cell continues
        # the merge (its text is always the same, empty), no line under the label.
        texts.insert(0, "{% vmerge %}")
        set_cell_border(table.cell(0, 0), "bottom", "nil")
        set_cell_border(table.cell(2, 0), "top", "nil")
    fill(table, 2, texts, [CENTER] * (len(columns) - 1) + [LEFT], TABLE_SIZE)
    write(table.cell(3, 0), "{%tr endfor %}", TABLE_SIZE, LEFT)
    last = len(columns) - 1
    write(merge(table, columns, 4, 0, 4, first + 4), "总分{% keepnext if 用语.评分等级行 %}",
          TABLE_SIZE)  # fmt: skip
    write(table.cell(4, first + 5), f"{{{{ 分值合计|{score} }}}}", TABLE_SIZE)
    write(table.cell(4, first + 6), f"{{{{ 总分|{score} }}}}", TABLE_SIZE)
    write(table.cell(5, 0), "{%tr if 用语.评分等级行 %}", TABLE_SIZE, LEFT)
    write(merge(table, columns, 6, 0, 6, first + 1), "评分等级", TABLE_SIZE)
    write(merge(table, columns, 6, first + 2, 6, last), "{{ 评分等级 }}", TABLE_SIZE)
    write(table.cell(7, 0), "{%tr endif %}", TABLE_SIZE, LEFT)
    return table


def build(path: Path, edition: Edition = EDITION_2023) -> None:
    """Write the 财政项目支出绩效自评表 template of *edition* to *path*."""
    doc = new_document(BODY_FONT, Pt(10.5), margins_cm=2.2)
    add_text(doc, "财政项目支出绩效自评表", size=Pt(16), font=TITLE_FONT, align=CENTER,
             space_after=Pt(6))  # fmt: skip
    add_text(doc, "（{{ 年度 }}年度）", size=Pt(12), align=CENTER, space_after=Pt(8))
    build_top(doc, edition)
    add_spacer(doc)
    build_indicators(doc, edition)
    end_body(doc)
    save_clean(doc, path)


def build_2022(path: Path) -> None:
    """Write the 2022 edition of the 自评表 template to *path*."""
    build(path, EDITION_2022)
