"""Write the 填写说明 sheet: how to fill in the workbook, and what every column holds.

The sheet keeps its name (the reader knows it by it) and the headers and choices stay the
form's labels, but the instructions are in the language of the run: Chinese by default.
"""

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
from docgen.i18n import N_, _

GUIDE_INTRO = (
    N_(
        "docgen reads and writes this workbook: each project takes one "
        "row of the 项目 sheet; each 三级指标 takes one row of the 绩效指标 "
        "sheet, matched to its project by 项目名称 (and 年度 when two "
        "projects share a name)."
    ),
    N_(
        "The first row holds the column headers: do not rename them or "
        "insert rows above them; a column you do not need can stay "
        "empty or be deleted. Red headers must be filled in."
    ),
    N_(
        "An empty cell means not given: an optional item takes its "
        "default (上年结转资金 is 0, 得分 is full marks). To give an empty "
        'text, type ="" .'
    ),
    N_(
        "Numbers are read exactly as the cell holds them (162.30 is "
        "162.30): type the number alone, without a unit or %."
    ),
    N_(
        "Text columns are formatted as text, so targets such as "
        "=100.00(%) or ≥95(%) can be typed as they are. A line break in"
        " a cell (Alt+Enter) starts a new paragraph."
    ),
    N_(
        "Fill in the 资金安排 and 资金使用情况 sheets only when the 自评价报告 needs "
        "the breakdown; otherwise leave them empty."
    ),
    N_(
        "Check: docgen check this-file.xlsx   Render: docgen render "
        "this-file.xlsx -o out/   Problems name the sheet and the cell,"
        " such as 绩效指标!I14."
    ),
)
GUIDE_HEADERS = (
    (N_("Sheet"), 14),
    (N_("Column"), 6),
    (N_("Header"), 28),
    (N_("Required"), 8),
    (N_("Format"), 22),
    (N_("What to fill in"), 90),
)


def write_guide(ws: Any) -> None:
    """Fill *ws* with the instructions and one described row per column of every sheet."""
    ws.cell(row=1, column=1, value=_("How to fill in this workbook")).font = Font(
        bold=True, size=14
    )
    for r, text in enumerate(GUIDE_INTRO, start=2):
        ws.cell(row=r, column=1, value=_(text))
    top = len(GUIDE_INTRO) + 3
    for number, (header, width) in enumerate(GUIDE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
        cell = ws.cell(row=top, column=number, value=_(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT
    r = top + 1
    for sheet in DATA_SHEETS:
        for number, column in enumerate(sheet.columns, start=1):
            format_word = _(FORMAT_WORDS[column.kind])
            if column.choices:
                format_word = _("{kind}: {choices}").format(
                    kind=format_word, choices=_(", ").join(column.choices)
                )
            values = (
                sheet.name,
                get_column_letter(number),
                column.header,
                _("Required") if column.required else _("Optional"),
                format_word,
                (sheet.describe() + " " if number == 1 else "") + column.describe(),
            )
            for position, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=position, value=value)
                cell.alignment = TEXT_ALIGNMENT
                cell.border = BORDER
                cell.data_type = "s"
            lines = max(
                text_lines(value, width)
                for value, (_header, width) in zip(values, GUIDE_HEADERS, strict=True)
            )
            ws.row_dimensions[r].height = lines * LINE_HEIGHT
            r += 1
    ws.freeze_panes = f"A{top + 1}"
