"""Reading projects from a workbook: values, exact numbers, defaults, and cell locations."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from docgen.errors import InputError
from docgen.excel.placement import canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.model.project import ZERO_LINE
from docgen.pipeline import check_source
from docgen.sources.loader import load_text
from docgen.sources.validate import to_project
from tests.conftest import MINIMAL

PROJECT_HEADERS = [
    "年度",
    "项目名称",
    "主管部门",
    "实施单位",
    "当年财政拨款·年初预算数",
    "当年财政拨款·全年预算数",
    "当年财政拨款·全年执行数",
    "预期目标",
    "实际完成情况",
]
INDICATOR_HEADERS = [
    "项目名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
]


def project_row(name: str = "信息化运维项目", year: Any = 2024) -> list[Any]:
    return [
        year,
        name,
        "上海市医疗保障局",
        "上海市医疗保障局监督检查所",
        326.01,
        326.01,
        162.3,
        "保障系统正常运行。",
        "系统运行正常。",
    ]


def indicator_rows(name: str = "信息化运维项目") -> list[list[Any]]:
    return [
        [name, "产出指标", "数量指标", "系统维护数量", "=4.00(项)", "4.00(项)", 50, 50],
        [name, "效益指标", "社会效益指标", "系统支撑情况", "保障", "达成指标", 40, None],
    ]


def make_book(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "填报.xlsx") -> Path:
    """Write a workbook by hand: each sheet's rows, the first one its headers."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = sheet.cell(row=r, column=c, value=value)
                    if isinstance(value, str) and value.startswith("=") and value != '=""':
                        cell.data_type = "s"  # text such as =4.00(项), not a formula
    path = tmp_path / name
    book.save(path)
    return path


def minimal_book(tmp_path: Path, **extra: list[list[Any]]) -> Path:
    sheets = {
        "项目": [PROJECT_HEADERS, project_row()],
        "绩效指标": [INDICATOR_HEADERS, *indicator_rows()],
    }
    sheets.update(extra)
    return make_book(tmp_path, sheets)


def edited(
    tmp_path: Path, projects: list[Any], edits: dict[str, Any], name: str = "填报.xlsx"
) -> Path:
    """Write *projects* with ``docgen workbook``'s layout, then set cells (``{"绩效指标!I3": 12}``)."""
    path = tmp_path / name
    path.write_bytes(write_workbook(projects))
    book = load_workbook(path)
    for where, value in edits.items():
        sheet, ref = where.split("!")
        book[sheet][ref] = value
    book.save(path)
    return path


def patched(path: Path, pattern: bytes, replacement: bytes, sheet: int = 2) -> Path:
    """Rewrite a sheet's XML, as Excel would have written it; return the path."""
    name = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {item: archive.read(item) for item in archive.namelist()}
    parts[name], count = re.subn(pattern, replacement, parts[name])
    assert count == 1, parts[name]
    with zipfile.ZipFile(path, "w") as archive:
        for item, content in parts.items():
            archive.writestr(item, content)
    return path


def minimal_data() -> Any:
    (source,) = load_text(MINIMAL)
    return source.data


# --- values -------------------------------------------------------------------------------


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


def test_numbers_are_exact_decimals(tmp_path: Path) -> None:
    row = project_row()
    row[4:7] = [0.1, "1,316,006.97", "162.30"]
    path = make_book(
        tmp_path,
        {"项目": [PROJECT_HEADERS, row], "绩效指标": [INDICATOR_HEADERS, *indicator_rows()]},
    )
    (source,) = load_workbook_projects(path)
    current = source.data["项目资金"]["当年财政拨款"]
    assert [str(current[k]) for k in ("年初预算数", "全年预算数", "全年执行数")] == [
        "0.10",
        "1316006.97",
        "162.30",
    ]
    assert source.data["年度"] == 2024 and type(source.data["年度"]) is int
    weights = [row["分值"] for row in source.data["绩效指标"]]
    assert weights == [50, 40] and all(type(w) is int for w in weights)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (162.3, "162.30"),
        (326.01, "326.01"),
        (1316006.97, "1316006.97"),
        (0.3, "0.30"),
        (1e-05, "0.00001"),
        (4240000.0, "4240000"),
    ],
)
def test_floats_become_the_decimal_the_file_stores(
    tmp_path: Path, stored: float, expected: str
) -> None:
    row = project_row()
    row[6] = stored
    path = make_book(
        tmp_path,
        {"项目": [PROJECT_HEADERS, row], "绩效指标": [INDICATOR_HEADERS, *indicator_rows()]},
    )
    (source,) = load_workbook_projects(path)
    assert str(source.data["项目资金"]["当年财政拨款"]["全年执行数"]) == expected


