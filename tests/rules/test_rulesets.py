"""The named rule sets score every branch as 财预〔2020〕10号 and 财预〔2021〕101号 say.

Every expected figure is computed by hand in the comment beside it.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from docgen.errors import InputError
from docgen.model.project import Indicator, Rounding, Scoring
from docgen.pipeline import check_file, check_source
from docgen.rules.evaluate import RuleOptions
from docgen.rules.rulesets import (
    DEFAULT,
    TYPED,
    project_weights,
    qualitative_reached,
    score_funds,
    score_indicator,
    scoring_named,
)
from tests.conftest import DATA, MINIMAL, checked

R10, R101 = Scoring.CZY_2020_10, Scoring.CZY_2021_101


def row(
    target: str,
    actual: str,
    weight: str = "10",
    score: str | None = None,
    level1: str = "产出指标",
    deviation: str = "",
) -> Indicator:
    return Indicator(
        level1=level1,
        level2="数量指标",
        name="指标",
        target=target,
        actual=actual,
        weight=D(weight),
        score=None if score is None else D(score),
        deviation=deviation,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("财预〔2020〕10号", R10), ("财预[2020]10号", R10), ("财预(2020)10号", R10),
     ("财预（2020）10号", R10), ("财预【2020】10号", R10), (" 财预〔2020〕 10号 ", R10),
     ("czy2020-10", R10), ("CZY2020-10", R10),
     ("财预〔2021〕101号", R101), ("财预[2021]101号", R101), ("czy2021-101", R101)],
)  # fmt: skip
def test_rule_sets_are_found_by_any_spelling(name: str, expected: Scoring) -> None:
    assert scoring_named(name) is expected
    assert Scoring(name) is expected


@pytest.mark.parametrize("name", ["10号", "财预〔2020〕11号", "czy2022-1", ""])
def test_an_unknown_rule_set_names_the_valid_ones(name: str) -> None:
    with pytest.raises(InputError) as caught:
        scoring_named(name)
    assert caught.value.message == f"unknown 评分规则 {name!r}"
    assert caught.value.hint == (
        "use 财预〔2020〕10号 (czy2020-10) or 财预〔2021〕101号 (czy2021-101)"
    )


# 财预〔2020〕10号 第十六条: met → 分值; missed → 分值 × 完成值/指标值 (≥ = >),
# 分值 × 指标值/完成值 (≤ <), at most 分值.
TEN = [
    ("≥300.00(人次)", "56.00(人次)", "4", "0.75"),  # seed 002: 4 × 56/300 = 0.7466…
    ("≥300.00(人次)", "300.00(人次)", "4", "4.00"),  # met exactly
    ("≥300.00(人次)", "310.00(人次)", "4", "4.00"),  # exceeded: full, no more
    ("≥10.00(个)", "0.00(个)", "3", "0.00"),  # seed 002: 3 × 0/10
    ("=4.00(项)", "4.00(项)", "5", "5.00"),  # met
    ("=4.00(项)", "3.00(项)", "5", "3.75"),  # 5 × 3/4
    ("=100.00(%)", "105.00(%)", "10", "10.00"),  # 10 × 105/100 = 10.5, capped at 分值
    (">90(%)", "95(%)", "10", "10.00"),  # met
    (">90(%)", "81(%)", "10", "9.00"),  # 10 × 81/90
    (">90(%)", "90(%)", "10", "10.00"),  # missed by equality: 10 × 90/90
    ("≤15(工作日)", "12(工作日)", "10", "10.00"),  # met
    ("≤15(工作日)", "20(工作日)", "10", "7.50"),  # lower is better: 10 × 15/20
    ("≤15(工作日)", "0(工作日)", "10", "10.00"),  # met
    ("<0.05(%)", "0.01(%)", "6", "6.00"),  # met
    ("<0.05(%)", "0.08(%)", "6", "3.75"),  # 6 × 0.05/0.08
    ("<0.05(%)", "0.05(%)", "6", "6.00"),  # missed by equality: 6 × 0.05/0.05
    ("=0(起)", "2(起)", "5", "0.00"),  # 完成值/0 cannot be computed: 0
    ("≥90(%)", "85(%)", "10", "9.44"),  # 10 × 85/90 = 9.444…; 满意度 is not banded under 10号
    ("≥3(次)", "2(次)", "5", "3.33"),  # 5 × 2/3 = 3.333…
    ("≥3(次)", "1(次)", "5", "1.67"),  # 5 × 1/3 = 1.666… rounded half-up
]


@pytest.mark.parametrize(("target", "actual", "weight", "expected"), TEN)
def test_ten_scores_in_proportion(target: str, actual: str, weight: str, expected: str) -> None:
    scored = score_indicator(row(target, actual, weight), R10)
    assert (scored.points, scored.rule) == (D(expected), "财预〔2020〕10号")
    assert scored.points.as_tuple().exponent == -2  # two decimals, as printed
    assert scored.clause.startswith("第十六条：")


# 财预〔2021〕101号 三（七）: 完成率 < 60 % → 0, else (完成率 − 60 %)/(1 − 60 %) × 分值, ≤ 分值.
HUNDRED_ONE = [
    ("≥100(次)", "50(次)", "10", "0.00"),  # 50 %: below 60 %
    ("≥100(次)", "59.99(次)", "10", "0.00"),  # just below
    ("≥100(次)", "60(次)", "10", "0.00"),  # 60 %: (0.6 − 0.6)/0.4 × 10 = 0
    ("≥100(次)", "61(次)", "3", "0.08"),  # 0.01/0.4 × 3 = 0.075, half-up
    ("≥100(次)", "70(次)", "10", "2.50"),  # 0.1/0.4 × 10
    ("≥100(次)", "90(次)", "10", "7.50"),  # 0.3/0.4 × 10
    ("≥100(次)", "100(次)", "10", "10.00"),  # met
    ("≥100(次)", "120(次)", "10", "10.00"),  # 1.2: (0.6/0.4) × 10 = 15, capped at 分值
    ("≥300.00(人次)", "56.00(人次)", "4", "0.00"),  # seed 002: 18.67 %
    ("=4.00(项)", "3.00(项)", "5", "1.88"),  # 75 %: 0.15/0.4 × 5 = 1.875
    (">90(%)", "81(%)", "10", "7.50"),  # 90 %: 0.3/0.4 × 10
    ("≤15(工作日)", "20(工作日)", "10", "3.75"),  # 15/20 = 75 %: 0.15/0.4 × 10
    ("≤15(工作日)", "30(工作日)", "10", "0.00"),  # 15/30 = 50 %
    ("≤15(工作日)", "0(工作日)", "10", "10.00"),  # met (指标值/0 not needed)
    ("<0.05(%)", "0.08(%)", "6", "0.38"),  # 62.5 %: 0.025/0.4 × 6 = 0.375, half-up
    ("=0(起)", "2(起)", "5", "0.00"),  # cannot be computed and missed: 0
]


@pytest.mark.parametrize(("target", "actual", "weight", "expected"), HUNDRED_ONE)
def test_hundred_one_scores_the_completion_rate(
    target: str, actual: str, weight: str, expected: str
) -> None:
    scored = score_indicator(row(target, actual, weight), R101)
    assert (scored.points, scored.rule) == (D(expected), "财预〔2021〕101号")
    assert scored.clause.startswith("三（七）：")


# 101号: 满意度指标 by the satisfaction rate itself: ≥ 90 % all, [80, 90) 80 %, [60, 80) 50 %.
@pytest.mark.parametrize(
    ("actual", "weight", "expected"),
    [("95.00(%)", "10", "10.00"), ("90.00(%)", "10", "10.00"), ("89.99(%)", "10", "8.00"),
     ("80(%)", "10", "8.00"), ("79.99(%)", "10", "5.00"), ("60(%)", "10", "5.00"),
     ("59.99(%)", "10", "0.00"), ("0(%)", "10", "0.00"),
     ("85%", "3", "2.40")],  # 3 × 80 %
)  # fmt: skip
def test_hundred_one_scores_satisfaction_in_bands(actual: str, weight: str, expected: str) -> None:
    scored = score_indicator(row("≥95(%)", actual, weight, level1="满意度指标"), R101)
    assert scored.points == D(expected)
    assert "满意度" in scored.clause


def test_satisfaction_that_is_not_a_percentage_is_scored_by_its_completion_rate() -> None:
    # 8 of ≥10 分: 80 % completion, (0.8 − 0.6)/0.4 × 10 = 5
    scored = score_indicator(row("≥10(分)", "8(分)", "10", level1="满意度指标"), R101)
    assert scored.points == D("5.00")


# 101号: 预算执行率 in bands: 100 % all, [80, 100) 70 %, [60, 80) 50 %, below 0.
@pytest.mark.parametrize(
    ("rate", "weight", "expected"),
    [("100.00", "10", "10.00"), ("120.00", "10", "10.00"), ("99.99", "10", "7.00"),
     ("80.00", "10", "7.00"), ("79.99", "10", "5.00"), ("60.00", "10", "5.00"),
     ("59.99", "10", "0.00"), ("0.00", "10", "0.00"), ("85.00", "8", "5.60")],
)  # fmt: skip
def test_hundred_one_scores_the_funds_in_bands(rate: str, weight: str, expected: str) -> None:
    points, how = score_funds(D(weight), D(rate), Rounding.STANDARD, R101)
    assert points == D(expected)
    assert how.startswith(f"三（七）：预算执行率 {rate}%")


@pytest.mark.parametrize("scoring", [None, R10])
def test_without_a_set_and_under_ten_the_funds_score_weight_times_rate(
    scoring: Scoring | None,
) -> None:
    # seed 002: 10 × 49.78 % = 4.978 → 4.98 (标准), 4.97 (截断)
    assert score_funds(D(10), D("49.78"), Rounding.STANDARD, scoring)[0] == D("4.98")
    assert score_funds(D(10), D("49.78"), Rounding.TRUNCATE, scoring)[0] == D("4.97")


@pytest.mark.parametrize(
    ("target", "actual", "reached"),
    [("保障", "达成指标", True), ("及时", "及时", True), ("及时 (与合同要求一致)", "及时 (与合同要求一致)", True),
     ("完善", "已完成", True), ("合规", "达标", True), ("明显", "明显", True),
     ("完善", "部分达成", False), ("完善", "未达成", False), ("完善", "基本完成", False),
     ("完善", "没有实现", False), ("及时", "较及时", False), ("完善", "", False)],
)  # fmt: skip
def test_qualitative_reached_when_the_actual_says_so(
    target: str, actual: str, reached: bool
) -> None:
    assert qualitative_reached(target, actual) is reached


@pytest.mark.parametrize("scoring", [R10, R101])
def test_qualitative_indicators_under_a_rule_set(scoring: Scoring) -> None:
    reached = score_indicator(row("保障", "达成指标", "5"), scoring)
    assert (reached.points, reached.rule, reached.needs_score) == (D("5.00"), scoring.value, False)
    missed = score_indicator(row("完善", "部分达成", "5"), scoring)
    assert missed.needs_score and missed.rule == scoring.value
    typed = score_indicator(row("完善", "部分达成", "5", score="4"), scoring)
    assert (typed.points, typed.rule, typed.rule_points, typed.needs_score) == (
        D(4),
        TYPED,
        None,
        False,
    )


def test_without_a_rule_set_scores_are_typed_or_full_marks() -> None:
    assert score_indicator(row("≥300(人次)", "56(人次)", "4"), None) == score_indicator(
        row("≥300(人次)", "56(人次)", "4"), None
    )
    omitted = score_indicator(row("≥300(人次)", "56(人次)", "4"), None)
    assert (omitted.points, omitted.rule, omitted.rule_points) == (D(4), DEFAULT, None)
    typed = score_indicator(row("≥300(人次)", "56(人次)", "4", score="1"), None)
    assert (typed.points, typed.rule, typed.rule_points) == (D(1), TYPED, None)


def test_a_typed_score_keeps_the_rules_figure_beside_it() -> None:
    typed = score_indicator(row("≥300.00(人次)", "56.00(人次)", "4", score="1"), R10)
    assert (typed.points, typed.rule, typed.rule_points) == (D(1), TYPED, D("0.75"))


# --- the checks -------------------------------------------------------------------------


def findings(text: str, scoring: str | None = None) -> list[tuple[str, str, str]]:
    if scoring is not None:
        text = text.replace("项目资金:", f"评分规则: {scoring}\n项目资金:", 1)
    return [(f.severity.value, f.file or "", str(f)) for f in checked(text).findings]


def indicator(line: str, text: str = MINIMAL) -> str:
    """Return MINIMAL with its first indicator replaced by *line* (分值 50)."""
    first = (
        "  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 系统维护数量,\n"
        '     年度指标值: "=4.00(项)", 实际完成值: "4.00(项)", 分值: 50, 得分: 50}\n'
    )
    return text.replace(first, f"  - {{一级指标: 产出指标, 二级指标: 数量指标, {line}}}\n")


# MINIMAL's weights are 预算执行率 10 / 产出 50 / 效益 40: a weights warning under any set.
WEIGHTS_10 = "分值 by 一级指标 are 预算执行率 10 / 产出 50 / 效益 40 / 满意度 0"


def test_seed_002_typed_score_differs_from_the_rule_of_ten() -> None:
    items = list(check_file(DATA / "seed002_shanghai_yibao_2024.yaml", RuleOptions(scoring=R10)))
    messages = [str(f) for f in items[1].warnings if "绩效指标[6].得分" in str(f)]
    (message,) = messages
    assert message.endswith(
        "warning: 绩效指标[6].得分: 得分 1 differs from 0.75, the figure of 财预〔2020〕10号 "
        "(第十六条：未达到年度指标值，完成率 18.67%（完成值/指标值），按比例得分); use the "
        "rule's figure (or omit 得分 and docgen computes it), or check that the unit applied "
        "this rule set"
    )
    assert items[1].evaluation is not None
    assert items[1].evaluation.indicators[6].rule_points == D("0.75")


def test_an_omitted_score_is_computed_and_counted() -> None:
    text = indicator(
        '三级指标: 人次, 年度指标值: "≥300.00(人次)", 实际完成值: "56.00(人次)", 分值: 50, '
        "偏差原因分析及改进措施: 机构改革"
    )
    item = checked(text.replace("项目资金:", "评分规则: czy2020-10\n项目资金:", 1))
    assert item.evaluation is not None
    # 50 × 56/300 = 9.333… → 9.33; 总分 = 4.98 + 9.33 + 40
    assert item.evaluation.indicator_scores[0] == D("9.33")
    assert item.evaluation.total_score == D("54.31")
    assert [f.message for f in item.errors] == []


def test_a_computed_loss_without_reason_is_a_warning() -> None:
    text = indicator(
        '三级指标: 人次, 年度指标值: "≥300.00(人次)", 实际完成值: "56.00(人次)", 分值: 50'
    )
    messages = [m for _, _, m in findings(text, "czy2020-10")]
    assert any("40.67 point(s) lost on 人次 but no reason given" in m for m in messages)


def test_an_omitted_qualitative_score_not_reached_is_an_error() -> None:
    text = indicator("三级指标: 完善, 年度指标值: 完善, 实际完成值: 部分完善, 分值: 50")
    errors = [m for severity, _, m in findings(text, "czy2021-101") if severity == "error"]
    assert errors == [
        "test.yaml:13: error: 绩效指标[0].得分: 得分 is omitted, and 实际完成值 '部分完善' does "
        "not say that the target '完善' was reached; under 财预〔2021〕101号 a qualitative "
        "indicator scores 100–80 %, 80–60 % or 60–0 % of its 分值, which only the evaluator "
        "can judge; type the 得分 awarded"
    ]


def test_an_omitted_qualitative_score_reached_is_full_marks() -> None:
    text = indicator("三级指标: 完善, 年度指标值: 完善, 实际完成值: 达成指标, 分值: 50")
    item = checked(text.replace("项目资金:", "评分规则: czy2021-101\n项目资金:", 1))
    assert item.errors == []
    assert item.evaluation is not None and item.evaluation.indicator_scores[0] == D("50.00")


EMPTY = '""'


@pytest.mark.parametrize(
    ("actual", "deviation", "scoring", "warned"),
    [("197.00(张)", "", "czy2020-10", True),  # 197/150 = 131.33 %
     ("197.00(张)", "目标设定偏低，来年调整", "czy2020-10", False),
     ("194.00(张)", "", "czy2020-10", False),  # 129.33 %
     ("195.00(张)", "", "czy2021-101", True),  # 130 % exactly
     ("197.00(张)", "", None, False)],  # no rule set: no new warnings
)  # fmt: skip
def test_over_completion_asks_for_the_cause(
    actual: str, deviation: str, scoring: str | None, warned: bool
) -> None:
    text = indicator(
        f'三级指标: 张数, 年度指标值: "≥150.00(张)", 实际完成值: "{actual}", 分值: 50, '
        f"偏差原因分析及改进措施: {deviation or EMPTY}"
    )
    over = [m for _, _, m in findings(text, scoring) if "counts as far exceeded" in m]
    assert bool(over) is warned
    if warned:
        rate = "131.33" if actual.startswith("197") else "130.00"
        assert f"绩效指标[0].实际完成值: 实际完成值 '{actual}' is {rate}% of 年度指标值" in over[0]
        assert over[0].endswith("; explain it in 偏差原因分析及改进措施")


def test_over_completion_of_a_ceiling_is_its_inverse() -> None:
    # ≤15 工作日 done in 10: 15/10 = 150 %
    text = indicator(
        '三级指标: 时效, 年度指标值: "≤15(工作日)", 实际完成值: "10(工作日)", 分值: 50'
    )
    over = [m for _, _, m in findings(text, "czy2020-10") if "counts as far exceeded" in m]
    assert len(over) == 1 and "is 150.00% of 年度指标值 '≤15(工作日)'" in over[0]


def test_the_over_completion_threshold_is_configurable() -> None:
    text = indicator(
        '三级指标: 张数, 年度指标值: "≥150.00(张)", 实际完成值: "197.00(张)", 分值: 50'
    )
    source = checked(text).source

    def exceeded(options: RuleOptions) -> list[str]:
        return [f.message for f in check_source(source, options).findings if "far" in f.message]

    assert len(exceeded(RuleOptions(scoring=R10))) == 1  # 131.33 % ≥ 130 %
    assert exceeded(RuleOptions(scoring=R10, over_completion=D(150))) == []


def weights(groups: list[tuple[str, str]], scoring: Scoring) -> tuple[dict[str, D], dict[str, D]]:
    rows = [row("保障", "达成指标", weight, level1=level1) for level1, weight in groups]
    actual, wanted = project_weights(D(10), rows, scoring)
    return actual, dict(wanted)


@pytest.mark.parametrize(
    ("groups", "scoring", "fits"),
    [([("产出指标", "50"), ("效益指标", "30"), ("满意度指标", "10")], R10, True),
     ([("产出指标", "40"), ("成本指标", "10"), ("效益指标", "30"), ("满意度指标", "10")], R10, True),
     ([("产出指标", "60"), ("效益指标", "20"), ("满意度指标", "10")], R10, False),
     ([("产出指标", "50"), ("效益指标", "30"), ("满意度指标", "10")], R101, True),
     ([("成本指标", "20"), ("产出指标", "40"), ("效益指标", "20"), ("满意度指标", "10")], R101, True),
     ([("成本指标", "10"), ("产出指标", "40"), ("效益指标", "30"), ("满意度指标", "10")], R101, False),
     ([("产出目标", "50"), ("效益指标", "30"), ("满意度指标", "10")], R10, True)],  # seed 004's 产出目标
)  # fmt: skip
def test_weights_against_the_texts(
    groups: list[tuple[str, str]], scoring: Scoring, fits: bool
) -> None:
    actual, wanted = weights(groups, scoring)
    assert (actual == wanted) is fits


@pytest.mark.parametrize(
    ("scoring", "suggested"),
    [("czy2020-10", "预算执行率 10 / 产出 50 / 效益 30 / 满意度 10"),
     ("czy2021-101", "预算执行率 10 / 产出 50 / 效益 30 / 满意度 10")],
)  # fmt: skip
def test_weights_that_differ_are_a_warning_not_an_error(scoring: str, suggested: str) -> None:
    (warning,) = [m for s, _, m in findings(MINIMAL, scoring) if "分值 by 一级指标" in m]
    name = Scoring(scoring).value
    assert warning == (
        f"test.yaml:12: warning: 绩效指标: {WEIGHTS_10}; {name} suggests {suggested}; "
        "the texts allow adjustments: check that these weights were agreed"
    )
    assert not [m for s, _, m in findings(MINIMAL, scoring) if s == "error"]


def test_weights_of_hundred_one_with_cost_indicators() -> None:
    text = MINIMAL.replace(
        "  - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 系统支撑情况,\n"
        "     年度指标值: 保障, 实际完成值: 达成指标, 分值: 40, 得分: 40}\n",
        "  - {一级指标: 成本指标, 二级指标: 经济成本指标, 三级指标: 成本, 年度指标值: 合理,"
        " 实际完成值: 达成指标, 分值: 40}\n",
    )
    (warning,) = [m for s, _, m in findings(text, "czy2021-101") if "分值 by 一级指标" in m]
    assert (
        "are 预算执行率 10 / 成本 40 / 产出 50 / 效益 0 / 满意度 0; 财预〔2021〕101号 suggests "
        "预算执行率 10 / 成本 20 / 产出 40 / 效益 20 / 满意度 10;" in warning
    )


def test_the_stated_funds_score_is_checked_against_the_rule() -> None:
    # 162.30/326.01 = 49.78 %: below 60 %, 101号 gives 0; the file states 4.98
    text = MINIMAL.replace("年度总体目标:", "  得分: 4.98\n年度总体目标:")
    errors = [m for s, _, m in findings(text, "czy2021-101") if s == "error"]
    assert errors == [
        "test.yaml:9: error: 项目资金.得分: stated 4.98 but 财预〔2021〕101号 gives 0.00 "
        "(三（七）：预算执行率 49.78%，得分值的 0%); correct it or remove 得分 (docgen computes it)"
    ]


def test_the_seed_forms_are_unchanged_without_a_rule_set() -> None:
    for path in sorted(DATA.glob("*.yaml")):
        for item in check_file(path):
            assert item.findings == [], path
            assert item.evaluation is not None and item.evaluation.scoring is None
            assert {s.rule for s in item.evaluation.indicators} <= {TYPED, DEFAULT}
