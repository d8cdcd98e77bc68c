"""The data-entry workbook, and converting projects between YAML, JSON and .xlsx."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from docgen.convert import convert, read_projects, to_json, to_yaml
from docgen.errors import InputError, OutputError
from docgen.excel.layout import DATA_SHEETS, GUIDE_SHEET, LEVEL1_CHOICES, LEVEL2_CHOICES
from docgen.excel.placement import canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.model.project import Project
from docgen.pdf import find_soffice
from docgen.sources.loader import load_file, load_text
from docgen.sources.validate import to_project
from tests.conftest import DATA, MINIMAL, example_files

SEED001 = DATA / "seed001_minhang_weijian_2023.yaml"
SEED001_WORKBOOK = DATA / "seed001_minhang_weijian_2023.xlsx"


def models(path: Path) -> list[Project]:
    result = []
    for source in read_projects(path):
        project, findings = to_project(source)
        assert project is not None, findings
        result.append(project)
    return result


def template() -> Any:
    return load_workbook(io.BytesIO(write_workbook(None)))


def minimal_data() -> Any:
    (source,) = load_text(MINIMAL)
    return source.data


# --- the template -------------------------------------------------------------------------


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


def test_the_guide_explains_every_column() -> None:
    ws = template()[GUIDE_SHEET]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    described = {
        (row[0], row[2]): row[5] for row in rows if row[0] in {s.name for s in DATA_SHEETS}
    }
    for sheet in DATA_SHEETS:
        for column in sheet.columns:
            assert column.note in described[sheet.name, column.header]
    text = "\n".join(str(row[0]) for row in rows if row[0])
    assert '=""' in text and "绩效指标!I14" in text and "项目名称" in text


def test_the_bytes_are_deterministic() -> None:
    projects = [s.data for s in load_file(SEED001)]
    first = write_workbook(projects)
    assert write_workbook(projects) == first
    assert write_workbook(None) == write_workbook([])
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2


# --- round trips --------------------------------------------------------------------------


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


def test_the_seed001_workbook_is_current() -> None:
    """data/ holds seed 001 as a workbook too: `docgen convert` of the YAML, 13 projects."""
    assert models(SEED001_WORKBOOK) == models(SEED001)
    assert len(load_workbook_projects(SEED001_WORKBOOK)) == 13
    current = write_workbook([s.data for s in load_file(SEED001)])
    assert SEED001_WORKBOOK.read_bytes() == current, (
        "regenerate it: docgen convert data/seed001_minhang_weijian_2023.yaml -o "
        "data/seed001_minhang_weijian_2023.xlsx"
    )


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


# --- the text formats ---------------------------------------------------------------------


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


# --- refusals -----------------------------------------------------------------------------


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


def test_an_unknown_output_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"cannot write \.txt"):
        convert(SEED001, tmp_path / "p.txt")


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