def test_a_float_sum_is_read_as_stored_and_validation_refuses_its_decimals(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {})
    patched(
        path, rb"(<c r=\"H2\"[^>]*><v>)50(</v>)", rb"\g<1>0.30000000000000004\g<2>"
    )  # 0.1 + 0.2
    (source,) = load_workbook_projects(path)
    assert source.data["绩效指标"][0]["分值"] == Decimal("0.30000000000000004")
    _, findings = to_project(source)
    assert "more than two decimals" in str(findings[0])


def test_empty_cells_are_omitted_so_defaults_apply(tmp_path: Path) -> None:
    (source,) = load_workbook_projects(minimal_book(tmp_path))
    assert "金额单位" not in source.data and "上年结转资金" not in source.data["项目资金"]
    assert "得分" not in source.data["绩效指标"][1] and "自评报告" not in source.data
    project, _ = to_project(source)
    assert project is not None
    assert project.amount_unit == "万元" and project.funds.weight == Decimal(10)
    assert project.funds.carryover == ZERO_LINE and project.indicators[1].score is None
    assert project.report is None


def test_text_cells_keep_their_text(tmp_path: Path) -> None:
    (source,) = load_workbook_projects(minimal_book(tmp_path))
    assert source.data["绩效指标"][0]["年度指标值"] == "=4.00(项)"


def test_numbers_in_text_columns_become_text(tmp_path: Path) -> None:
    rows = indicator_rows()
    rows[0][4:6] = [7, 0.5]
    path = make_book(
        tmp_path, {"项目": [PROJECT_HEADERS, project_row()], "绩效指标": [INDICATOR_HEADERS, *rows]}
    )
    (source,) = load_workbook_projects(path)
    assert source.data["绩效指标"][0]["年度指标值"] == "7"
    assert source.data["绩效指标"][0]["实际完成值"] == "0.5"


def test_empty_text_formula_empty_list_and_lines(tmp_path: Path) -> None:
    headers = [
        *PROJECT_HEADERS,
        "未完成原因",
        "未完成的指标",
        "完成的指标",
        "对项目管理及实施的建议",
    ]
    row = [*project_row(), '=""', "无", "预算执行率\n系统维护数量\n", "第一段。\n第二段。"]
    path = make_book(
        tmp_path, {"项目": [headers, row], "绩效指标": [INDICATOR_HEADERS, *indicator_rows()]}
    )
    (source,) = load_workbook_projects(path)
    report = source.data["自评报告"]
    assert report == {
        "未完成原因": "",
        "未完成的指标": [],
        "完成的指标": ["预算执行率", "系统维护数量"],
        "对项目管理及实施的建议": "第一段。\n第二段。",
    }
    project, _ = to_project(source)
    assert project is not None and project.report is not None
    assert project.report.reasons == "" and project.report.not_completed == []


def test_rows_with_only_the_project_name_are_skipped(tmp_path: Path) -> None:
    rows = [*indicator_rows(), ["信息化运维项目"], [None], ["信息化运维项目", None]]
    path = make_book(
        tmp_path, {"项目": [PROJECT_HEADERS, project_row()], "绩效指标": [INDICATOR_HEADERS, *rows]}
    )
    (source,) = load_workbook_projects(path)
    assert len(source.data["绩效指标"]) == 2


def test_headers_allow_spaces_and_other_separators(tmp_path: Path) -> None:
    headers = [h.replace("·", ".") for h in PROJECT_HEADERS]
    headers[4] = "当年财政拨款 ・ 年初预算数"
    path = make_book(
        tmp_path,
        {"项目": [headers, project_row()], "绩效指标": [INDICATOR_HEADERS, *indicator_rows()]},
    )
    (source,) = load_workbook_projects(path)
    assert source.data["项目资金"]["当年财政拨款"]["年初预算数"] == Decimal("326.01")


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


