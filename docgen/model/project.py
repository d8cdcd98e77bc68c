"""Pydantic models of one project's facts, named after the form's own labels.

Every field has a plain English attribute name and the form's Chinese label as its alias;
input may use either.  Money and scores are ``Decimal``.  No I/O happens here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import Field, field_validator

from docgen.i18n import N_, _
from docgen.model.base import Amount, DocModel, Label, RequiredLabel, Score, Text, Weight
from docgen.model.indicators import flatten_indicators
from docgen.model.report import FundArrangement, FundBreakdown, Report, SpendingItem


class Rounding(str, Enum):
    """How 执行率 and the funds score are cut to two decimals."""

    STANDARD = "标准"
    """执行率 truncated, 得分 rounded half-up (the 2024 forms)."""
    TRUNCATE = "截断"
    """Both truncated (the 2023 卫健委 forms)."""
    HALF_UP = "四舍五入"
    """Both rounded half-up (the 自评价报告 of seed 004)."""

    @classmethod
    def _missing_(cls, value: object) -> Rounding | None:
        english = {"standard": cls.STANDARD, "truncate": cls.TRUNCATE, "half-up": cls.HALF_UP}
        return english.get(str(value).strip().lower())


class Scoring(str, Enum):
    """The named rule set by which indicators and funds are scored (评分规则).

    Written as the official number (财预〔2020〕10号), with [ ] or ( ) brackets, or as the ASCII
    alias (czy2020-10).
    """

    CZY_2020_10 = "财预〔2020〕10号"
    """第十六条: a missed quantitative target scores in proportion to its completion."""
    CZY_2021_101 = "财预〔2021〕101号"
    """三（七）: completion rates, 预算执行率 and 满意度 scored in bands."""

    @property
    def alias(self) -> str:
        """Return the ASCII name, as ``--scoring`` also accepts it: ``czy2020-10``."""
        return _SCORING_ALIASES[self]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Return the usual ways to write this name: official, [ ], ( ), ASCII."""
        year, number = self.value.removeprefix("财预〔").removesuffix("号").split("〕")
        return (self.value, f"财预[{year}]{number}号", f"财预({year}){number}号", self.alias)

    @classmethod
    def _missing_(cls, value: object) -> Scoring | None:
        key = _scoring_key(str(value))
        return next((s for s in cls if key in (_scoring_key(s.value), s.alias)), None)


class Form(str, Enum):
    """Which edition of the 财政项目支出绩效自评表 a project is printed on (表样)."""

    F2022 = "2022"
    """The 2022 edition (seed 000): a 绩效指标 label column, 分值 and 执行率, no 评分等级 row."""
    F2023 = "2023"
    """The 2023/2024 edition (seeds 001–003): 分数 and 执行率(%), a 评分等级 row."""

    @classmethod
    def _missing_(cls, value: object) -> Form | None:
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("版").strip()
        text = text.removesuffix("年").removeprefix("edition-")
        if text == "2024":
            return cls.F2023  # the 2023 edition, printed unchanged for 2024
        return next((form for form in cls if form.value == text), None)

    @classmethod
    def of_year(cls, year: int) -> Form:
        """Return the edition a 年度 is printed on by default: 2022 and earlier, the 2022 one."""
        return cls.F2022 if year <= 2022 else cls.F2023


FORM_NAMES = N_("2022 or 2023 (the 2023/2024 edition)")
"""The valid 表样, as messages list them (translated where used: ``_(FORM_NAMES)``)."""


_SCORING_ALIASES = {Scoring.CZY_2020_10: "czy2020-10", Scoring.CZY_2021_101: "czy2021-101"}


def scoring_names() -> str:
    """Return the valid 评分规则 as messages list them, in the current language."""
    return _(" or ").join(f"{s.value} ({s.alias})" for s in Scoring)


SCORING_NAMES = " or ".join(f"{s.value} ({s.alias})" for s in Scoring)
"""The valid 评分规则 in English, for help texts fixed at import; messages use
``scoring_names()``, which follows the language of the moment (a service request's)."""
_SCORING_IGNORED = re.compile(r"[\s〔〕\[\]()【】［］（）]")


def _scoring_key(text: str) -> str:
    """Fold a rule set's spelling: "财预(2020) 10号" and "财预〔2020〕10号" → "财预202010号"."""
    return _SCORING_IGNORED.sub("", unicodedata.normalize("NFKC", text)).lower()


class FundLine(DocModel):
    """One row of the 项目资金 block: a source's budget and execution."""

    initial: Amount = Field(alias="年初预算数", description="年初预算数")
    budget: Amount = Field(alias="全年预算数", description="全年预算数")
    executed: Amount = Field(alias="全年执行数", description="全年执行数")


