"""Carry a project into the next year: the clerk's form for the new year, to be filled in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.excel.placement import canonical_project

__all__ = ["next_year"]

KEPT_INDICATOR = ("一级指标", "二级指标", "三级指标", "年度指标值", "分值")
"""What an indicator row keeps: its place in the tree, its target and its weight."""
CLEARED = ("总分", "评分等级", "自评报告")


def next_year(project: Mapping[str, Any]) -> dict[str, Any]:
    """Return *project* (docgen input) for the following year, this year's figures cleared.

    年度 + 1; names, units, 预期目标, the indicator tree with every 年度指标值 and 分值 kept;
    the amounts, 执行率, 得分, 实际完成值, 偏差原因, 实际完成情况, 总分 and 评分等级 left out
    for the clerk to fill.
    """
    data = dict(canonical_project(project))
    if isinstance(data.get("年度"), int):
        data["年度"] += 1
    for label in CLEARED:
        data.pop(label, None)
    funds = data.get("项目资金")
    if isinstance(funds, Mapping):
        data["项目资金"] = {"分值": funds["分值"]} if "分值" in funds else {}
    goals = data.get("年度总体目标")
    if isinstance(goals, Mapping):
        data["年度总体目标"] = {k: v for k, v in goals.items() if k == "预期目标"}
    indicators = data.get("绩效指标")
    if isinstance(indicators, list):
        data["绩效指标"] = [
            {k: row[k] for k in KEPT_INDICATOR if k in row} if isinstance(row, Mapping) else row
            for row in indicators
        ]
    return data