def test_formulas_give_their_computed_values(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {"绩效指标!H2": "=20+30"})
    uncomputed = tmp_path / "uncomputed.xlsx"
    uncomputed.write_bytes(path.read_bytes())
    patched(path, rb"<f>20\+30</f><v\s*/>|<f>20\+30</f><v></v>", b"<f>20+30</f><v>50</v>")
    (source,) = load_workbook_projects(path)
    assert source.data["绩效指标"][0]["分值"] == 50
    with pytest.raises(InputError) as caught:
        load_workbook_projects(uncomputed)
    assert str(caught.value).startswith(
        f"{uncomputed}:绩效指标!H2: the formula =20+30 has no computed value"
    )


# --- locations ----------------------------------------------------------------------------


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


# --- refusals -----------------------------------------------------------------------------


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_workbook_projects(path)
    return str(caught.value)


def test_an_unknown_header_is_named_with_a_suggestion(tmp_path: Path) -> None:
    headers = [*INDICATOR_HEADERS[:-1], "得份"]
    path = make_book(
        tmp_path,
        {"项目": [PROJECT_HEADERS, project_row()], "绩效指标": [headers, *indicator_rows()]},
    )
    message = refusal(path)
    assert message.startswith(
        f"{path}:绩效指标!H1: unknown column '得份' in sheet 绩效指标; did you mean '得分'?"
    )
    assert "hint: " in message


def test_an_unknown_project_header_is_named_too(tmp_path: Path) -> None:
    headers = [*PROJECT_HEADERS, "当年财政拨款·年初预算"]
    path = make_book(tmp_path, {"项目": [headers, project_row()]})
    assert refusal(path).startswith(
        f"{path}:项目!J1: unknown column '当年财政拨款·年初预算' in sheet 项目; did you mean '当年财政拨款·年初预算数'?"
    )


def test_a_repeated_header_is_refused(tmp_path: Path) -> None:
    path = make_book(tmp_path, {"项目": [[*PROJECT_HEADERS, "项目名称"], project_row()]})
    assert refusal(path).startswith(
        f"{path}:项目!J1: column '项目名称' appears twice in sheet 项目 (also 项目!B1)"
    )


def test_a_value_without_a_header_is_refused(tmp_path: Path) -> None:
    path = make_book(tmp_path, {"项目": [PROJECT_HEADERS, [*project_row(), None, "备忘"]]})
    assert refusal(path).startswith(f"{path}:项目!K2: a value in a column without a header: '备忘'")


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


def test_error_values_are_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {})
    patched(
        path, rb'<c r="H2"([^>]*?) t="n"><v>50</v></c>', rb'<c r="H2"\1 t="e"><v>#DIV/0!</v></c>'
    )
    assert refusal(path).startswith(f"{path}:绩效指标!H2: the cell shows the error #DIV/0!")


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


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    assert (
        refusal(tmp_path / "missing.xlsx")
        == f"{tmp_path / 'missing.xlsx'}: no such file\n  hint: check the path"
    )
    path = tmp_path / "text.xlsx"
    path.write_text("年度: 2024\n")
    assert refusal(path).startswith(f"{path}: not an Excel workbook (.xlsx)")
    path = tmp_path / "broken.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path.write_bytes(buffer.getvalue())
    assert refusal(path).startswith(f"{path}: not an Excel workbook (.xlsx)")


def test_too_many_values_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.excel.grids.MAX_VALUES", 20)
    assert refusal(minimal_book(tmp_path)).startswith(
        f"{tmp_path / '填报.xlsx'}: holds more than 20 values"
    )


def test_a_workbook_that_reaches_far_is_refused_quickly(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from docgen.errors import InputError
    from docgen.excel.reader import load_workbook_projects

    book = Workbook()
    book.active.title = "项目"
    book.active["A1"] = "年度"
    book.active.cell(row=500_000, column=1, value=" ")
    path = tmp_path / "far.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="a sheet reaches row 500,000"):
        load_workbook_projects(path)
