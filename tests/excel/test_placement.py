"""Placing projects in rows: the form's labels and order, and values with no place refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docgen.convert import convert
from docgen.errors import InputError
from docgen.excel.placement import canonical_project
from docgen.excel.writer import write_workbook
from tests.conftest import MINIMAL
from tests.excel.books import (
    minimal_data,
    models,
)


def test_english_names_and_nested_indicators_become_the_forms_labels(tmp_path: Path) -> None:
    data = {
        "name": "信息化运维项目",
        "year": 2024,
        "department": "上海市医疗保障局",
        "implementing_unit": "监督检查所",
        "funds": {"current": {"initial": 1, "budget": 1, "executed": 1}},
        "goals": {"expected": "a", "actual": "b"},
        "indicators": {
            "产出指标": {"数量指标": [{"name": "x", "target": "1", "actual": "1", "weight": 90}]}
        },
    }
    assert list(canonical_project(data)) == [
        "年度",
        "项目名称",
        "主管部门",
        "实施单位",
        "项目资金",
        "年度总体目标",
        "绩效指标",
    ]
    assert canonical_project(data)["绩效指标"] == [
        {
            "一级指标": "产出指标",
            "二级指标": "数量指标",
            "三级指标": "x",
            "年度指标值": "1",
            "实际完成值": "1",
            "分值": 90,
        }
    ]
    (tmp_path / "p.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    convert(tmp_path / "p.json", tmp_path / "p.xlsx")
    assert models(tmp_path / "p.xlsx") == models(tmp_path / "p.json")


def test_a_value_without_a_column_is_refused_with_its_place(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text(MINIMAL + "备 注: 说明\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        convert(source, tmp_path / "p.xlsx")
    message = str(caught.value)
    assert message.startswith(f"{source}:16: 备 注: this value has no column in the workbook")
    assert "hint: " in message and not (tmp_path / "p.xlsx").exists()
    convert(source, tmp_path / "p.json")  # the text formats keep it
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["备 注"] == "说明"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"项目资金": 5}, "项目资金: expected fields or rows here"),
        ({"主管部门": "a\x01b"}, "主管部门: the text holds control characters"),
        ({"主管部门": ["a"]}, "主管部门: expected one value for 主管部门, got a list"),
        ({"主管部门": "长" * 40000}, "主管部门: text longer than 32,767 characters"),
    ],
)
def test_values_a_cell_cannot_hold_are_refused(change: dict[str, Any], message: str) -> None:
    data = minimal_data()
    data.update(change)
    with pytest.raises(InputError) as caught:
        write_workbook([data])
    assert str(caught.value).startswith(message)


def test_projects_the_workbook_could_not_tell_apart_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="appears twice"):
        write_workbook([minimal_data(), minimal_data()])
    nameless = minimal_data()
    del nameless["项目名称"]
    with pytest.raises(InputError, match="without 项目名称 cannot keep its 绩效指标 rows"):
        write_workbook([nameless])
    other_year = minimal_data()
    other_year["年度"] = 2023
    write_workbook([minimal_data(), other_year])  # different years: fine
