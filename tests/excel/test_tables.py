"""Reading a sheet's headers and rows: separators, unknown, repeated and missing headers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docgen.excel.reader import load_workbook_projects
from tests.excel.books import (
    INDICATOR_HEADERS,
    PROJECT_HEADERS,
    indicator_rows,
    make_book,
    project_row,
    refusal,
)


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
