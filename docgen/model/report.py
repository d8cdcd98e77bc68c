"""The 自评价报告's own fields: an optional section of the project file.

Everything the report can derive from the rest of the project is derived; a value given here
overrides the derived one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from docgen.model.base import Amount, DocModel, Label, Score, Text

Level = Literal["中央级", "市级", "区县级", "乡镇级"]
LEVELS: tuple[Level, ...] = ("中央级", "市级", "区县级", "乡镇级")
OTHER_KINDS = ("单位自筹", "银行贷款等", "社会资本")


class FundBreakdown(DocModel):
    """One row of the 资金安排 table split by source; omitted columns are zero."""

    central: Amount = Field(Decimal(0), alias="中央级")
    municipal: Amount = Field(Decimal(0), alias="市级")
    county: Amount = Field(Decimal(0), alias="区县级")
    township: Amount = Field(Decimal(0), alias="乡镇级")
    self_raised: Amount = Field(Decimal(0), alias="单位自筹")
    loans: Amount = Field(Decimal(0), alias="银行贷款等")
    social: Amount = Field(Decimal(0), alias="社会资本")


class FundArrangement(DocModel):
    """The rows (1)–(4) of the 资金安排 table, when finer than 项目资金."""

    budget: FundBreakdown = Field(alias="预算安排", description="预算安排 (1)")
    invested: FundBreakdown = Field(alias="项目实际投入", description="项目实际投入 (2)")
    arrived: FundBreakdown = Field(alias="资金到位", description="资金到位 (3)")
    spent: FundBreakdown = Field(alias="实际支出", description="实际支出 (4)")


class SpendingItem(DocModel):
    """One row of the 资金使用情况 table."""

    content: Label = Field(alias="项目支出内容")
    fiscal: Amount = Field(Decimal(0), alias="财政资金支出数")
    other: Amount = Field(Decimal(0), alias="其他资金支出数")
    earmarked: Amount | None = Field(None, alias="财政资金专款专用数")


class Report(DocModel):
    """The 自评价报告 section of a project file (key ``自评报告``)."""

    overview: Text = Field("", alias="项目概况", description="（一）项目概况")
    fund_level: Level | None = Field(
        None,
        alias="财政资金级次",
        description="财政资金所属级次（中央级/市级/区县级/乡镇级），用于资金安排表",
    )
    arrangement: FundArrangement | None = Field(
        None,
        alias="资金安排",
        description="可选：资金安排表 (1)–(4) 行的细分；省略则由项目资金推算",
    )
    spending: list[SpendingItem] | None = Field(
        None, alias="资金使用情况", description="可选：资金使用情况；省略则为一行（项目名称）"
    )
    overall_goal: Text = Field("", alias="项目总目标", description="（三）1. 项目总目标")
    annual_goal: Text | None = Field(
        None, alias="项目年度绩效目标", description="（三）2.；省略则用 年度总体目标.预期目标"
    )
    plan: Text = Field("", alias="项目实施计划", description="（四）项目实施计划")
    analysis: Text | None = Field(
        None, alias="绩效分析", description="二、的总体评价语句；省略则按总得分和等级生成"
    )
    completed: list[Label] | None = Field(
        None, alias="完成的指标", description="（一）绩效目标完成的指标；省略则推算"
    )
    not_completed: list[Label] | None = Field(
        None, alias="未完成的指标", description="（二）没有完成绩效目标的指标；省略则推算"
    )
    reasons: Text | None = Field(
        None, alias="未完成原因", description="（三）未完成原因解释；省略则取偏差原因分析"
    )
    management: Text = Field("无", alias="对项目管理及实施的建议")
    institutions: Text = Field("无", alias="对完善制度保障的建议")
    budgeting: Text = Field("无", alias="对以后年度项目预算安排的建议")
    remarks: Text = Field("", alias="备注")
    stated_total: Score | None = Field(None, alias="总得分", description="可选：总得分，填写则核对")
    stated_grade: Label | None = Field(
        None, alias="评价等级", description="可选：评价等级（优秀/良好/中等/差），填写则核对"
    )
