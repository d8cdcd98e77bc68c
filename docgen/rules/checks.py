"""Consistency checks of one project: each finding names its field and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from docgen.errors import Finding, Severity
from docgen.i18n import N_, _
from docgen.model.project import FundLine, Indicator, Project
from docgen.rules.evaluate import Evaluation
from docgen.rules.report import BUDGET_RATE
from docgen.rules.rulesets import TYPED, IndicatorScore, completion_rate_percent, project_weights
from docgen.rules.scoring import REPORT_GRADE_WORDS, TABLE_GRADE_WORDS, parse_grade
from docgen.rules.targets import target_met

HUNDRED = Decimal(100)
SOURCES = (("当年财政拨款", "current"), ("上年结转资金", "carryover"), ("其他资金", "other"))
COLUMNS = (("年初预算数", "initial"), ("全年预算数", "budget"), ("全年执行数", "executed"))


def _error(path: tuple[str | int, ...], message: str) -> Finding:
    return Finding(Severity.ERROR, path, message)


def _warning(path: tuple[str | int, ...], message: str, hint: str | None = None) -> Finding:
    return Finding(Severity.WARNING, path, message, hint=hint)


def _fmt(value: Decimal) -> str:
    """Return a figure as typed, with thousands separators: 84240 → ``84,240``."""
    return f"{value:,}"


def check(project: Project, evaluation: Evaluation) -> list[Finding]:
    """Return every error and warning in *project*, in form order."""
    return [
        *_check_funds(project, evaluation),
        *_check_indicators(project, evaluation),
        *_check_totals(project, evaluation),
        *_check_weights(project, evaluation),
        *_check_report(project, evaluation),
    ]


def _check_funds(project: Project, ev: Evaluation) -> Iterator[Finding]:
    funds = project.funds
    for label, attr in SOURCES:
        line: FundLine = getattr(funds, attr)
        if line.executed > line.budget:
            yield _warning(
                ("项目资金", label, "全年执行数"),
                _(
                    "全年执行数 {executed} exceeds 全年预算数 {budget}; "
                    "check the figures (执行率 above {full} still scores at most 分值)"
                ).format(executed=_fmt(line.executed), budget=_fmt(line.budget), full="100 %"),
            )
    if funds.stated_total is not None:
        for label, attr in COLUMNS:
            stated, computed = getattr(funds.stated_total, attr), getattr(ev.total, attr)
            if stated != computed:
                yield _warning(  # as printed forms do (seed 000): the form prints what is stated
                    ("项目资金", "年度资金总额", label),
                    _(
                        "stated {stated} but the three sources sum to {computed}; the form "
                        "prints the stated total: correct it, or remove 年度资金总额 (docgen "
                        "computes it)"
                    ).format(stated=_fmt(stated), computed=_fmt(computed)),
                )
    if funds.stated_rate is not None and funds.stated_rate != ev.rate:
        yield _error(
            ("项目资金", "执行率"),
            _(
                "stated {stated} but 全年执行数 / 全年预算数 gives {rate} "
                "(舍入规则 {rounding}); correct it or remove 执行率 (docgen computes it)"
            ).format(stated=_fmt(funds.stated_rate), rate=ev.rate, rounding=ev.rounding.value),
        )
    if funds.stated_score is not None and funds.stated_score != ev.funds_score:
        rule = (
            _("分值 × 执行率 gives {score} (舍入规则 {rounding})").format(
                score=ev.funds_score, rounding=ev.rounding.value
            )
            if ev.scoring is None
            else _("{rules} gives {score} ({rule})").format(
                rules=ev.scoring.value, score=ev.funds_score, rule=ev.funds_rule
            )
        )
        yield _error(
            ("项目资金", "得分"),
            _("stated {stated} but {rule}; correct it or remove 得分 (docgen computes it)").format(
                stated=_fmt(funds.stated_score), rule=rule
            ),
        )


def _check_indicators(project: Project, ev: Evaluation) -> Iterator[Finding]:
    seen_groups: set[tuple[str, ...]] = set()
    previous: tuple[str, ...] = ()
    for i, (row, scored) in enumerate(zip(project.indicators, ev.indicators, strict=True)):
        path = ("绩效指标", i)
        for key in ((row.level1,), (row.level1, row.level2)):
            if key != previous[: len(key)] and key in seen_groups:
                yield _warning(
                    (*path, "一级指标" if len(key) == 1 else "二级指标"),
                    _(
                        "group {group} appears again after another group; "
                        "put its rows together, or its merged cells will be split"
                    ).format(group=" / ".join(key)),
                )
            seen_groups.add(key)
        previous = (row.level1, row.level2)
        yield from _check_score(row, scored, path, ev)
        if ev.scoring is not None:
            yield from _check_over_completion(row, path, ev)


def _check_score(
    row: Indicator, scored: IndicatorScore, path: tuple[str | int, ...], ev: Evaluation
) -> Iterator[Finding]:
    score = scored.points
    rule_set = ev.scoring.value if ev.scoring is not None else ""
    differs = scored.rule_points is not None and scored.rule_points != score
    if scored.rule == TYPED and differs and 0 <= score <= row.weight:
        yield _warning(
            (*path, "得分"),
            _("得分 {score} differs from {figure}, the figure of {rules} ({clause})").format(
                score=_fmt(score), figure=scored.rule_points, rules=rule_set, clause=scored.clause
            ),
            _(
                "use the rule's figure (or omit 得分 and docgen computes it), "
                "or check that the unit applied this rule set"
            ),
        )
    if scored.needs_score:
        yield Finding(
            Severity.ERROR,
            (*path, "得分"),
            _(
                "得分 is omitted, and 实际完成值 {actual} does not say that the target "
                "{target} was reached; under {rules} a qualitative indicator scores "
                "{high}, {middle} or {low} of its 分值, which only the evaluator can judge"
            ).format(
                actual=repr(row.actual),
                target=repr(row.target),
                rules=rule_set,
                high="100–80 %",
                middle="80–60 %",
                low="60–0 %",
            ),
            hint=_("type the 得分 awarded"),
        )
    elif score < 0:
        yield _error(
            (*path, "得分"),
            _("得分 {score} is negative; the lowest is 0").format(score=_fmt(score)),
        )
    elif score > row.weight:
        yield _error(
            (*path, "得分"),
            _("得分 {score} exceeds 分值 {weight}; an indicator scores at most its 分值").format(
                score=_fmt(score), weight=_fmt(row.weight)
            ),
        )
    elif score < row.weight and not row.deviation.strip():
        yield _lost_without_reason(row, score, path)
    elif (
        score == row.weight
        and scored.rule_points is None  # a rule set's figure, checked above, says more
        and target_met(row.target, row.actual) is False
    ):
        yield _warning(
            (*path, "实际完成值"),
            _(
                "实际完成值 {actual} misses 年度指标值 {target} yet 得分 is full "
                "marks {score}; lower 得分 and explain, or correct the values"
            ).format(actual=repr(row.actual), target=repr(row.target), score=_fmt(score)),
        )


def _lost_without_reason(row: Indicator, score: Decimal, path: tuple[str | int, ...]) -> Finding:
    return _warning(
        (*path, "偏差原因分析及改进措施"),
        _(
            "{points} point(s) lost on {name} but no reason given; fill in 偏差原因分析及改进措施"
        ).format(points=_fmt(row.weight - score), name=row.name),
    )


def _check_over_completion(
    row: Indicator, path: tuple[str | int, ...], ev: Evaluation
) -> Iterator[Finding]:
    rate = completion_rate_percent(row)
    if rate is not None and rate >= ev.over_completion and not row.deviation.strip():
        yield _warning(
            (*path, "实际完成值"),
            _(
                "实际完成值 {actual} is {rate} of 年度指标值 {target} "
                "(from {threshold} a target counts as far exceeded, and "
                "财预〔2020〕10号 asks for the cause: was it set too low?)"
            ).format(
                actual=repr(row.actual),
                rate=f"{rate}%",
                target=repr(row.target),
                threshold=f"{_fmt(ev.over_completion)}%",
            ),
            _("explain it in 偏差原因分析及改进措施"),
        )


def _check_weights(project: Project, ev: Evaluation) -> Iterator[Finding]:
    if ev.scoring is None:
        return
    actual, wanted = project_weights(project.funds.weight, project.indicators, ev.scoring)
    if actual == wanted:
        return
    shown = " / ".join(f"{group} {_fmt(actual[group])}" for group in actual)
    suggested = " / ".join(f"{group} {_fmt(points)}" for group, points in wanted.items())
    yield _warning(
        ("绩效指标",),
        _("分值 by 一级指标 are {shown}; {rules} suggests {suggested}").format(
            shown=shown, rules=ev.scoring.value, suggested=suggested
        ),
        _("the texts allow adjustments: check that these weights were agreed"),
    )


def _check_totals(project: Project, ev: Evaluation) -> Iterator[Finding]:
    if ev.weight_total != HUNDRED:
        funds_weight = project.funds.weight
        yield _error(
            ("绩效指标",),
            _(
                "分值 add up to {total}, not 100 (项目资金 {funds} "
                "+ indicators {indicators}); adjust the indicators' 分值"
            ).format(
                total=_fmt(ev.weight_total),
                funds=_fmt(funds_weight),
                indicators=_fmt(ev.weight_total - funds_weight),
            ),
        )
    if project.stated_total is not None and project.stated_total != ev.total_score:
        yield _error(
            ("总分",),
            _(
                "stated {stated} but 资金得分 {funds} + indicator 得分 "
                "gives {total}; correct it or remove 总分 (docgen computes it)"
            ).format(stated=_fmt(project.stated_total), funds=ev.funds_score, total=ev.total_score),
        )
    if project.stated_grade is not None:
        stated = parse_grade(project.stated_grade)
        if stated is None:
            yield _error(
                ("评分等级",),
                _(
                    "unknown grade {grade}; use 优, 良, 中 or 差 "
                    "(or remove 评分等级: docgen computes it)"
                ).format(grade=repr(project.stated_grade)),
            )
        elif stated is not ev.grade:
            yield _error(
                ("评分等级",),
                _(
                    "stated {stated} but 总分 {total} gives {grade}; correct it or remove 评分等级"
                ).format(
                    stated=project.stated_grade,
                    total=ev.total_score,
                    grade=TABLE_GRADE_WORDS[ev.grade],
                ),
            )


def _check_report(project: Project, ev: Evaluation) -> Iterator[Finding]:
    report = project.report
    if report is None:
        return
    if report.stated_total is not None and report.stated_total != ev.total_score:
        yield _error(
            ("自评报告", "总得分"),
            _(
                "stated {stated} but the rules give {total}; "
                "correct it or remove 总得分 (docgen computes it)"
            ).format(stated=_fmt(report.stated_total), total=ev.total_score),
        )
    if report.stated_grade is not None:
        stated = parse_grade(report.stated_grade)
        if stated is None:
            yield _error(
                ("自评报告", "评价等级"),
                _("unknown grade {grade}; use 优秀, 良好, 中等 or 差").format(
                    grade=repr(report.stated_grade)
                ),
            )
        elif stated is not ev.grade:
            yield _error(
                ("自评报告", "评价等级"),
                _(
                    "stated {stated} but 总得分 {total} gives {grade}; "
                    "correct it or remove 评价等级"
                ).format(
                    stated=report.stated_grade,
                    total=ev.total_score,
                    grade=REPORT_GRADE_WORDS[ev.grade],
                ),
            )
    names = {BUDGET_RATE, *(row.name for row in project.indicators)}
    for key, listed in (("完成的指标", report.completed), ("未完成的指标", report.not_completed)):
        for i, name in enumerate(listed or []):
            if name not in names:
                yield _warning(
                    ("自评报告", key, i),
                    _(
                        "{name} is not one of the project's 三级指标 or 预算执行率; check the name"
                    ).format(name=repr(name)),
                )


# The 自评报告's sections that nothing in the data can fill: (field, where the report prints it,
# what to write there).
_WRITTEN_SECTIONS = (
    ("项目总目标", "（三）1. 项目总目标", N_("the project's aim over all its years")),
    ("项目实施计划", "（四）项目实施计划", N_("how and when the work is done")),
)


def report_gaps(project: Project) -> list[Finding]:
    """Return a warning for each section of the 自评报告 that would print 无 (or nothing).

    Only where a 自评报告 is made: ``check`` (which checks for every kind) and ``render``
    without ``--kind table`` add these to ``check``'s findings.
    """
    return list(_report_gaps(project))


def _report_gaps(project: Project) -> Iterator[Finding]:
    report = project.report
    given = {
        "项目总目标": report.overall_goal if report else "",
        "项目实施计划": report.plan if report else "",
    }
    for field, heading, what in _WRITTEN_SECTIONS:
        if not given[field].strip():
            yield _warning(
                ("自评报告", field),
                _("the 自评报告 prints 无 under {heading}").format(heading=heading),
                hint=_("fill 自评报告.{field} ({what})").format(field=field, what=_(what)),
            )
    annual = report.annual_goal if report and report.annual_goal is not None else None
    if not (annual if annual is not None else project.goals.expected).strip():
        yield _warning(
            ("自评报告", "项目年度绩效目标")
            if annual is not None
            else ("年度总体目标", "预期目标"),
            _("the 自评报告 prints nothing under （三）2. 项目年度绩效目标"),
            hint=_("fill 年度总体目标.预期目标 (or 自评报告.项目年度绩效目标)"),
        )
