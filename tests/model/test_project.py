from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from docgen.model.project import ZERO_LINE, Project, Rounding, Scoring
from docgen.model.schema import project_schema
from tests.conftest import MINIMAL, checked

NESTED = (
    MINIMAL.split("绩效指标:")[0]
    + """绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 系统维护数量, 年度指标值: "=4.00(项)", 实际完成值: "4.00(项)", 分值: 50, 得分: 50}
  效益指标:
    社会效益指标:
      - {三级指标: 系统支撑情况, 年度指标值: 保障, 实际完成值: 达成指标, 分值: 40, 得分: 40}
"""
)

ENGLISH = """\
year: 2024
name: 信息化运维项目
department: 上海市医疗保障局
implementing_unit: 上海市医疗保障局监督检查所
funds:
  weight: 10
  current: {initial: 326.01, budget: 326.01, executed: 162.30}
goals: {expected: 保障系统正常运行。, actual: 系统运行正常。}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 系统维护数量,
     target: "=4.00(项)", actual: "4.00(项)", weight: 50, score: 50}
  - {level1: 效益指标, level2: 社会效益指标, name: 系统支撑情况,
     target: 保障, actual: 达成指标, weight: 40, score: 40}
"""


def test_nested_indicators_give_the_same_project_as_flat_rows() -> None:
    assert checked(NESTED).project == checked(MINIMAL).project


def test_english_names_give_the_same_project_as_chinese_labels() -> None:
    assert checked(ENGLISH).project == checked(MINIMAL).project


def test_amounts_are_exact_decimals_as_typed() -> None:
    project = checked().project
    assert project is not None
    assert project.funds.current.executed == Decimal("162.30")
    assert isinstance(project.funds.current.executed, Decimal)


def test_omitted_sources_are_zero_and_unit_defaults_to_wanyuan() -> None:
    project = checked().project
    assert project is not None
    assert project.funds.carryover == ZERO_LINE
    assert project.funds.other == ZERO_LINE
    assert project.amount_unit == "万元"


def test_omitted_score_means_full_marks() -> None:
    result = checked(MINIMAL.replace(", 得分: 50}", "}"))
    assert result.project is not None and result.project.indicators[0].score is None
    assert result.evaluation is not None
    assert result.evaluation.indicator_scores[0] == Decimal(50)


def test_dump_by_alias_uses_the_forms_labels() -> None:
    project = checked().project
    assert project is not None
    dumped = project.model_dump()
    assert list(dumped)[:4] == ["年度", "项目名称", "主管部门", "实施单位"]
    assert dumped["绩效指标"][0]["三级指标"] == "系统维护数量"


@pytest.mark.parametrize(
    ("spelling", "rounding"),
    [
        ("标准", Rounding.STANDARD),
        ("standard", Rounding.STANDARD),
        ("截断", Rounding.TRUNCATE),
        ("truncate", Rounding.TRUNCATE),
        ("四舍五入", Rounding.HALF_UP),
        ("half-up", Rounding.HALF_UP),
    ],
)
def test_rounding_accepts_chinese_and_english_names(spelling: str, rounding: Rounding) -> None:
    assert Rounding(spelling) is rounding


def test_unknown_key_is_rejected() -> None:
    with pytest.raises(ValidationError, match="项目名城"):
        Project.model_validate({"项目名城": "x"})


@pytest.mark.parametrize("key", ["评分规则", "scoring"])
@pytest.mark.parametrize("spelling", [*Scoring.CZY_2020_10.spellings, "财预（2020）10号"])
def test_scoring_is_read_in_any_spelling_and_kept_official(key: str, spelling: str) -> None:
    item = checked(MINIMAL.replace("项目资金:", f"{key}: {spelling}\n项目资金:", 1))
    assert item.project is not None and item.project.scoring is Scoring.CZY_2020_10
    assert item.project.model_dump()["评分规则"] == "财预〔2020〕10号"


def test_an_unknown_scoring_is_a_located_error_naming_the_valid_ones() -> None:
    item = checked(MINIMAL.replace("项目资金:", "评分规则: 财预〔2020〕11号\n项目资金:", 1))
    assert [str(f) for f in item.findings] == [
        "test.yaml:5: error: 评分规则: unknown 评分规则 '财预〔2020〕11号'; use 财预〔2020〕10号 "
        "(czy2020-10) or 财预〔2021〕101号 (czy2021-101)"
    ]


def test_the_schema_offers_every_spelling_of_the_rule_sets() -> None:
    schema = project_schema()
    assert schema["$defs"]["Scoring"]["enum"] == [
        "财预〔2020〕10号", "财预[2020]10号", "财预(2020)10号", "czy2020-10",
        "财预〔2021〕101号", "财预[2021]101号", "财预(2021)101号", "czy2021-101",
    ]  # fmt: skip
    properties = schema["$defs"]["Project"]["properties"]
    assert properties["评分规则"]["anyOf"][0] == {"$ref": "#/$defs/Scoring"}
    assert properties["scoring"]["anyOf"][0] == {"$ref": "#/$defs/Scoring"}
