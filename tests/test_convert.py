"""Converting projects between YAML and JSON: block style, the form's order, exact numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docgen.convert import convert, to_json, to_yaml
from docgen.errors import OutputError
from docgen.excel.placement import canonical_project
from docgen.sources.loader import load_file, load_text
from tests.excel.books import SEED001, minimal_data


def test_yaml_is_block_style_in_the_forms_order_with_exact_numbers() -> None:
    data = minimal_data()
    data["年度总体目标"]["实际完成情况"] = "第一段。\n第二段。"
    shuffled = {key: data[key] for key in reversed(list(data))}
    text = to_yaml([canonical_project(shuffled)])
    assert text.startswith("年度: 2024\n项目名称: 信息化运维项目\n主管部门: 上海市医疗保障局\n")
    assert "    全年执行数: 162.30\n" in text
    assert "  实际完成情况: |-\n    第一段。\n    第二段。\n" in text
    assert "绩效指标:\n  - 一级指标: 产出指标\n    二级指标: 数量指标\n" in text
    assert "年度指标值: '=4.00(项)'" in text and "{" not in text
    (again,) = load_text(text)
    assert again.data == canonical_project(data)


def test_several_projects_are_several_yaml_documents_or_a_json_list() -> None:
    projects = [s.data for s in load_file(SEED001)]
    documents = to_yaml([canonical_project(p) for p in projects])
    assert documents.count("\n---\n") == 12
    assert [s.data for s in load_text(documents)] == [canonical_project(p) for p in projects]
    listing = to_json([canonical_project(p) for p in projects])
    assert listing.startswith('[\n  {\n    "年度": 2023,\n    "项目名称": "卫生银联专线",')
    assert '"全年执行数": 131.01' in listing and "\\u" not in listing
    assert [s.data for s in load_text(listing, "x.json")] == [
        canonical_project(p) for p in projects
    ]


def test_json_writes_decimals_as_numbers_exactly() -> None:
    text = to_json(
        [
            {
                "a": Decimal("162.30"),
                "b": [],
                "c": {},
                "d": None,
                "e": True,
                "f": '引号"',
                "g": Decimal("1E+2"),
            }
        ]
    )
    assert (
        text
        == '{\n  "a": 162.30,\n  "b": [],\n  "c": {},\n  "d": null,\n  "e": true,\n  "f": "引号\\"",\n  "g": 100\n}\n'
    )


def test_an_unknown_output_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"cannot write \.txt"):
        convert(SEED001, tmp_path / "p.txt")
