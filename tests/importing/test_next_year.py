"""`docgen next-year`: last year's forms become the clerk's form for the new year."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from docgen.sources.loader import load_file
from tests.commands import run_docgen
from tests.conftest import DATA
from tests.importing.compare import projects
from tests.importing.forms import Style, build

SEED002 = projects(DATA / "seed002_shanghai_yibao_2024.yaml")


def test_targets_are_kept_and_this_years_figures_cleared(tmp_path: Path) -> None:
    build(SEED002, Style(), tmp_path / "2024.docx")
    done = run_docgen("next-year", "2024.docx", "-o", "2025.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    carried = [source.data for source in load_file(tmp_path / "2025.yaml")]
    assert [p["年度"] for p in carried] == [2025, 2025]
    for data, last in zip(carried, SEED002, strict=True):
        assert data["项目名称"] == last.name and data["实施单位"] == last.implementing_unit
        assert data["金额单位"] == "万元"
        assert data["项目资金"] == {"分值": 10}
        assert data["年度总体目标"] == {"预期目标": last.goals.expected}
        assert "总分" not in data and "评分等级" not in data
        kept = [(r.level1, r.level2, r.name, r.target, r.weight) for r in last.indicators]
        assert [
            (r["一级指标"], r["二级指标"], r["三级指标"], r["年度指标值"], r["分值"])
            for r in data["绩效指标"]
        ] == kept
        assert all(set(r) == {"一级指标", "二级指标", "三级指标", "年度指标值", "分值"}
                   for r in data["绩效指标"])  # fmt: skip


def test_import_next_year_and_next_year_of_the_import_agree(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "2024.docx")
    assert run_docgen("import", "2024.docx", "-o", "2024.yaml", cwd=tmp_path).returncode == 0
    assert run_docgen("next-year", "2024.yaml", "-o", "a.yaml", cwd=tmp_path).returncode == 0
    done = run_docgen("import", "--next-year", "2024.docx", "-o", "b.yaml", cwd=tmp_path)
    assert done.returncode == 0
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


def test_the_workbook_of_the_result_is_the_clerks_form(tmp_path: Path) -> None:
    build(SEED002[:1], Style(), tmp_path / "2024.docx")
    assert run_docgen("next-year", "2024.docx", "-o", "2025.xlsx", cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "2025.xlsx")
    sheet = book["项目"]
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=False)}
    assert row["年度"] == 2025 and row["项目名称"] == "信息化运维项目"
    assert row["当年财政拨款·全年预算数"] is None and row["实际完成情况"] is None
    # what the clerk still has to fill is what check lists
    checked = run_docgen("check", "2025.xlsx", cwd=tmp_path)
    assert checked.returncode == 1
    assert "当年财政拨款 is missing" in checked.stdout + checked.stderr
