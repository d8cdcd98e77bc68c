"""The 自评表 of every example, rendered and read back cell by cell."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from docgen.model.project import Form
from docgen.pipeline import CheckedProject
from docgen.render.documents import KINDS, render_document
from docgen.render.filters import money, percent, plain, score
from tests.conftest import MINIMAL, SHARED, checked, example_projects
from tests.render.docx_reading import grid, merged_column, open_docx

EXAMPLES = example_projects()
IDS = [f"{i:02d}-{p.label}" for i, p in enumerate(EXAMPLES)]
TABLE = KINDS["table"]


def render(item: CheckedProject) -> bytes:
    assert item.project is not None and item.evaluation is not None, item.findings
    return render_document(TABLE, item.project, item.evaluation)


def edition(item: CheckedProject) -> Form:
    assert item.project is not None
    return item.project.edition


@pytest.mark.parametrize("item", EXAMPLES, ids=IDS)
def test_example_reads_back_cell_by_cell(item: CheckedProject) -> None:
    project, ev = item.project, item.evaluation
    assert project is not None and ev is not None
    old = edition(item) is Form.F2022  # seed 000 (2022); the others are the 2023/2024 form
    points = plain if old else score
    doc = open_docx(render(item))
    title, year = (p.text for p in doc.paragraphs[:2])
    assert (title, year) == ("财政项目支出绩效自评表", f"（{project.year}年度）")

    top, indicators = (grid(t) for t in doc.tables)
    assert [c.text for c in top[0]] == ["项目名称", project.name]
    assert [c.text for c in top[1]] == [
        "主管部门",
        project.department,
        "实施单位",
        project.implementing_unit,
    ]
    assert top[2][0].text in (
        f"项目资金\n（{project.amount_unit}）",
        f"项目资金（{project.amount_unit}）",
    )
    assert [c.text for c in top[2][2:]] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值" if old else "分数",
        "执行率" if old else "执行率(%)",
        "得分",
    ]
    total = ev.total
    assert [c.text for c in top[3][1:]] == [
        "年度资金总额：",
        money(total.initial),
        money(total.budget),
        money(total.executed),
        points(project.funds.weight),
        percent(ev.rate) if old else score(ev.rate),
        points(ev.funds_score),
    ]
    current = project.funds.current
    assert [c.text for c in top[4][1:]] == [
        "其中：当年财政拨款",
        money(current.initial),
        money(current.budget),
        money(current.executed),
        "—" if old else "-",
        "" if old else score(ev.source_rates[0]),
        "" if old else "-",
    ]
    assert [c.text for c in top[8][1:]] == [project.goals.expected, project.goals.actual]

    if old:
        header, *rows, total_row = indicators
    else:
        header, *rows, total_row, grade_row = indicators
        assert [c.text for c in grade_row] == [
            "评分等级",
            {90: "优", 80: "良", 60: "中", 0: "差"}[int(ev.grade.value)],
        ]
    label = ["绩效指标"] if old else []
    assert [c.text for c in header] == [*label, "一级指标", "二级指标", "三级指标", "年度指标值",
                                        "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]  # fmt: skip
    assert len(rows) == len(project.indicators)
    first = len(label) + 2  # the grid column of 三级指标
    for row, indicator, got in zip(rows, project.indicators, ev.indicator_scores, strict=True):
        assert [c.text for c in row[first:]] == [
            indicator.name,
            indicator.target,
            indicator.actual,
            points(indicator.weight),
            points(got),
            indicator.deviation,
        ]
    assert [c.text for c in total_row] == ["总分", points(100), points(ev.total_score), ""]


def test_the_2022_form_prints_seed_000_as_printed() -> None:
    """Seed 000: 分值 10, 执行率 100.00%, 得分 10; scores 15 … 4.5; 总分 100 and 99.5; 9 columns."""
    (item,) = [p for p in EXAMPLES if p.label == "闵行区“一站式”医疗救助系统(2022运维)"]
    top, indicators = (grid(t) for t in open_docx(render(item)).tables)
    assert [c.text for c in top[3][5:]] == ["10", "100.00%", "10"]
    assert [c.text for c in top[5][5:]] == ["—", "", ""]
    header, *rows, total_row = indicators
    assert len(header) == 9 and all(c.span == 1 for c in header)
    assert [row[0].vmerge for row in rows] == ["restart"] + ["continue"] * (len(rows) - 1)
    assert [(row[3].text, row[6].text, row[7].text) for row in rows][-2:] == [
        ("运维机制建立情况", "5", "4.5"),
        ("系统使用人员满意度", "10", "10"),
    ]
    assert [c.text for c in total_row] == ["总分", "100", "99.5", ""]
    assert [c.span for c in total_row] == [6, 1, 1, 1]
    assert not any("评分等级" in c.text for row in indicators for c in row)


def test_the_2023_form_prints_seed_002_as_printed() -> None:
    """Seed 002 信息化运维项目: 分数 10.00, 49.78, 4.98; the source rows print - under 分数, 得分."""
    (item,) = [p for p in EXAMPLES if p.project and p.project.name == "信息化运维项目"]
    top, indicators = (grid(t) for t in open_docx(render(item)).tables)
    assert [c.text for c in top[2][5:]] == ["分数", "执行率(%)", "得分"]
    assert [c.text for c in top[3][5:]] == ["10.00", "49.78", "4.98"]
    assert [[c.text for c in top[r][5:]] for r in (4, 5, 6)] == [
        ["-", "49.78", "-"],
        ["-", "0.00", "-"],
        ["-", "0.00", "-"],
    ]
    assert len(indicators[0]) == 8
    assert [c.text for c in indicators[-2]] == ["总分", "100.00", "94.98", ""]
    assert [c.text for c in indicators[-1]] == ["评分等级", "优"]


@pytest.mark.parametrize(("form", "columns"), [(None, 8), ("2022", 9), ("2023", 8)])
def test_the_edition_follows_the_files_own_form(form: str | None, columns: int) -> None:
    """A 2024 project prints on the 2023 form unless its 表样 names the 2022 one."""
    text = MINIMAL if form is None else MINIMAL.replace("年度: 2024", f"年度: 2024\n表样: {form}")
    item = checked(text)
    indicators = grid(open_docx(render(item)).tables[1])
    assert len(indicators[0]) == columns
    assert any(c.text == "评分等级" for c in indicators[-1]) == (columns == 8)


@pytest.mark.parametrize("item", EXAMPLES, ids=IDS)
def test_group_cells_merge_exactly_within_their_group(item: CheckedProject) -> None:
    project = item.project
    assert project is not None
    _, *rows, _ = grid(open_docx(render(item)).tables[1])
    if edition(item) is Form.F2023:
        rows = rows[:-1]  # 评分等级
    first = 1 if edition(item) is Form.F2022 else 0
    level1 = [(k, len(list(g))) for k, g in itertools.groupby(r.level1 for r in project.indicators)]
    level2 = [
        (k[1], len(list(g)))
        for k, g in itertools.groupby((r.level1, r.level2) for r in project.indicators)
    ]
    assert merged_column(rows, first) == level1
    assert merged_column(rows, first + 1) == level2


def test_short_rows_never_split_long_goal_rows_may_and_the_last_rows_keep_with_总分() -> None:
    doc = open_docx(render(checked()))
    top, indicators = doc.tables
    splittable = [
        i for i, row in enumerate(top.rows) if row._tr.trPr.find(qn("w:cantSplit")) is None
    ]
    assert splittable == [8]  # the 预期目标 / 实际完成情况 text row

    def keeps(row: object) -> bool:
        paragraphs = [p for tc in row._tr.tc_lst for p in tc.findall(qn("w:p"))]  # type: ignore[attr-defined]
        flags = {p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs}
        assert len(flags) == 1, "every paragraph of a row keeps with the next, or none"
        return flags.pop()

    # MINIMAL: header, 产出指标 row, 效益指标 row (the last group), 总分, 评分等级.
    assert [keeps(row) for row in indicators.rows] == [True, False, True, True, False]


@pytest.mark.parametrize(
    ("last_group", "kept"),
    [(1, [0, 18, 19]), (4, [0, 15, 16, 17, 18, 19]), (6, [0, 13, 14, 15, 16, 17, 18, 19]),
     (7, [0, 17, 18, 19])],
)  # fmt: skip
def test_the_last_group_keeps_with_总分_from_its_first_row(
    last_group: int, kept: list[int]
) -> None:
    """Seed 002 信息化运维项目 (18 rows) with its last *last_group* rows in one 一级指标 group.

    Rows: header 0, indicators 1–18, 总分 19, 评分等级 20.  LibreOffice moves a chain of kept
    rows only when it starts where a merge starts, so the whole last group keeps with 总分; a
    group of more than 6 rows keeps only its last two.
    """
    (item,) = [p for p in EXAMPLES if p.project and p.project.name == "信息化运维项目"]
    assert item.project is not None and item.evaluation is not None
    rows = [*item.project.indicators]
    for i in range(len(rows) - last_group, len(rows)):
        rows[i] = rows[i].model_copy(
            update={"level1": "满意度指标", "level2": "服务对象满意度指标"}
        )
    project = item.project.model_copy(update={"indicators": rows})
    table = open_docx(render_document(TABLE, project, item.evaluation)).tables[1]
    found = [
        i for i, row in enumerate(table.rows) if row._tr.xpath("./w:tc[1]/w:p[1]/w:pPr/w:keepNext")
    ]
    assert found == kept


def test_equal_names_in_different_groups_stay_apart() -> None:
    text = MINIMAL.replace("二级指标: 社会效益指标", "二级指标: 数量指标")
    _, *rows, _, _ = grid(open_docx(render(checked(text))).tables[1])  # header, 总分, 评分等级
    assert merged_column(rows, 0) == [("产出指标", 1), ("效益指标", 1)]
    assert merged_column(rows, 1) == [("数量指标", 1), ("数量指标", 1)]
    assert all(c.vmerge != "continue" for row in rows for c in row)


def test_text_is_escaped_never_evaluated_and_html_becomes_paragraphs() -> None:
    text = MINIMAL.replace(
        "预期目标: 保障系统正常运行。", "预期目标: '<p>R&amp;D 第一段</p><p>第二段<br>换行</p>'"
    ).replace(
        "实际完成情况: 系统运行正常。", "实际完成情况: 'a < b & \"c\" > {{ 7*7 }} {% if x %}'"
    )
    doc = open_docx(render(checked(text)))
    goals = doc.tables[0].rows[8].cells
    expected = goals[1].paragraphs
    assert [p.text for p in expected] == ["R&D 第一段", "第二段\n换行"]
    assert goals[4].text == 'a < b & "c" > {{ 7*7 }} {% if x %}'


def test_layout_is_a4_portrait_with_repeating_indicator_header() -> None:
    doc = open_docx(render(checked()))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    header = doc.tables[1].rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_rendering_is_deterministic() -> None:
    item = checked()
    assert render(item) == render(item)


def test_every_example_passes_the_ooxml_schemas(tmp_path: Path) -> None:
    validator = SHARED / "tools" / "ooxml_validate.py"
    if not validator.exists():
        pytest.skip("../shared/tools/ooxml_validate.py is absent: schema check not possible here")
    files = []
    for i, item in enumerate(EXAMPLES):
        path = tmp_path / f"{i:02d}.docx"
        path.write_bytes(render(item))
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, str(validator), *files], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(files)} valid, 0 invalid" in result.stdout
