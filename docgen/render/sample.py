"""A sample project: the example values of the variables a template can use."""

from __future__ import annotations

from functools import cache
from typing import Any

from docgen.pipeline import ValidProject, check_source
from docgen.render.config import load_config
from docgen.render.context import report_context, table_context
from docgen.sources.loader import load_text

SAMPLE = """\
年度: 2024
项目名称: 信息化运维项目
主管部门: 上海市医疗保障局
实施单位: 上海市医疗保障局监督检查所
金额单位: 万元
评分规则: 财预〔2020〕10号
项目资金:
  分值: 10
  当年财政拨款: {年初预算数: 326.01, 全年预算数: 326.01, 全年执行数: 162.30}
年度总体目标:
  预期目标: 为监管系统提供运维保障服务，保障系统正常运行。
  实际完成情况: 对4个系统提供运维保障服务，确保系统正常运行。
绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 系统维护数量, 年度指标值: "=4.00(项)", 实际完成值: "4.00(项)", 分值: 50}
  满意度指标:
    服务对象满意度指标:
      - {三级指标: 平台使用者满意度, 年度指标值: "≥90.00(%)", 实际完成值: "85.00(%)",
         分值: 40, 得分: 36, 偏差原因分析及改进措施: 加强培训}
自评报告:
  项目概况: 全市医疗保障信息化建设。
  财政资金级次: 市级
  项目总目标: 夯实信息化建设基础。
  项目实施计划: 按季度推进运维工作。
  对以后年度项目预算安排的建议: 建议保留该项目预算
"""


@cache
def sample_project() -> ValidProject:
    """Return the sample project, checked: what a template's trial render uses."""
    (source,) = load_text(SAMPLE, "sample.yaml")
    item = check_source(source).valid
    if item is None:  # docgen's own sample: a failure here is a bug in docgen
        raise AssertionError("the sample project has errors")
    return item


@cache
def sample_context(kind: str) -> dict[str, Any]:
    """Return the variables of the sample project for *kind* (``table`` or ``report``)."""
    item = sample_project()
    builder = report_context if kind == "report" else table_context
    context = builder(item.project, item.evaluation)
    context.update(load_config(None, "sample", kind).variables(item.project.edition))
    return context
