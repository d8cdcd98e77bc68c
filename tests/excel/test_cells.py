"""Decoding cells: exact numbers, text columns, the empty text, lists and error values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docgen.excel.reader import load_workbook_projects
from docgen.sources.validate import to_project
from tests.excel.books import (
    INDICATOR_HEADERS,
    PROJECT_HEADERS,
    edited,
    indicator_rows,
    make_book,
    minimal_book,
    minimal_data,
    patched,
    project_row,
    refusal,
)


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


def test_error_values_are_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, [minimal_data()], {})
    patched(
        path, rb'<c r="H2"([^>]*?) t="n"><v>50</v></c>', rb'<c r="H2"\1 t="e"><v>#DIV/0!</v></c>'
    )
    assert refusal(path).startswith(f"{path}:绩效指标!H2: the cell shows the error #DIV/0!")
