"""The 自评价报告 of every example, read back: headings by style, tables cell by cell, lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from docgen.pipeline import CheckedProject
from docgen.render.documents import KINDS, render_document
from docgen.render.filters import general
from tests.commands import run_docgen
from tests.conftest import DATA, MINIMAL, checked, example_projects
from tests.render.docx_reading import grid, merged_column, open_docx

EXAMPLES = example_projects()
IDS = [f"{i:02d}-{p.label}" for i, p in enumerate(EXAMPLES)]
REPORT = KINDS["report"]

# The heading tree of seed 004 (its outline), as Word's navigation pane shows it.
OUTLINE = [
    ("Title", "财政项目支出绩效自评价报告"),
    ("Heading 1", "一、项目的基本情况"),
    ("Heading 2", "（一）项目概况"),
    ("Heading 2", "（二）资金安排和使用情况"),
    ("Heading 2", "（三）项目绩效目标"),
    ("Heading 2", "（四）项目实施计划"),
    ("Heading 1", "二、项目绩效情况分析"),
    ("Heading 2", "（一）绩效目标完成的指标"),
    ("Heading 2", "（二）没有完成绩效目标的指标"),
    ("Heading 2", "（三）未完成绩效目标指标原因解释"),
    ("Heading 1", "三、改进建议"),
    ("Heading 2", "（一）对项目管理及实施的建议"),
    ("Heading 2", "（二）对完善制度保障的建议"),
    ("Heading 2", "（三）对以后年度项目预算安排的建议"),
    ("Heading 2", "（四）备注"),
    ("Heading 1", "附表1.自评价评分附件表"),
]


def render(item: CheckedProject) -> bytes:
    assert item.project is not None and item.evaluation is not None, item.findings
    return render_document(REPORT, item.project, item.evaluation)


def outline(doc: object) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in doc.paragraphs  # type: ignore[attr-defined]
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]


def after(doc: object, heading: str) -> str:
    """Return the text of the body paragraphs that follow *heading*, up to the next heading."""
    texts: list[str] = []
    seen = False
    for p in doc.paragraphs:  # type: ignore[attr-defined]
        if p.style.name.startswith("Heading"):
            if seen:
                break
            seen = p.text == heading
        elif seen and p.text:
            texts.append(p.text)
    return "\n".join(texts)


def seed004() -> CheckedProject:
    (item,) = [
        p for p in EXAMPLES if p.project and p.project.name == "医疗保障信息系统开发及维护资金项目"
    ]
    return item


def test_seed004_reproduces_the_printed_figures() -> None:
    """The figures as seed 004 prints them (数字格式: 常规): no separators, no trailing zeros, and
    the zero splits of rows (1)–(4) and of the spending items left blank."""
    doc = open_docx(render(seed004()))
    arrangement, spending, scores = (grid(t) for t in doc.tables)
    rows = {row[0].text: [c.text for c in row[1:]] for row in arrangement[2:]}
    # 项目 行次 合计 | 财政: 小计 中央级 市级 区县级 乡镇级 | 其他: 小计 单位自筹 银行贷款等 社会资本
    assert rows["预算安排"] == ["(1)", "4240000", "4240000", "", "4240000", "", "", "0", "", "", ""]
    for label in ("项目实际投入", "资金到位", "实际支出"):
        assert rows[label][1:] == ["1316006.97", "1316006.97", "", "1316006.97", "", "", "0",
                                   "", "", ""], label  # fmt: skip
    assert rows["资金结余"] == ["(5)=(3)-(4)"] + ["0"] * 10
    assert rows["预算执行率(%)"] == ["(6)=(3)/(1)", "31.04", "31.04", "0", "31.04"] + ["0"] * 6
    assert rows["资金到位率(%)"] == ["(7)=(3)/(2)", "100", "100", "0", "100"] + ["0"] * 6
    assert rows["资金实际支出率(%)"] == ["(8)=(4)/(3)", "100", "100", "0", "100"] + ["0"] * 6
    assert [c.text for c in spending[2]] == ["合计", "1316006.97", "1316006.97", "0", "0"]
    assert [c.text for c in spending[3]] == ["医疗保障信息系统开发及维护", "1316006.97",
                                             "1316006.97", "", ""]  # fmt: skip

    header, *body, total, grade = scores
    assert [c.text for c in header] == [
        "一级指标",
        "三级指标",
        "权重",
        "目标值",
        "业绩值",
        "评分结果",
    ]
    # The seed prints 3.10 here (typed) but 93.1 in 总计 (a spreadsheet's General): 常规 gives 3.1.
    assert [c.text for c in body[0]] == ["预算执行率", "预算执行率", "10", "", "", "3.1"]
    assert [c.text for c in body[1]] == ["产出目标", "", "40", "", "", "40"]
    assert [c.text for c in body[2]][1:] == ["智能审核监控模块", "5", "≥6 次", "7", "5"]
    assert merged_column(body, 0) == [
        ("预算执行率", 1),
        ("产出目标", 9),
        ("效益指标", 1),
        ("满意度指标", 3),
    ]
    assert [c.text for c in total] == ["总计", "100", "", "93.1"]
    assert [c.text for c in grade] == ["评价等级", "优秀"]
    assert "总得分93.10分，属于“优秀”" in after(doc, "二、项目绩效情况分析")
    assert after(doc, "（三）对以后年度项目预算安排的建议") == "建议保留该项目预算"
    assert after(doc, "（二）没有完成绩效目标的指标") == "无"


@pytest.mark.parametrize("item", EXAMPLES, ids=IDS)
def test_every_example_gets_a_report_with_the_seed_outline(item: CheckedProject) -> None:
    project, ev = item.project, item.evaluation
    assert project is not None and ev is not None
    doc = open_docx(render(item))
    assert outline(doc) == OUTLINE
    *_, scores = (grid(t) for t in doc.tables)
    assert (
        len(scores)
        == 1
        + 1
        + len(project.indicators)
        + len(
            {
                r.level1
                for r in project.indicators
                if sum(x.level1 == r.level1 for x in project.indicators) > 1
            }
        )
        + 2
    )
    assert [c.text for c in scores[-2]][-1] == general(ev.total_score)
    # One portrait section: the 资金安排 table fits the page, the text flows around it.
    assert [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in doc.sections] == [
        (21.0, 29.7)
    ]
    widths = [sum(int(c.get(qn("w:w"))) for c in t._tbl.tblGrid) for t in doc.tables]
    assert max(widths) <= 9412  # twips: 16.6 cm, 0.3 cm into each 2.5 cm margin at most


def test_missed_indicators_are_listed_with_their_reasons() -> None:
    """预算执行率 is completed by default, as seed 004 lists it at 31.04 % (预算执行率: 完成)."""
    (item,) = [p for p in EXAMPLES if p.project and p.project.name == "医疗保险执行情况监督检查费"]
    doc = open_docx(render(item))
    assert after(doc, "（二）没有完成绩效目标的指标") == "存储硬盘购买数量；聘用专业人员次数。"
    assert after(doc, "（三）未完成绩效目标指标原因解释") == (
        "存储硬盘购买数量：机构改革，不再采购\n聘用专业人员次数：机构改革，工作调整"
    )
    completed = after(doc, "（一）绩效目标完成的指标")
    assert completed.startswith("预算执行率；成本结构合理性；成本节约率；")
    assert "存储硬盘购买数量" not in completed
    assert "总得分86.61分，属于“良好”" in after(doc, "二、项目绩效情况分析")


def test_defaults_fill_empty_sections() -> None:
    doc = open_docx(render(checked()))
    # 项目概况 is derived from the name, the units, the funds and the goal.
    assert after(doc, "（一）项目概况") == (
        "信息化运维项目由上海市医疗保障局主管、上海市医疗保障局监督检查所实施，2024年度全年预算数"
        "326.01万元，全年执行数162.3万元。项目年度目标：保障系统正常运行。"
    )
    assert after(doc, "（一）对项目管理及实施的建议") == "无"
    # 项目年度绩效目标 defaults to the project's 预期目标.
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[paragraphs.index("2. 项目年度绩效目标") + 1] == "保障系统正常运行。"


def test_report_fields_override_what_is_derived() -> None:
    text = (
        MINIMAL
        + """自评报告:
  项目概况: |
    第一段。
    第二段。
  绩效分析: 自行撰写的总体评价。
  完成的指标: [系统维护数量]
  未完成的指标: [系统支撑情况]
  未完成原因: 原因说明。
