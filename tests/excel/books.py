"""Workbooks for the tests: made by hand cell by cell, or written by docgen and then edited."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from docgen.convert import read_projects
from docgen.errors import InputError
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.model.project import Project
from docgen.sources.loader import load_text
from docgen.sources.validate import to_project
from tests.conftest import DATA, MINIMAL

SEED001 = DATA / "seed001_minhang_weijian_2023.yaml"
SEED001_WORKBOOK = DATA / "seed001_minhang_weijian_2023.xlsx"


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


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_workbook_projects(path)
    return str(caught.value)


def models(path: Path) -> list[Project]:
    result = []
    for source in read_projects(path):
        project, findings = to_project(source)
        assert project is not None, findings
        result.append(project)
    return result


def template() -> Any:
    return load_workbook(io.BytesIO(write_workbook(None)))


def tricky_project() -> Any:
    data = minimal_data()
    data["项目资金"]["其他资金"] = {
        "年初预算数": Decimal("999999999999999.99"),
        "全年预算数": 10**15,
        "全年执行数": Decimal("0.10"),
    }
    data["年度总体目标"]["实际完成情况"] = "第一段。\n第二段，  两个空格。\n"
    data["绩效指标"][1]["偏差原因分析及改进措施"] = ""
    data["绩效指标"][1]["实际完成值"] = "7"
    data["绩效指标"][0]["年度指标值"] = "1e3"
    data["自评报告"] = {
        "项目概况": '<p>a < b & "c"</p>',
        "未完成的指标": [],
        "完成的指标": ["预算执行率", "系统维护数量"],
        "未完成原因": "",
        "资金安排": {
            k: {"市级": 1, "社会资本": Decimal("2.50")}
            for k in ("预算安排", "项目实际投入", "资金到位", "实际支出")
        },
        "资金使用情况": [
            {
                "项目支出内容": "开发",
                "财政资金支出数": Decimal("1316006.97"),
                "财政资金专款专用数": 0,
            }
        ],
        "评价等级": "0o17",
    }
    return data
