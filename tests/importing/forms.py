"""Build 自评表 as other producers do, with python-docx directly: the official layouts.

A layout is a grid of strings: ``"<"`` continues the cell on its left (a horizontal merge),
``"^"`` the cell above (a vertical merge).  ``Style`` says how a producer writes them: as
real merges (``gridSpan`` / ``vMerge``), as repeated text, or left blank.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from docgen.model.project import Project


@dataclass(frozen=True)
class Style:
    """How one producer writes a form."""

    edition: int = 2024
    """2022: 元, a 绩效指标 label column, 分值, no 评分等级; 2023/2024: 分数, 评分等级."""
    merges: str = "merge"
    """merge (gridSpan/vMerge), repeat (the text in every cell) or blank (vertical only)."""
    broken_labels: bool = False
    """Labels broken across lines: 一级\\n指标, 年度\\n总体\\n目标."""
    half_width: bool = False
    """Half-width colons and brackets: 项目资金(万元), 其中:当年财政拨款."""
    empty: str = "-"
    """What an empty fund cell holds: "-", "—" or ""."""
    thousands: bool = False
    """Amounts with thousands separators: 4,240,000.00."""
    title_in_table: bool = False
    """The title and （2024年度） as the table's first rows, not paragraphs above it."""
    split_at: int | None = None
    """Split the form into two tables before this indicator row (a page break)."""
    runs: bool = False
    """Every character of the texts in a run of its own."""
    content_controls: bool = False
    """The values inside content controls (w:sdt), which cell.text does not see."""
    irregular: bool = False
    """Rows that do not share column boundaries: 实施单位 starts half a column early."""


def _amount(value: Decimal, style: Style) -> str:
    return f"{value:,.2f}" if style.thousands else f"{value:.2f}"


def layout(project: Project, style: Style) -> list[list[str]]:
    """Return the grid of one form in the official layout of *style*'s edition."""
    old = style.edition == 2022
    colon, open_, close = (":", "(", ")") if style.half_width else ("：", "（", "）")
    br = "\n" if style.broken_labels else ""
    width = 9 if old else 8
    unit = project.amount_unit
    funds = project.funds
    lines = [funds.current, funds.carryover, funds.other]
    total = [
        sum((getattr(line, k) for line in lines), Decimal(0))
        for k in ("initial", "budget", "executed")
    ]
    rows: list[list[str]] = []
    if style.title_in_table:
        rows += [["财政项目支出绩效自评表"] + ["<"] * (width - 1)]
        rows += [[f"{open_}{project.year}年度{close}"] + ["<"] * (width - 1)]
    rows.append(["项目名称", "<", project.name] + ["<"] * (width - 3))
    half = (width - 4) // 2
    rows.append(["主管部门", "<", project.department] + ["<"] * (half - 1)
                + ["实施单位", project.implementing_unit] + ["<"] * (width - 4 - half))  # fmt: skip
    weight_label = "分值" if old else "分数"
    head = [f"项目资金{br}{open_}{unit}{close}", "", "年初预算数", "全年预算数", "全年执行数",
            weight_label, "执行率(%)", "得分"]  # fmt: skip
    rows.append(head + [""] * (width - 8))
    rate, score = funds.stated_rate, funds.stated_score
    rows.append(["^", f"年度资金总额{colon}", *(_amount(v, style) for v in total),
                 f"{funds.weight:.2f}", f"{rate:.2f}", f"{score:.2f}"] + [""] * (width - 8))  # fmt: skip
    for label, line in zip(
        (f"其中{colon}当年财政拨款", "上年结转资金", "其他资金"), lines, strict=True
    ):
        amounts = [_amount(line.initial, style), _amount(line.budget, style)]
        executed = (
            _amount(line.executed, style) if line.executed or line is funds.current else style.empty
        )
        rows.append(
            ["^", label, *amounts, executed, style.empty, "", style.empty] + [""] * (width - 8)
        )
    goal_label = f"年度{br}总体{br}目标"
    left = (width - 1) // 2
    rows.append(
        [goal_label, "预期目标"]
        + ["<"] * (left - 1)
        + ["实际完成情况"]
        + ["<"] * (width - 2 - left)
    )
    rows.append(["^", project.goals.expected] + ["<"] * (left - 1) + [project.goals.actual]
                + ["<"] * (width - 2 - left))  # fmt: skip
    labels = [f"一级{br}指标", f"二级{br}指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
              "偏差原因分析及改进措施"]  # fmt: skip
    rows.append((["绩效指标"] if old else []) + labels)
    previous = ("", "")
    for indicator in project.indicators:
        level1 = indicator.level1 if indicator.level1 != previous[0] else "^"
        level2 = indicator.level2 if (indicator.level1, indicator.level2) != previous else "^"
        previous = (indicator.level1, indicator.level2)
        score = indicator.score if indicator.score is not None else indicator.weight
        rows.append((["^"] if old else []) + [
            level1, level2, indicator.name, indicator.target, indicator.actual,
            f"{indicator.weight:.2f}", f"{score:.2f}", indicator.deviation])  # fmt: skip
    total_weight = sum((i.weight for i in project.indicators), funds.weight)
    rows.append(
        ["总分"] + ["<"] * (width - 4) + [f"{total_weight:.2f}", f"{project.stated_total:.2f}", ""]
    )
    if not old:
        rows.append(["评分等级", "<", project.stated_grade or ""] + ["<"] * (width - 3))
    return _irregular(rows) if style.irregular else rows


