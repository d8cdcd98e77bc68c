"""The 自评表's pages, as LibreOffice lays them out from ``docgen render --pdf``.

What a clerk sees beside the official form: never more pages than the official (the seed texts
show where the official forms break), a long 年度总体目标 split across the page break rather
than jumping whole to the next page, and no page that holds only the repeated header and the
closing rows (总分, 评分等级).  Skipped without LibreOffice and poppler (failed when ``CI`` is
set), as ``tests/test_pdf.py``.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from docgen.preview import page_count, pdf_text
from tests.commands import run_docgen
from tests.conftest import DATA
from tests.test_pdf import require_tools, squeeze

# Pages of the official forms, read from the seed texts (a blank line inside a form's rows is
# a page break; ../shared/README.md): 2 pages where named, 1 for every other form.
OFFICIAL_PAGES = {
    "闵行区“一站式”医疗救助系统(2022运维)": 2,  # seed 000
    "捷医平台及影像云基础设施运维(2023运维)": 2,  # seed 001
    "闵行区“便捷就医服务”数字化转型2.0项目（第二年）": 2,
    "信息化运维项目": 2,  # seed 002
    "医疗保险执行情况监督检查费": 2,
}
SEED_FORMS = ("seed000_minhang_yibao_2022.yaml", "seed001_minhang_weijian_2023.yaml",
              "seed002_shanghai_yibao_2024.yaml")  # fmt: skip
FORMS_IN_SEEDS = 1 + 13 + 2


def _render(tmp_path: Path, *files: str) -> dict[str, Path]:
    """Run ``docgen render FILES -k table --pdf`` in *tmp_path*; return the PDFs by 项目名称."""
    require_tools()
    result = run_docgen("render", *files, "-k", "table", "-o", "out", "--pdf", cwd=tmp_path,
                        timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    return {pdf.stem.split("_", 1)[1].removesuffix("_自评表"): pdf for pdf in pdfs}


def _closing_only(pdf: Path, names: list[str]) -> list[int]:
    """Return the pages after the first that hold no indicator row: header and closing only."""
    pages = []
    for page in range(2, page_count(pdf) + 1):
        text = squeeze(pdf_text(pdf, page=page, raw=True))
        if not any(squeeze(name) in text for name in names):
            pages.append(page)
    return pages


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 16 seed forms of data/, rendered to PDF by one ``docgen render --pdf``."""
    folder = tmp_path_factory.mktemp("seeds")
    for name in SEED_FORMS:
        shutil.copy(DATA / name, folder / name)
    return _render(folder, *SEED_FORMS)


def _indicator_names(file: str, project: str) -> list[str]:
    documents = list(yaml.safe_load_all((DATA / file).read_text(encoding="utf-8")))
    for entry in [e for d in documents for e in (d if isinstance(d, list) else [d])]:
        if entry["项目名称"] == project:
            return list(_names(entry["绩效指标"]))
    raise AssertionError(f"{project} not in {file}")


def _names(indicators: object) -> list[str]:
    if isinstance(indicators, list):
        return [row["三级指标"] for row in indicators]
    assert isinstance(indicators, dict)
    return [name for group in indicators.values() for name in _names(group)]


def test_no_seed_form_takes_more_pages_than_the_official(seeds: dict[str, Path]) -> None:
    assert len(seeds) == FORMS_IN_SEEDS
    pages = {name: page_count(pdf) for name, pdf in seeds.items()}
    more = {
        n: (p, OFFICIAL_PAGES.get(n, 1)) for n, p in pages.items() if p > OFFICIAL_PAGES.get(n, 1)
    }
    assert not more, f"docgen's pages vs the official: {more}"
    # The seed-002 forms have 19 and 28 indicators: they do need a second page.
    assert pages["信息化运维项目"] == pages["医疗保险执行情况监督检查费"] == 2


def test_no_seed_form_leaves_the_closing_rows_alone_on_a_page(seeds: dict[str, Path]) -> None:
    files = {"2022": SEED_FORMS[0], "2023": SEED_FORMS[1], "2024": SEED_FORMS[2]}
    for name, pdf in seeds.items():
        names = _indicator_names(files[pdf.name[:4]], name)
        assert _closing_only(pdf, names) == [], f"{name}: a page with only header and 总分"
        last = squeeze(pdf_text(pdf, page=page_count(pdf)))
        assert "总分" in last


def _project(year: int, count: int, goal: str) -> dict[str, object]:
    """Return a project of *count* indicators (90 points in all) and the given goals."""
    weight = (Decimal(90) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    groups = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
              ("满意度指标", "服务对象满意度指标")]  # fmt: skip
    rows = [
        {
            "一级指标": groups[i * len(groups) // count][0],
            "二级指标": groups[i * len(groups) // count][1],
            "三级指标": f"第{i + 1}项运维工作完成率",
            "年度指标值": "=100.00(%)",
            "实际完成值": "100.00(%)",
            "分值": str(weight if i < count - 1 else Decimal(90) - weight * (count - 1)),
        }
        for i in range(count)
    ]
    return {
        "年度": year,
        "项目名称": f"运维项目{year}-{count:02d}",
        "主管部门": "上海市闵行区医疗保障局(汇总)",
        "实施单位": "上海市闵行区医疗保障局",
        "项目资金": {
            "分值": 10,
            "当年财政拨款": {"年初预算数": 80, "全年预算数": 80, "全年执行数": 80},
        },
        "年度总体目标": {"预期目标": goal, "实际完成情况": goal},
        "绩效指标": rows,
    }


def test_the_closing_rows_keep_with_the_last_indicators_wherever_the_page_breaks(
    tmp_path: Path,
) -> None:
    """Forms of 12–22 indicators in both editions: the page break passes every closing row."""
    goal = "保障系统正常运行，按合同要求完成运维工作。" * 3
    projects = [_project(year, n, goal) for year in (2022, 2024) for n in range(12, 23, 2)]
    projects += [_project(year, n, goal) for year in (2022, 2024) for n in range(13, 22, 2)]
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(projects, allow_unicode=True), "utf-8")
    pdfs = _render(tmp_path, "sweep.yaml")
    assert len(pdfs) == len(projects)
    counts = set()
    for name, pdf in pdfs.items():
        count = int(name.rsplit("-", 1)[1])
        names = [f"第{i + 1}项运维工作完成率" for i in range(count)]
        counts.add(page_count(pdf))
        assert _closing_only(pdf, names) == [], f"{pdf.name}: a page with only header and 总分"
    assert counts == {1, 2}, "the sweep should cross the end of page 1"


def test_a_long_goal_splits_across_the_page_break(tmp_path: Path) -> None:
    """Like seed 003's 智慧闵行医保卫士: a long 实际完成情况 starts on page 1, ends on page 2."""
    sentences = [
        f"第{n}阶段完成系统功能上线与数据治理工作，保障医保基金安全运行。" for n in range(1, 51)
    ]
    project = _project(2024, 10, "开展医保基金监管系统运维。")
    project["年度总体目标"] = {
        "预期目标": "开展医保基金监管系统运维。",
        "实际完成情况": "".join(sentences),
    }
    (tmp_path / "long.yaml").write_text(yaml.safe_dump(project, allow_unicode=True), "utf-8")
    (pdf,) = _render(tmp_path, "long.yaml").values()
    assert page_count(pdf) == 2
    first, second = (squeeze(pdf_text(pdf, page=p, raw=True)) for p in (1, 2))
    assert sentences[0] in first, "the goal jumped whole to page 2"
    assert sentences[-1] in second
