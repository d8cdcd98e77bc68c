"""YAML and JSON → .xlsx → YAML and JSON: the writer and the reader keep every project."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.convert import convert, to_json
from docgen.excel.reader import load_workbook_projects
from tests.conftest import MINIMAL, example_files
from tests.excel.books import (
    models,
    tricky_project,
)


@pytest.mark.parametrize("example", example_files(), ids=lambda p: p.stem)
def test_yaml_to_xlsx_to_yaml_keeps_every_project(example: Path, tmp_path: Path) -> None:
    convert(example, tmp_path / "p.xlsx")
    convert(tmp_path / "p.xlsx", tmp_path / "p.yaml")
    assert models(tmp_path / "p.yaml") == models(example)
    convert(tmp_path / "p.yaml", tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "p.xlsx").read_bytes()


@pytest.mark.parametrize("example", example_files(), ids=lambda p: p.stem)
def test_json_round_trips_too(example: Path, tmp_path: Path) -> None:
    convert(example, tmp_path / "p.json")
    convert(tmp_path / "p.json", tmp_path / "p.xlsx")
    convert(tmp_path / "p.xlsx", tmp_path / "back.json")
    assert models(tmp_path / "back.json") == models(example)
    convert(tmp_path / "p.json", tmp_path / "p.yaml")
    assert models(tmp_path / "p.yaml") == models(example)


def test_values_that_are_easy_to_lose_survive(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(to_json([tricky_project()]), encoding="utf-8")
    original = models(tmp_path / "p.json")
    convert(tmp_path / "p.json", tmp_path / "p.xlsx")
    (source,) = load_workbook_projects(tmp_path / "p.xlsx")
    other = source.data["项目资金"]["其他资金"]
    assert other["年初预算数"] == Decimal("999999999999999.99") and other["全年预算数"] == 10**15
    assert (
        source.data["自评报告"]["未完成原因"] == ""
        and source.data["自评报告"]["未完成的指标"] == []
    )
    assert source.data["绩效指标"][1]["偏差原因分析及改进措施"] == ""
    convert(tmp_path / "p.xlsx", tmp_path / "p.yaml")
    assert models(tmp_path / "p.yaml") == original
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "年初预算数: 999999999999999.99" in text and "实际完成值: '7'" in text
    assert "年度指标值: '1e3'" in text and "评价等级: '0o17'" in text


@pytest.mark.parametrize("spelling", ["财预〔2021〕101号", "czy2021-101"])
def test_the_rule_set_round_trips_through_the_workbook(spelling: str, tmp_path: Path) -> None:
    text = MINIMAL.replace("项目资金:", f"评分规则: {spelling}\n项目资金:", 1)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    convert(tmp_path / "p.yaml", tmp_path / "p.xlsx")
    sheet = load_workbook(tmp_path / "p.xlsx")["项目"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("评分规则") + 1).value == spelling
    convert(tmp_path / "p.xlsx", tmp_path / "back.yaml")
    (project,) = models(tmp_path / "back.yaml")
    assert project.scoring is not None and project.scoring.value == "财预〔2021〕101号"
    assert models(tmp_path / "back.yaml") == models(tmp_path / "p.yaml")