def _irregular(rows: list[list[str]]) -> list[list[str]]:
    """Return *rows* on a grid twice as fine, with 实施单位 moved half a column left."""
    doubled = [[part for text in row for part in (text, "<")] for row in rows]
    for row in doubled:
        if "实施单位" in row:
            i = row.index("实施单位")
            row[i - 1], row[i] = "实施单位", "<"
    return doubled


def _fill(cell: Any, text: str, style: Style) -> None:
    paragraphs = text.split("\n") if text else [""]
    cell.text = ""
    for i, paragraph_text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        pieces = list(paragraph_text) if style.runs else [paragraph_text]
        for piece in pieces:
            paragraph.add_run(piece)
        if style.content_controls and paragraph_text:
            _wrap_in_sdt(paragraph)


def _wrap_in_sdt(paragraph: Any) -> None:
    """Move the paragraph's runs into an inline content control (w:sdt / w:sdtContent)."""
    p = paragraph._p
    sdt = p.makeelement(qn("w:sdt"), {})
    sdt.append(p.makeelement(qn("w:sdtPr"), {}))
    content = p.makeelement(qn("w:sdtContent"), {})
    for run in list(p.findall(qn("w:r"))):
        content.append(run)
    sdt.append(content)
    p.append(sdt)


def add_table(document: Any, grid: list[list[str]], style: Style) -> None:
    """Add *grid* to *document* as one table, merged as *style* says."""
    width = max(len(row) for row in grid)
    table = document.add_table(rows=len(grid), cols=width)
    table.style = "Table Grid"
    resolved = copy.deepcopy(grid)
    for r, row in enumerate(resolved):
        for c, text in enumerate(row):
            if text == "<":
                row[c] = row[c - 1] if style.merges == "repeat" else "<"
            elif text == "^":
                row[c] = (
                    resolved[r - 1][c]
                    if style.merges == "repeat"
                    else ("^" if style.merges == "merge" else "")
                )
    for r, row in enumerate(resolved):
        for c, text in enumerate(row):
            if text in ("<", "^"):
                continue
            _fill(table.cell(r, c), text, style)
    if style.merges != "merge":
        return
    for r, row in enumerate(resolved):
        for c, text in enumerate(row):
            if text == "<":
                start = c - 1
                while resolved[r][start] == "<":
                    start -= 1
                table.cell(r, start).merge(table.cell(r, c))
    for r, row in enumerate(resolved):
        for c, text in enumerate(row):
            if text == "^":
                top = r - 1
                while resolved[top][c] == "^":
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))


def _without_first_column(row: list[str]) -> list[str]:
    """Return a 2022 row as the official continuation table prints it: no 绩效指标 column."""
    return row[1:] if row[0] == "^" else [row[0], *row[2:]]


def build(projects: list[Project], style: Style, path: Path) -> Path:
    """Write a .docx holding each project's form, one after another; return *path*."""
    document = docx.Document()
    for project in projects:
        grid = layout(project, style)
        if not style.title_in_table:
            document.add_paragraph("财政项目支出绩效自评表")
            document.add_paragraph(
                f"（{project.year}年度）" if not style.half_width else f"({project.year} 年度)"
            )
        if style.split_at is None:
            add_table(document, grid, style)
        else:
            cut = next(i for i, row in enumerate(grid) if "三级指标" in row) + 1 + style.split_at
            add_table(document, grid[:cut], style)
            document.add_paragraph("")
            rest = [
                _without_first_column(row) if style.edition == 2022 else row for row in grid[cut:]
            ]
            rest = [["" if t == "^" and r == 0 else t for t in row] for r, row in enumerate(rest)]
            add_table(document, rest, style)
        document.add_page_break()
    document.save(path)
    return path
