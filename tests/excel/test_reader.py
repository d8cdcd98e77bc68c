"""Reading projects from a workbook: values, defaults, rows of other sheets, cell locations."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docgen.convert import convert, to_json
from docgen.excel.placement import canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.model.project import ZERO_LINE
from docgen.pdf import find_soffice
from docgen.pipeline import check_source
from docgen.sources.loader import load_text
from docgen.sources.validate import to_project
from tests.conftest import MINIMAL
from tests.excel.books import (
    INDICATOR_HEADERS,
    PROJECT_HEADERS,
    SEED001,
    edited,
    indicator_rows,
    make_book,
    minimal_book,
    minimal_data,
    models,
    project_row,
    refusal,
    tricky_project,
)


def test_a_workbook_gives_the_data_a_yaml_file_gives(tmp_path: Path) -> None:
    (source,) = load_workbook_projects(minimal_book(tmp_path))
    (yaml_source,) = load_text(MINIMAL)
    expected = canonical_project(yaml_source.data)
    expected["项目资金"].pop("分值")  # the hand-made sheet has no column for it
    expected["绩效指标"][1].pop("得分")  # and leaves this cell empty
    assert source.data == expected
    assert source.file.endswith("填报.xlsx") and source.index == 0
    project, findings = to_project(source)
    assert project is not None and not findings


def test_empty_cells_are_omitted_so_defaults_apply(tmp_path: Path) -> None:
    (source,) = load_workbook_projects(minimal_book(tmp_path))
    assert "金额单位" not in source.data and "上年结转资金" not in source.data["项目资金"]
    assert "得分" not in source.data["绩效指标"][1] and "自评报告" not in source.data
    project, _ = to_project(source)
    assert project is not None
    assert project.amount_unit == "万元" and project.funds.weight == Decimal(10)
    assert project.funds.carryover == ZERO_LINE and project.indicators[1].score is None
    assert project.report is None


def test_rows_are_matched_by_name_and_year(tmp_path: Path) -> None:
    indicators: list[list[Any]] = [["年度", *INDICATOR_HEADERS]]
    for year in (2023, 2024):
        indicators += [[year, *row] for row in indicator_rows()]
    indicators[3][4] = "2024 的指标"  # 三级指标 of the 2024 project's first row
    path = make_book(
        tmp_path,
        {
            "项目": [PROJECT_HEADERS, project_row(year=2023), project_row(year=2024)],
            "绩效指标": indicators,
        },
    )
    first, second = load_workbook_projects(path)
    assert [len(first.data["绩效指标"]), len(second.data["绩效指标"])] == [2, 2]
    assert second.data["绩效指标"][0]["三级指标"] == "2024 的指标"
    assert str(second.line_of(("绩效指标", 0, "三级指标"))) == "绩效指标!E4"


def test_the_report_tables_have_their_own_sheets(tmp_path: Path) -> None:
    arrangement: list[list[Any]] = [
        ["项目名称", "类别", "市级", "单位自筹"],
        ["信息化运维项目", "预算安排", 4240000, None],
        ["信息化运维项目", "实际支出", 1316006.97, 10],
    ]
    spending: list[list[Any]] = [
        ["项目名称", "项目支出内容", "财政资金支出数"],
        ["信息化运维项目", "开发及维护", 1316006.97],
        ["信息化运维项目", "其他", 0],
    ]
    (source,) = load_workbook_projects(
        minimal_book(tmp_path, 资金安排=arrangement, 资金使用情况=spending)
    )
    report = source.data["自评报告"]
    assert report["资金安排"] == {
        "预算安排": {"市级": 4240000},
        "实际支出": {"市级": Decimal("1316006.97"), "单位自筹": 10},
    }
    assert report["资金使用情况"] == [
        {"项目支出内容": "开发及维护", "财政资金支出数": Decimal("1316006.97")},
        {"项目支出内容": "其他", "财政资金支出数": 0},
    ]
    _, findings = to_project(source)  # 项目实际投入 and 资金到位 are missing
    assert [str(f).split(": error")[0] for f in findings] == [source.file + ":资金安排!B2"] * 2
    assert "项目实际投入 is missing" in str(findings[0])


def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """Excel's and LibreOffice's files differ from openpyxl's: shared strings, cached values."""
    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "p.json").write_text(to_json([tricky_project()]), encoding="utf-8")
    convert(tmp_path / "p.json", tmp_path / "tricky.xlsx")
    convert(SEED001, tmp_path / "seed001.xlsx")
    command = [
        soffice,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(tmp_path / "saved"),
        str(tmp_path / "tricky.xlsx"),
        str(tmp_path / "seed001.xlsx"),
    ]
    subprocess.run(command, capture_output=True, timeout=300, check=False)
    if not (tmp_path / "saved" / "seed001.xlsx").exists():
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert models(tmp_path / "saved" / "tricky.xlsx") == models(tmp_path / "p.json")
    assert models(tmp_path / "saved" / "seed001.xlsx") == models(SEED001)


