"""What a check found and computed, for people (notes) and for programs (JSON)."""

from __future__ import annotations

from typing import Any

from docgen.errors import format_path
from docgen.i18n import N_, _
from docgen.pipeline import CheckedProject
from docgen.rules.rulesets import DEFAULT, TYPED
from docgen.rules.scoring import TABLE_GRADE_WORDS

NOTE = N_("note")


def score_notes(item: CheckedProject) -> list[str]:
    """Return a line per score a rule set computed: its figure, the rule and the clause.

    Without a rule set nothing is computed beyond 分值 × 执行率, and there are no notes.
    """
    ev = item.evaluation
    if item.project is None or ev is None or ev.scoring is None:
        return []
    funds = _("{score} by {rule} ({clause})").format(
        score=ev.funds_score, rule=ev.scoring.value, clause=ev.funds_rule
    )
    notes = [_note(item, ("项目资金", "得分"), funds)]
    for i, scored in enumerate(ev.indicators):
        if scored.rule not in (TYPED, DEFAULT) and not scored.needs_score:
            text = _("{score} by {rule} ({clause})").format(
                score=scored.points, rule=scored.rule, clause=scored.clause
            )
            notes.append(_note(item, ("绩效指标", i, "得分"), text))
    return notes


def _note(item: CheckedProject, path: tuple[str | int, ...], text: str) -> str:
    line = item.line_of(path)
    where = item.source.file + (f":{line}" if line is not None else "")
    return f"{where}: {_(NOTE)}: {format_path(path)}: {text}"


def figures_json(item: CheckedProject) -> dict[str, Any] | None:
    """Return the figures the rules computed for *item*, as exact decimal strings."""
    ev = item.evaluation
    if ev is None:
        return None
    return {
        "年度资金总额": {
            "年初预算数": str(ev.total.initial),
            "全年预算数": str(ev.total.budget),
            "全年执行数": str(ev.total.executed),
        },
        "执行率": str(ev.rate),
        "资金得分": str(ev.funds_score),
        "资金得分规则": ev.funds_rule,
        "总分": str(ev.total_score),
        "评分等级": TABLE_GRADE_WORDS[ev.grade],
        "分值合计": str(ev.weight_total),
        "舍入规则": ev.rounding.value,
        "评分规则": ev.scoring.value if ev.scoring is not None else None,
    }


def indicators_json(item: CheckedProject) -> list[dict[str, Any]]:
    """Return each indicator's 得分 with the rule that gave it (``typed``, ``default`` or a set)."""
    if item.project is None or item.evaluation is None:
        return []
    return [
        {
            "index": i,
            "line": item.line_of(("绩效指标", i)),
            "一级指标": row.level1,
            "二级指标": row.level2,
            "三级指标": row.name,
            "分值": str(row.weight),
            "得分": None if scored.needs_score else str(scored.points),
            "rule": scored.rule,
            "clause": scored.clause or None,
            "rule_score": str(scored.rule_points) if scored.rule_points is not None else None,
        }
        for i, (row, scored) in enumerate(
            zip(item.project.indicators, item.evaluation.indicators, strict=True)
        )
    ]


def project_json(item: CheckedProject) -> dict[str, Any]:
    """Return one checked project: its findings, figures and scores."""
    return {
        "index": item.source.index,
        "project": item.label,
        "ok": not item.errors,
        "errors": [f.to_json() for f in item.errors],
        "warnings": [f.to_json() for f in item.warnings],
        "figures": figures_json(item),
        "indicators": indicators_json(item),
    }