ZERO_LINE = FundLine(initial=Decimal(0), budget=Decimal(0), executed=Decimal(0))


class Funds(DocModel):
    """The 项目资金 block: three sources, their weight and optional stated results."""

    weight: Weight = Field(Decimal(10), alias="分值", description="项目资金的分值（通常为 10）")
    current: FundLine = Field(alias="当年财政拨款", description="其中：当年财政拨款")
    carryover: FundLine = Field(ZERO_LINE, alias="上年结转资金", description="上年结转资金")
    other: FundLine = Field(ZERO_LINE, alias="其他资金", description="其他资金")
    stated_total: FundLine | None = Field(
        None, alias="年度资金总额", description="可选：填写则与三项来源之和核对"
    )
    stated_rate: Score | None = Field(
        None, alias="执行率", description="可选：执行率（%），填写则与计算值核对"
    )
    stated_score: Score | None = Field(
        None, alias="得分", description="可选：资金得分，填写则与计算值核对"
    )


class Goals(DocModel):
    """The 年度总体目标 block."""

    expected: Text = Field(alias="预期目标", description="预期目标")
    actual: Text = Field(alias="实际完成情况", description="实际完成情况")


class Indicator(DocModel):
    """One 三级指标 row of the indicator table."""

    level1: RequiredLabel = Field(alias="一级指标", description="一级指标，如 产出指标")
    level2: RequiredLabel = Field(alias="二级指标", description="二级指标，如 数量指标")
    name: RequiredLabel = Field(alias="三级指标", description="三级指标")
    target: Text = Field(alias="年度指标值", description="年度指标值，如 =100.00(%)、≥95(%)")
    actual: Text = Field(alias="实际完成值", description="实际完成值，如 100.00(%)、达成指标")
    weight: Weight = Field(alias="分值", description="分值")
    score: Score | None = Field(None, alias="得分", description="得分；省略表示满分")
    deviation: Text = Field(
        "", alias="偏差原因分析及改进措施", description="偏差原因分析及改进措施（失分时应填写）"
    )


class Project(DocModel):
    """One funded project's facts for one year, as the 自评表 asks for them."""

    year: int = Field(alias="年度", ge=1990, le=2100, description="评价年度，如 2024")
    name: RequiredLabel = Field(alias="项目名称", description="项目名称")
    department: Label = Field(alias="主管部门", description="主管部门")
    implementing_unit: Label = Field(alias="实施单位", description="实施单位")
    amount_unit: Literal["万元", "元"] = Field(
        "万元", alias="金额单位", description="金额单位：万元（默认）或 元"
    )
    rounding: Rounding | None = Field(
        None,
        alias="舍入规则",
        description="标准（执行率截断、得分四舍五入，默认）、截断 或 四舍五入",
    )
    scoring: Scoring | None = Field(
        None,
        alias="评分规则",
        description="可选：指标得分按哪个文件计算并核对：财预〔2020〕10号 或 财预〔2021〕101号；"
        "省略则得分按填写（省略为满分）",
    )
    form: Form | None = Field(
        None,
        alias="表样",
        description="可选：自评表的版式：2022（2022年度及以前的默认）或 2023（2023、2024年度）",
    )
    funds: Funds = Field(alias="项目资金", description="项目资金")
    goals: Goals = Field(alias="年度总体目标", description="年度总体目标")
    indicators: list[Indicator] = Field(
        alias="绩效指标",
        min_length=1,
        description="绩效指标：逐行列出，或按 一级指标 → 二级指标 → [三级指标…] 嵌套",
    )
    stated_total: Score | None = Field(None, alias="总分", description="可选：总分，填写则核对")
    stated_grade: Label | None = Field(
        None, alias="评分等级", description="可选：评分等级，填写则核对"
    )
    report: Report | None = Field(
        None, alias="自评报告", description="可选：自评价报告的内容（省略的部分按数据推算）"
    )

    @field_validator("form", mode="before")
    @classmethod
    def _form_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def edition(self) -> Form:
        """Return the 自评表 edition this project is printed on: its 表样, else by 年度."""
        return self.form or Form.of_year(self.year)

    @field_validator("indicators", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return [row for row, _origin in flatten_indicators(value)]


FIELD_LABELS: dict[str, str] = {
    name: field.alias
    for model in (
        FundLine,
        Funds,
        Goals,
        Indicator,
        Project,
        Report,
        FundArrangement,
        FundBreakdown,
        SpendingItem,
    )
    for name, field in model.model_fields.items()
    if field.alias
}
"""English attribute name → the form's label, for messages."""
