"""The variables a template sees: the form's labels, with every computed figure filled in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from docgen.model.project import FundLine, Project
from docgen.rules.evaluate import Evaluation
from docgen.rules.scoring import TABLE_GRADE_WORDS, Grade


def _line(line: FundLine, rate: Decimal) -> dict[str, Decimal]:
    return {
        "年初预算数": line.initial,
        "全年预算数": line.budget,
        "全年执行数": line.executed,
        "执行率": rate,
    }


def table_context(
    project: Project,
    evaluation: Evaluation,
    grade_words: dict[Grade, str] | None = None,
) -> dict[str, Any]:
    """Return the 自评表's variables for one project."""
    funds = project.funds
    words = grade_words or TABLE_GRADE_WORDS
    current, carryover, other = evaluation.source_rates
    return {
        "年度": project.year,
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementing_unit,
        "金额单位": project.amount_unit,
        "舍入规则": evaluation.rounding.value,
        "项目资金": {
            "分值": funds.weight,
            "执行率": evaluation.rate,
            "得分": evaluation.funds_score,
            "年度资金总额": _line(evaluation.total, evaluation.rate),
            "当年财政拨款": _line(funds.current, current),
            "上年结转资金": _line(funds.carryover, carryover),
            "其他资金": _line(funds.other, other),
        },
        "年度总体目标": {
            "预期目标": project.goals.expected,
            "实际完成情况": project.goals.actual,
        },
        "绩效指标": [
            {
                "一级指标": row.level1,
                "二级指标": row.level2,
                "三级指标": row.name,
                "年度指标值": row.target,
                "实际完成值": row.actual,
                "分值": row.weight,
                "得分": score,
                "偏差原因分析及改进措施": row.deviation,
            }
            for row, score in zip(project.indicators, evaluation.indicator_scores, strict=True)
        ],
        "分值合计": evaluation.weight_total,
        "总分": evaluation.total_score,
        "评分等级": words[evaluation.grade],
    }
