"""The batch's summary workbook 汇总.xlsx: one row per project, totals, the failures.

Its headers look like the data-entry workbook's (``docgen.excel.styles``). A batch's report is
read through ``SummaryReport``, the little of it that the summary shows, so that this layer
does not depend on the batch; ``docgen.batch_report.write_summary`` writes the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.utils import get_column_letter

from docgen.excel.save import workbook_bytes
from docgen.excel.styles import (
    AMOUNT_FORMAT,
    BORDER,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER_FORMAT,
    SCORE_FORMAT,
)

SUMMARY = "汇总.xlsx"
"""The summary's file name in a batch's output folder."""
WAN = Decimal(10000)

# (header, width, number format) per column; amounts are shown in 万元 for every project.
COLUMNS: tuple[tuple[str, int, str | None], ...] = (
    ("序号", 6, INTEGER_FORMAT),
    ("项目名称", 36, None),
    ("年度", 7, INTEGER_FORMAT),
    ("主管部门", 24, None),
    ("实施单位", 24, None),
    ("年初预算数（万元）", 14, AMOUNT_FORMAT),
    ("全年预算数（万元）", 14, AMOUNT_FORMAT),
    ("全年执行数（万元）", 14, AMOUNT_FORMAT),
    ("执行率（%）", 10, SCORE_FORMAT),
    ("资金得分", 9, SCORE_FORMAT),
    ("总分", 9, SCORE_FORMAT),
    ("评分等级", 9, None),
    ("评分规则", 18, None),
    ("警告数", 8, INTEGER_FORMAT),
    ("状态", 8, None),
    ("输出文件", 60, None),
    ("数据文件", 40, None),
)
_WRAPPED = {
    i for i, (header, _, _) in enumerate(COLUMNS, start=1) if header in ("项目名称", "输出文件")
}
STATUS = {"written": "已生成", "skipped": "未变更", "failed": "失败"}


class SummaryResult(Protocol):
    """What the summary shows of one project's outcome (``docgen.batch.ProjectResult``)."""

    @property
    def file(self) -> str: ...
    @property
    def project(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def outputs(self) -> tuple[str, ...]: ...
    @property
    def errors(self) -> tuple[str, ...]: ...
    @property
    def warnings(self) -> tuple[str, ...]: ...
    @property
    def summary(self) -> dict[str, Any]: ...


class SummaryReport(Protocol):
    """What the summary shows of a batch (``docgen.batch.BatchReport``)."""

    @property
    def results(self) -> Sequence[SummaryResult]: ...
    @property
    def failures(self) -> Sequence[SummaryResult]: ...


def _in_wan(result: SummaryResult, key: str) -> Decimal:
    value = Decimal(result.summary[key])
    return value / WAN if result.summary["金额单位"] == "元" else value


def _row(number: int, result: SummaryResult) -> list[object]:
    s = result.summary
    figures: list[object] = [None] * 8
    if s:
        figures = [
            float(_in_wan(result, "年初预算数")),
            float(_in_wan(result, "全年预算数")),
            float(_in_wan(result, "全年执行数")),
            float(Decimal(s["执行率"])),
            float(Decimal(s["资金得分"])),
            float(Decimal(s["总分"])),
            s["评分等级"],
            s.get("评分规则") or "无",
        ]
    return [
        number,
        s.get("项目名称", result.project),
        s.get("年度"),
        s.get("主管部门"),
        s.get("实施单位"),
        *figures,
        len(result.warnings),
        STATUS[result.status],
        "\n".join(result.outputs),
        result.file,
    ]


def _cells(row: list[object]) -> list[object]:
    """Return *row* with the characters that .xlsx cannot hold (controls) shown as U+FFFD.

    A file name can hold any of them; openpyxl refuses them rather than write a broken book.
    """
    return [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in row]


def build_summary(report: SummaryReport) -> bytes:
    """Return the summary workbook of *report* as deterministic .xlsx bytes.

    openpyxl lays out the book (headers, styles, the totals row, the failures sheet) around
    one empty, styled project row; the projects' rows are then written straight into the
    sheet's XML in openpyxl's own form (``_ProjectRows``): with a row per project, building
    a cell object for each was most of a batch's last seconds and of its memory.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([header for header, _, _ in COLUMNS])
    projects = [r for r in report.results if r.summary or r.status == "failed"]
    rows = _ProjectRows(projects)
    total_row = len(projects) + 2
    done = [r for r in projects if r.summary]
    budget = sum((_in_wan(r, "全年预算数") for r in done), Decimal(0))
    executed = sum((_in_wan(r, "全年执行数") for r in done), Decimal(0))
    rate = (executed / budget * 100).quantize(Decimal("0.01"), ROUND_DOWN) if budget else None
    average = (
        sum((Decimal(r.summary["总分"]) for r in done), Decimal(0)) / len(done) if done else None
    )
    totals = [
        "合计",
        f"{len(done)} 个项目",
        None,
        None,
        None,
        float(sum((_in_wan(r, "年初预算数") for r in done), Decimal(0))),
        float(budget),
        float(executed),
        float(rate) if rate is not None else None,
        None,
        float(average) if average is not None else None,
        "（平均）" if average is not None else None,
        None,
        sum(len(r.warnings) for r in projects),
        f"{len(report.failures)} 失败",
        None,
        None,
    ]
    for place, value in enumerate(totals, start=1):
        sheet.cell(row=total_row, column=place, value=value)
    styled = [total_row] if not projects else [rows.PROTOTYPE, total_row]
    _format(sheet, styled, _named_styles(book))
    failures = book.create_sheet("失败")
    failures.append(["数据文件", "项目", "错误"])
    for result in report.failures:
        failures.append(_cells([result.file, result.project, "\n".join(result.errors)]))
    for letter, width in zip("ABC", (40, 30, 100), strict=True):
        failures.column_dimensions[letter].width = width
    failures.freeze_panes = "A2"
    for cell in failures[1]:
        cell.font = HEADER_FONT
    return workbook_bytes(
        book, edits={"xl/worksheets/sheet1.xml": rows.splice} if projects else None
    )


class _ProjectRows:
    """The projects' rows of the 汇总 sheet, written as openpyxl writes a row.

    ``splice`` replaces the empty prototype row openpyxl saved (row 2, each cell with its
    column's style) by every project's row, numbered from 2, with the prototype's styles.
    """

    PROTOTYPE = 2

    def __init__(self, projects: Sequence[SummaryResult]) -> None:
        self.projects = projects

    def splice(self, sheet: bytes) -> Iterator[bytes]:
        """Yield the sheet's XML in pieces, the prototype row replaced by the projects' rows
        (a piece per hundred rows: the whole sheet is never held in memory)."""
        start = sheet.index(b'<row r="2"')
        end = sheet.index(b"</row>", start) + len(b"</row>")
        styles = re.findall(rb'<c r="[A-Z]+2" s="(\d+)"', sheet[start:end])
        assert len(styles) == len(COLUMNS), styles  # each column's style, from _format
        letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
        heads = [
            f'<c r="{letter}{{row}}" s="{s.decode()}"'
            for letter, s in zip(letters, styles, strict=True)
        ]
        yield sheet[:start]
        rows: list[str] = []
        for number, result in enumerate(self.projects, start=1):
            row = number + 1
            cells = "".join(
                head.format(row=row) + _cell_body(value)
                for head, value in zip(heads, _cells(_row(number, result)), strict=True)
            )
            rows.append(f'<row r="{row}">{cells}</row>')
            if len(rows) == 100:
                yield "".join(rows).encode("ascii", "xmlcharrefreplace")
                rows.clear()
        yield "".join(rows).encode("ascii", "xmlcharrefreplace")
        yield sheet[end:]


def _cell_body(value: object) -> str:
    """Return the rest of a cell after its reference and style, as openpyxl (lxml) writes it."""
    if value is None:
        return ' t="n"></c>'
    if value == "":
        return ' t="inlineStr"></c>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f' t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>'
    assert isinstance(value, int | float) and not isinstance(value, bool), value  # _row's
    number = "" if math.isnan(value) or math.isinf(value) else f"{value:.16g}"
    return f' t="n"><v>{number}</v></c>'


def _xml_text(text: str) -> str:
    """Return *text* escaped as lxml escapes an element's text."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _named_styles(book: Workbook) -> list[str]:
    """Register one named cell style per kind of column; return each column's style name.

    A named style is set on a cell in one step (its whole style copied), where setting the
    number format, border and alignment one by one costs openpyxl a lookup each: with a
    row per project, the difference is most of the summary's time.
    """
    names: list[str] = []
    registered: set[str] = set()
    for index, (_, _, number_format) in enumerate(COLUMNS, start=1):
        wrapped = index in _WRAPPED
        name = f"汇总 {_STYLE_WORDS.get(number_format, '文字')}{'（换行）' if wrapped else ''}"
        if name not in registered:
            book.add_named_style(
                NamedStyle(
                    name,
                    border=BORDER,
                    alignment=Alignment(vertical="center", wrap_text=wrapped),
                    number_format=number_format or "General",
                )
            )
            registered.add(name)
        names.append(name)
    return names


_STYLE_WORDS: dict[str | None, str] = {
    INTEGER_FORMAT: "整数",
    AMOUNT_FORMAT: "金额",
    SCORE_FORMAT: "分数",
}


def _format(sheet: Any, rows: list[int], styles: list[str]) -> None:
    """Style the header, the given rows (the prototype project row, the totals: the last)."""
    ws = sheet  # openpyxl worksheet
    total_row = rows[-1]
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for number in rows:
        for column, style in enumerate(styles, start=1):
            ws.cell(row=number, column=column).style = style
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT
    for cell in ws[total_row]:
        cell.font = HEADER_FONT
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(total_row - 1, 1)}"