# --- locations ------------------------------------------------------------------------------------


def twelve_rows_then_a_bad_score(tmp_path: Path) -> Path:
    first = minimal_data()
    first["项目名称"] = "第一个项目"
    first["绩效指标"] = [
        dict(first["绩效指标"][0], 分值=Decimal("7.5"), 得分=Decimal("7.5")) for _ in range(12)
    ]
    second = minimal_data()
    second["绩效指标"][0].update({"分值": 10, "得分": 12})
    second["绩效指标"].append(
        {
            "一级指标": "满意度指标",
            "二级指标": "服务对象满意度指标",
            "三级指标": "满意度",
            "年度指标值": "≥90(%)",
            "实际完成值": "95(%)",
            "分值": 40,
        }
    )
    return edited(tmp_path, [first, second], {})


def test_findings_name_the_sheet_and_cell(tmp_path: Path) -> None:
    path = twelve_rows_then_a_bad_score(tmp_path)
    first, second = load_workbook_projects(path)
    assert not check_source(first).errors
    (error,) = check_source(second).errors
    assert str(error).startswith(
        f"{path}:绩效指标!I14: error: 绩效指标[0].得分: 得分 12 exceeds 分值 10"
    )
    assert error.file == str(path) and str(error.line) == "绩效指标!I14"


def test_a_missing_value_points_at_its_empty_cell(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {"绩效指标!E3": None, "项目!K2": None})
    (source,) = load_workbook_projects(path)
    messages = [str(f) for f in check_source(source).findings]
    assert messages == [
        f"{path}:项目!K2: error: 项目资金.当年财政拨款.全年执行数: 全年执行数 is missing; add 全年执行数: …",
        f"{path}:绩效指标!E3: error: 绩效指标[1].三级指标: 三级指标 is missing; add 三级指标: …",
    ]


def test_wrong_values_and_stated_figures_are_located(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {"绩效指标!H2": "五十"})
    (source,) = load_workbook_projects(path)
    (finding,) = check_source(source).findings
    assert str(finding).startswith(
        f"{path}:绩效指标!H2: error: 绩效指标[0].分值: expected a number, got '五十'"
    )
    path = edited(tmp_path, [minimal_data()], {"项目!U2": 50, "项目!W2": 90}, name="stated.xlsx")
    (source,) = load_workbook_projects(path)
    assert [str(f.line) for f in check_source(source).errors] == ["项目!U2", "项目!W2"]


def test_the_weight_total_points_at_the_projects_weights(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {"绩效指标!H3": 30, "绩效指标!I3": 30})
    (source,) = load_workbook_projects(path)
    (finding,) = check_source(source).errors
    assert str(finding).startswith(f"{path}:绩效指标!H2:H3: error: 绩效指标: 分值 add up to 90")


def test_a_project_without_indicators_is_pointed_at_its_row(tmp_path: Path) -> None:
    path = make_book(tmp_path, {"项目": [PROJECT_HEADERS, project_row()]})
    (source,) = load_workbook_projects(path)
    (finding,) = check_source(source).errors
    assert str(finding) == f"{path}:项目!B2: error: 绩效指标: 绩效指标 is missing; add 绩效指标: …"
    assert str(source.line) == "项目!A2"


