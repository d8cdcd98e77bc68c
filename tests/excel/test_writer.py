"""The data-entry workbook as written: sheets, headers, formats, drop-down lists, bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import load_workbook

from docgen.excel.layout import DATA_SHEETS, LEVEL1_CHOICES, LEVEL2_CHOICES
from docgen.excel.placement import canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.i18n import using_language
from docgen.sources.loader import load_file
from tests.conftest import example_files
from tests.excel.books import (
    SEED001,
    SEED001_WORKBOOK,
    minimal_data,
    models,
    template,
)


def test_the_template_has_its_sheets_and_headers() -> None:
    book = template()
    assert book.sheetnames == ["项目", "绩效指标", "资金安排", "资金使用情况", "填写说明"]
    assert book.active.title == "项目"
    projects = book["项目"]
    headers = [cell.value for cell in projects[1]]
    assert headers[:8] == [
        "年度",
        "项目名称",
        "主管部门",
        "实施单位",
        "金额单位",
        "舍入规则",
        "评分规则",
        "项目资金分值",
    ]
    for source in ("当年财政拨款", "上年结转资金", "其他资金"):
        for column in ("年初预算数", "全年预算数", "全年执行数"):
            assert f"{source}·{column}" in headers
    for header in (
        "执行率",
        "资金得分",
        "总分",
        "评分等级",
        "预期目标",
        "实际完成情况",
        "项目概况",
        "财政资金级次",
    ):
        assert header in headers
    for header in (
        "项目总目标",
        "项目实施计划",
        "对项目管理及实施的建议",
        "对完善制度保障的建议",
        "对以后年度项目预算安排的建议",
        "备注",
    ):
        assert header in headers
    assert [cell.value for cell in book["绩效指标"][1]] == [
        "项目名称", "年度", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert projects.max_row == 1 and book["绩效指标"].max_row == 1


def test_headers_are_styled_frozen_and_columns_sized() -> None:
    book = template()
    for sheet in DATA_SHEETS:
        ws = book[sheet.name]
        assert ws.freeze_panes == "C2"
        for number, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=number)
            assert cell.font.b and cell.fill.fgColor.rgb.endswith("DDEBF7")
            assert (
                cell.font.color is not None and cell.font.color.rgb.endswith("C00000")
            ) == column.required
            assert ws.column_dimensions[cell.column_letter].width == column.width
    projects = book["项目"]
    assert projects.column_dimensions["B"].width == 34  # 项目名称
    assert projects.column_dimensions["Y"].width == 50  # 预期目标


def test_number_formats_on_columns_and_cells() -> None:
    book = load_workbook(io.BytesIO(write_workbook([minimal_data()])))
    projects, indicators = book["项目"], book["绩效指标"]
    formats = {
        cell.value: projects.cell(row=2, column=cell.column).number_format for cell in projects[1]
    }
    assert formats["当年财政拨款·全年执行数"] == "#,##0.00"
    assert formats["执行率"] == formats["项目资金分值"] == formats["总分"] == "0.00"
    assert formats["年度"] == "0" and formats["预期目标"] == "@"
    assert projects["K2"].value == 162.3 and projects["K2"].number_format == "#,##0.00"
    assert indicators["H2"].number_format == indicators["I2"].number_format == "0.00"
    assert indicators["F2"].value == "=4.00(项)" and indicators["F2"].data_type == "s"
    # columns carry the format too, so that new rows typed in get it
    assert template()["项目"].column_dimensions["I"].number_format == "#,##0.00"
    assert template()["绩效指标"].column_dimensions["F"].number_format == "@"


def validations(ws: Any) -> dict[str, Any]:
    return {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in ws.data_validations.dataValidation
    }


def test_drop_down_lists() -> None:
    book = template()
    projects, indicators = validations(book["项目"]), validations(book["绩效指标"])
    assert projects["E"].formula1 == '"万元,元"' and projects["E"].errorStyle == "stop"
    assert projects["F"].formula1 == '"标准,截断,四舍五入"'
    assert projects["G"].formula1 == '"财预〔2020〕10号,财预〔2021〕101号"'
    assert projects["AB"].formula1 == '"中央级,市级,区县级,乡镇级"'
    assert indicators["C"].formula1 == '"' + ",".join(LEVEL1_CHOICES) + '"'
    assert indicators["D"].formula1 == '"' + ",".join(LEVEL2_CHOICES) + '"'
    assert (
        indicators["C"].errorStyle == indicators["D"].errorStyle == "warning"
    )  # other names allowed
    for name in ("产出指标", "效益指标", "满意度指标", "成本指标", "产出目标"):
        assert name in LEVEL1_CHOICES
    seen = {
        row["二级指标"]
        for path in example_files()
        for s in load_file(path)
        for row in canonical_project(s.data)["绩效指标"]
    }
    assert seen <= set(LEVEL2_CHOICES)
    assert all(
        v.type == "list" and v.showDropDown is not True for v in (projects["E"], indicators["C"])
    )
    assert str(projects["E"].sqref) == "E2:E1048576"
    assert (
        validations(book["资金安排"])["C"].formula1 == '"预算安排,项目实际投入,资金到位,实际支出"'
    )
    assert projects["I"].type == "decimal" and projects["A"].type == "whole"


def test_the_bytes_are_deterministic() -> None:
    projects = [s.data for s in load_file(SEED001)]
    first = write_workbook(projects)
    assert write_workbook(projects) == first
    assert write_workbook(None) == write_workbook([])
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2


def test_the_seed001_workbook_is_current() -> None:
    """data/ holds seed 001 as a workbook too: `docgen convert` of the YAML, 13 projects."""
    assert models(SEED001_WORKBOOK) == models(SEED001)
    assert len(load_workbook_projects(SEED001_WORKBOOK)) == 13
    with using_language("zh"):  # the example is a Chinese clerk's workbook
        current = write_workbook([s.data for s in load_file(SEED001)])
    assert SEED001_WORKBOOK.read_bytes() == current, (
        "regenerate it: docgen convert data/seed001_minhang_weijian_2023.yaml -o "
        "data/seed001_minhang_weijian_2023.xlsx"
    )
