"""Write the 填写说明 sheet: how to fill in the workbook, and what every column holds."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from docgen.excel.layout import DATA_SHEETS
from docgen.excel.styles import (
    BORDER,
    FORMAT_WORDS,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LINE_HEIGHT,
    TEXT_ALIGNMENT,
    text_lines,
)

GUIDE_INTRO = (
    "本工作簿供 docgen 读取和生成：每个项目在「项目」表占一行；每个三级指标在「绩效指标」表占一行，"
    "用「项目名称」（两个项目同名时再加「年度」）对应到项目。",
    "第一行是列标题，请勿改名，也不要在标题上方插入行；用不到的列可以留空或整列删除。"
    "红色标题为必填项。",
    "空单元格表示不填：可选项按默认处理（如 上年结转资金 为 0，得分 为满分）。"
    '要填写“空文字”，请输入 ="" 。',
    "数字按单元格中的数值精确读取（162.30 即 162.30）：请直接输入数字，不要带单位或 %。",
    "文字列已设为文本格式，=100.00(%)、≥95(%) 这样的指标值可以直接输入。"
    "单元格内换行（Alt+Enter）表示分段。",
    "「资金安排」和「资金使用情况」两表只在自评价报告需要细分时填写，平时留空即可。",
    "检查：docgen check 本文件.xlsx　生成：docgen render 本文件.xlsx -o out/　"
    "问题会指明工作表和单元格，如 绩效指标!I14。",
)
GUIDE_HEADERS = (("工作表", 14), ("列", 6), ("标题", 28), ("必填", 8), ("格式", 22), ("说明", 90))


def write_guide(ws: Any) -> None:
    """Fill *ws* with the instructions and one described row per column of every sheet."""
    ws.cell(row=1, column=1, value="填写说明").font = Font(bold=True, size=14)
    for r, text in enumerate(GUIDE_INTRO, start=2):
        ws.cell(row=r, column=1, value=text)
    top = len(GUIDE_INTRO) + 3
    for number, (header, width) in enumerate(GUIDE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
        cell = ws.cell(row=top, column=number, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT
    r = top + 1
    for sheet in DATA_SHEETS:
        for number, column in enumerate(sheet.columns, start=1):
            format_word = FORMAT_WORDS[column.kind]
            if column.choices:
                format_word += "：" + "、".join(column.choices)
            values = (
                sheet.name,
                get_column_letter(number),
                column.header,
                "必填" if column.required else "可选",
                format_word,
                (sheet.note + " " if number == 1 else "") + column.note,
            )
            for position, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=position, value=value)
                cell.alignment = TEXT_ALIGNMENT
                cell.border = BORDER
                cell.data_type = "s"
            lines = max(
                text_lines(value, width)
                for value, (_, width) in zip(values, GUIDE_HEADERS, strict=True)
            )
            ws.row_dimensions[r].height = lines * LINE_HEIGHT
            r += 1
    ws.freeze_panes = f"A{top + 1}"