# --- refusals -------------------------------------------------------------------------------------


def test_an_indicator_row_of_no_project_is_refused(tmp_path: Path) -> None:
    rows = [*indicator_rows(), *indicator_rows("信息化运维项")]
    path = make_book(
        tmp_path, {"项目": [PROJECT_HEADERS, project_row()], "绩效指标": [INDICATOR_HEADERS, *rows]}
    )
    assert refusal(path).startswith(
        f"{path}:绩效指标!A4: row 4 of 绩效指标: 项目名称 '信息化运维项' matches no row of the 项目 sheet; "
        "did you mean '信息化运维项目'?"
    )


def test_a_row_without_a_project_name_is_refused(tmp_path: Path) -> None:
    rows = [*indicator_rows(), [None, "产出指标", "数量指标", "孤立指标", "1", "1", 10, 10]]
    path = make_book(
        tmp_path, {"项目": [PROJECT_HEADERS, project_row()], "绩效指标": [INDICATOR_HEADERS, *rows]}
    )
    assert refusal(path).startswith(
        f"{path}:绩效指标!A4: 项目名称 is empty; every row of 绩效指标 names its project"
    )


def test_shared_names_need_a_year_and_a_wrong_year_is_named(tmp_path: Path) -> None:
    projects = [PROJECT_HEADERS, project_row(year=2023), project_row(year=2024)]
    path = make_book(
        tmp_path, {"项目": projects, "绩效指标": [INDICATOR_HEADERS, *indicator_rows()]}
    )
    assert refusal(path).startswith(
        f"{path}:绩效指标!A2: row 2 of 绩效指标: several projects are named '信息化运维项目' (年度 2023、2024)"
    )
    rows = [[2022, *row] for row in indicator_rows()]
    path = make_book(
        tmp_path, {"项目": projects, "绩效指标": [["年度", *INDICATOR_HEADERS], *rows]}, "year.xlsx"
    )
    assert refusal(path).startswith(
        f"{path}:绩效指标!A2: row 2 of 绩效指标: no project '信息化运维项目' of 年度 2022"
    )


def test_a_project_with_two_rows_is_refused(tmp_path: Path) -> None:
    path = make_book(tmp_path, {"项目": [PROJECT_HEADERS, project_row(), project_row()]})
    assert refusal(path).startswith(
        f"{path}:项目!B3: project '信息化运维项目' (2024) has two rows, 2 and 3"
    )


def test_a_category_may_appear_once_per_project(tmp_path: Path) -> None:
    arrangement: list[list[Any]] = [
        ["项目名称", "类别", "市级"],
        ["信息化运维项目", "预算安排", 1],
        ["信息化运维项目", "预算安排", 2],
    ]
    path = minimal_book(tmp_path, 资金安排=arrangement)
    assert refusal(path).startswith(
        f"{path}:资金安排!B3: 预算安排 appears twice for project '信息化运维项目'"
    )


def test_a_workbook_without_a_project_sheet_or_projects(tmp_path: Path) -> None:
    path = make_book(tmp_path, {"Sheet1": [["x"]]})
    assert refusal(path) == (
        f"{path}: has no sheet '项目'\n  hint: write one row per project on a sheet named 项目; "
        "the 填写说明 sheet of `docgen workbook` lists every sheet and column"
    )
    path = make_book(
        tmp_path, {"项目": [PROJECT_HEADERS], "绩效指": [INDICATOR_HEADERS]}, "misspelt.xlsx"
    )
    assert refusal(path).startswith(
        f"{path}:绩效指!A1: sheet '绩效指' is not one docgen reads; did you mean '绩效指标'?"
    )
    path = make_book(tmp_path, {"项目": [PROJECT_HEADERS]}, "empty.xlsx")
    assert refusal(path).startswith(f"{path}:项目!A2: holds no project")