"""
    )
    doc = open_docx(render(checked(text)))
    assert after(doc, "（一）项目概况") == "第一段。\n第二段。"
    assert after(doc, "二、项目绩效情况分析") == "自行撰写的总体评价。"
    assert after(doc, "（一）绩效目标完成的指标") == "系统维护数量。"
    assert after(doc, "（二）没有完成绩效目标的指标") == "系统支撑情况。"
    assert after(doc, "（三）未完成绩效目标指标原因解释") == "原因说明。"


def test_the_footer_holds_the_page_number() -> None:
    doc = open_docx(render(seed004()))
    (section,) = doc.sections
    footer = section.footer._element
    instructions = [t.text for t in footer.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    kinds = [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


@pytest.mark.parametrize(
    ("name", "subject"),
    [("数字化医疗服务项目 (2023运维)", "数字化医疗服务项目 (2023运维)"),
     ("数字化医疗服务项目（二期）", "数字化医疗服务项目（二期）"),
     ("信息化运维项目", "信息化运维项目"), ("武警医疗经费", "武警医疗经费项目"),
     ("城乡居民医保（区本级）", "城乡居民医保（区本级）项目")],
)  # fmt: skip
def test_the_sentence_names_the_project_with_one_xiangmu(name: str, subject: str) -> None:
    doc = open_docx(
        render(checked(MINIMAL.replace("项目名称: 信息化运维项目", f"项目名称: {name}")))
    )
    assert f"最终评分结果：{subject}绩效自评价结果为" in after(doc, "二、项目绩效情况分析")


def test_a_given_split_of_zero_is_blank_in_rows_1_to_4_only() -> None:
    doc = open_docx(render(checked(MINIMAL + "自评报告: {财政资金级次: 区县级}\n")))
    arrangement = grid(doc.tables[0])
    rows = {row[0].text: [c.text for c in row[2:]] for row in arrangement[2:]}
    assert rows["预算安排"] == ["326.01", "326.01", "", "", "326.01", "", "0", "", "", ""]
    assert rows["资金结余"] == ["0"] * 10  # (3) − (4): the data does not tell them apart
    assert rows["预算执行率(%)"] == ["49.78", "49.78", "0", "0", "49.78", "0", "0", "0", "0", "0"]


# --- the template's options, through the command a user runs ---------------------------------


def render_with_config(tmp_path: Path, config: str, seed: str) -> tuple[object, str]:
    """Copy *seed* into a user's folder, give its templates/report.yaml *config*, render."""
    shutil.copy(DATA / seed, tmp_path / seed)
    init = run_docgen("templates", "init", "自评报告", "-o", "templates", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    (tmp_path / "templates" / "report.yaml").write_text(config, encoding="utf-8")
    result = run_docgen("render", seed, "-k", "report", "-o", "out", cwd=tmp_path)
    return result, result.stderr


@pytest.mark.parametrize(
    "config",
    ["文档类型: 自评报告\n数字格式: 两位小数\n预算执行率: 按得分\n",
     "numbers: fixed\nbudget_rate: by-score\n"],
)  # fmt: skip
def test_the_number_format_and_the_budget_rate_listing_are_template_options(
    tmp_path: Path, config: str
) -> None:
    result, stderr = render_with_config(tmp_path, config, "seed002_shanghai_yibao_2024.yaml")
    assert result.returncode == 0, stderr  # type: ignore[attr-defined]
    doc = open_docx(
        (tmp_path / "out" / "2024_医疗保险执行情况监督检查费_自评报告.docx").read_bytes()
    )
    assert after(doc, "（二）没有完成绩效目标的指标") == (
        "预算执行率；存储硬盘购买数量；聘用专业人员次数。"
    )
    assert after(doc, "（三）未完成绩效目标指标原因解释").startswith(
        "预算执行率：全年预算执行率为26.10%，预算未全部执行。\n"
    )
    arrangement, _, scores = (grid(t) for t in doc.tables)
    budget = [c.text for c in arrangement[2]]
    assert budget[:5] == ["预算安排", "(1)", "299.92", "299.92", ""]  # no 财政资金级次: unknown
    assert budget[8] == "0.00"  # 其他资金 小计
    assert [c.text for c in scores[1]][-1] == "2.61" and [c.text for c in scores[-2]][-1] == "86.61"


def test_a_bad_template_option_is_a_clear_error(tmp_path: Path) -> None:
    result, stderr = render_with_config(
        tmp_path, "文档类型: 自评报告\n数字格式: 科学计数\n", "seed004_shanghai_yibao_report.yaml"
    )
    assert result.returncode == 1  # type: ignore[attr-defined]
    assert "templates/report.yaml" in stderr and "bad template config: 数字格式" in stderr
    assert "Traceback" not in stderr
    assert not list(tmp_path.glob("out/*.docx"))


def test_seed004_lists_are_derived_but_for_the_order_it_printed() -> None:
    """Without its stated lists, seed 004 derives the same names (预算执行率 among them)."""
    text = (DATA / "seed004_shanghai_yibao_report.yaml").read_text(encoding="utf-8")
    stated = text[text.index("  完成的指标:") : text.index("  对以后年度项目预算安排的建议")]
    doc = open_docx(render(checked(text.replace(stated, ""))))
    printed = after(open_docx(render(seed004())), "（一）绩效目标完成的指标")
    derived = after(doc, "（一）绩效目标完成的指标")
    assert derived != printed and sorted(derived) == sorted(printed)
    assert derived.startswith("预算执行率；智能审核监控模块；")
    assert after(doc, "（二）没有完成绩效目标的指标") == "无"
