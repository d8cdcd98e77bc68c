from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.sources.loader import load_text
from tests.commands import run_docgen
from tests.conftest import MINIMAL, checked


def errors(text: str) -> list[str]:
    return [str(f) for f in checked(text, "p.yaml").errors]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("项目名称: 信息化运维项目\n", "", "p.yaml:1: error: 项目名称: 项目名称 is missing; add 项目名称: …"),
        ("项目名称: 信息化运维项目", "项目名称: ''", "p.yaml:2: error: 项目名称: 项目名称 is empty; fill it in"),
        ("项目名称:", "项目名城:", "p.yaml:2: error: 项目名城: unknown key '项目名城'; did you mean '项目名称'?"),
        ("全年执行数: 162.30", "全年执行数: 一百", "p.yaml:7: error: 项目资金.当年财政拨款.全年执行数: expected a number, got '一百'; write digits only, e.g. 326.01"),
        ("全年执行数: 162.30", "全年执行数: -5", "p.yaml:7: error: 项目资金.当年财政拨款.全年执行数: 全年执行数 must be at least 0, got -5"),
        ("年度: 2024", "年度: 二〇二四", "p.yaml:1: error: 年度: expected a number, got '二〇二四'; write digits only, e.g. 326.01"),
        ("分值: 50, 得分: 50}", "分值: 50, 得分: 满分}", "p.yaml:13: error: 绩效指标[0].得分: expected a number, got '满分'; write digits only, e.g. 326.01"),
    ],
)  # fmt: skip
def test_bad_values_are_located_and_explained(old: str, new: str, expected: str) -> None:
    assert MINIMAL.count(old) >= 1
    assert expected in errors(MINIMAL.replace(old, new, 1))


def test_errors_in_nested_indicators_point_at_the_nested_row() -> None:
    text = (
        MINIMAL.split("绩效指标:")[0]
        + """绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 甲, 年度指标值: 好, 实际完成值: 好, 分值: 50}
      - {三级指标: 乙, 年度指标值: 好, 实际完成值: 好, 分值: 四十}
"""
    )
    (message,) = errors(text)
    assert message.startswith(
        "p.yaml:15: error: 绩效指标.产出指标.数量指标[1].分值: expected a number"
    )


def test_a_project_that_is_not_a_mapping_is_reported() -> None:
    assert errors("- just text\n") == [
        "p.yaml:1: error: a project must be a mapping of keys (年度, 项目名称, …), not the value 'just text'"
    ]


def test_amount_unit_must_be_wanyuan_or_yuan() -> None:
    (message,) = errors("金额单位: 千元\n" + MINIMAL)
    # The place, the field and the values allowed; the wording of the sentence is pydantic's.
    assert message.startswith("p.yaml:1: error: 金额单位: ")
    assert "'万元'" in message and "'元'" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("分值: 50, 得分: 50}", "分值: 50, 得分: 49.995}", "绩效指标[0].得分: 得分 49.995 has more than two decimals; the form prints two, round it"),
        ("分值: 10\n", "分值: -10\n", "项目资金.分值: 分值 must be at least 0, got -10"),
        ("全年执行数: 162.30", "全年执行数: 1e30", "全年执行数 must be at most 1,000,000,000,000,000, got 1E+30"),
        ("全年执行数: 162.30", "全年执行数: .nan", "全年执行数 must be a finite number, got NaN"),
    ],
)  # fmt: skip
def test_numbers_outside_the_forms_range_are_refused(old: str, new: str, expected: str) -> None:
    assert any(expected in message for message in errors(MINIMAL.replace(old, new, 1)))


ENGLISH = """\
year: 2024
name: 信息化运维项目
department: 上海市医疗保障局
implementing_unit: 上海市医疗保障局监督检查所
funds:
  weight: 10
  current: {initial: 326.01, budget: 326.01, executed: 162.30}
  stated_total: {initial: 1, budget: 326.01, executed: 162.30}
goals:
  expected: 保障系统正常运行。
  actual: 系统运行正常。
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 系统维护数量,
     target: "=4.00(项)", actual: "4.00(项)", weight: 50, score: 50}
  - level1: 效益指标
    level2: 社会效益指标
    name: 系统支撑情况
    target: 保障
    actual: [达成指标]
    weight: 40
    score: 40
stated_total: 99
"""


def test_english_keys_are_located_in_their_own_model(tmp_path: Path) -> None:
    # stated_total, actual and name each stand for different labels in different models.
    (tmp_path / "en.yaml").write_text(ENGLISH, encoding="utf-8")
    result = run_docgen("check", "en.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("en.yaml:19: error: 绩效指标[1].实际完成值:")
    fixed = ENGLISH.replace("actual: [达成指标]", "actual: 达成指标")
    (tmp_path / "en.yaml").write_text(fixed, encoding="utf-8")
    lines = run_docgen("check", "en.yaml", cwd=tmp_path).stderr.splitlines()
    assert any(  # a stated total that disagrees with its sources is printed as stated: a warning
        line.startswith("en.yaml:8: warning: 项目资金.年度资金总额.年初预算数:") for line in lines
    )
    assert any(line.startswith("en.yaml:22: error: 总分: stated 99") for line in lines)


def test_a_did_you_mean_comes_from_the_keys_of_that_place() -> None:
    (message,) = errors(MINIMAL.replace("  分值: 10\n", "  分值: 10\n  全年执行: 1\n", 1))
    assert "unknown key '全年执行'" in message
    # 全年执行数 is a key of a fund line, not of 项目资金 itself, where the key stands.
    assert "did you mean '执行率'" in message
    (message,) = errors(MINIMAL.replace("  预期目标:", "  实际完成值: x\n  预期目标:", 1))
    assert "did you mean '实际完成情况'" in message


@pytest.mark.parametrize(
    ("old", "new", "field", "length", "limit"),
    [
        (
            "实际完成情况: 系统运行正常。",
            "实际完成情况: " + "长" * 10_000_000,
            "年度总体目标.实际完成情况",
            "10,000,000",
            "20,000",
        ),
        (
            "实际完成情况: 系统运行正常。",
            "实际完成情况: " + "长" * 20_001,
            "年度总体目标.实际完成情况",
            "20,001",
            "20,000",
        ),
        ("三级指标: 系统维护数量", "三级指标: " + "名" * 501, "绩效指标[0].三级指标", "501", "500"),
    ],
)
def test_a_text_too_long_for_the_form_is_a_located_error_that_does_not_echo_it(
    tmp_path: Path, old: str, new: str, field: str, length: str, limit: str
) -> None:
    (tmp_path / "big.yaml").write_text(MINIMAL.replace(old, new), encoding="utf-8")
    result = run_docgen("check", "big.yaml", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("big.yaml:") and f": error: {field}: " in first
    assert f"is {length} characters long; at most {limit} fit the form" in first
    assert len(result.stderr) < 1000


def test_text_at_the_limit_renders(tmp_path: Path) -> None:
    text = MINIMAL.replace("实际完成情况: 系统运行正常。", "实际完成情况: " + "长" * 20_000)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "-o", "out", "--kind", "自评表", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_json_escapes_xml_cannot_carry_still_render(tmp_path: Path) -> None:
    (source,) = load_text(MINIMAL)
    data = dict(source.data)
    data["年度总体目标"] = {"预期目标": "保障\u0001运行", "实际完成情况": "正常\ud800&#1;"}
    text = json.dumps(data, ensure_ascii=True, default=str)
    (tmp_path / "p.json").write_text(text, encoding="utf-8")
    result = run_docgen("render", "p.json", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2
