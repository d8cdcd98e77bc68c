"""Consistency checks of one project: each finding names its field and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from docgen.errors import Finding, Severity
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
                f"全年执行数 {_fmt(line.executed)} exceeds 全年预算数 {_fmt(line.budget)}; "
                "check the figures (执行率 above 100 % still scores at most 分值)",
            )
    if funds.stated_total is not None:
        for label, attr in COLUMNS:
            stated, computed = getattr(funds.stated_total, attr), getattr(ev.total, attr)
            if stated != computed:
                yield _error(
                    ("项目资金", "年度资金总额", label),
                    f"stated {_fmt(stated)} but the three sources sum to {_fmt(computed)}; "
                    "correct the sources or remove 年度资金总额 (docgen computes it)",
                )
    if funds.stated_rate is not None and funds.stated_rate != ev.rate:
        yield _error(
            ("项目资金", "执行率"),
            f"stated {_fmt(funds.stated_rate)} but 全年执行数 / 全年预算数 gives {ev.rate} "
            f"(舍入规则 {ev.rounding.value}); correct it or remove 执行率 (docgen computes it)",
        )
    if funds.stated_score is not None and funds.stated_score != ev.funds_score:
        rule = (
            f"分值 × 执行率 gives {ev.funds_score} (舍入规则 {ev.rounding.value})"
            if ev.scoring is None
            else f"{ev.scoring.value} gives {ev.funds_score} ({ev.funds_rule})"
        )
        yield _error(
            ("项目资金", "得分"),
            f"stated {_fmt(funds.stated_score)} but {rule}; "
            "correct it or remove 得分 (docgen computes it)",
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
                    f"group {' / '.join(key)} appears again after another group; "
                    "put its rows together, or its merged cells will be split",
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
            f"得分 {_fmt(score)} differs from {scored.rule_points}, the figure of "
            f"{rule_set} ({scored.clause})",
            "use the rule's figure (or omit 得分 and docgen computes it), "
            "or check that the unit applied this rule set",
        )
    if scored.needs_score:
        yield Finding(
            Severity.ERROR,
            (*path, "得分"),
            f"得分 is omitted, and 实际完成值 {row.actual!r} does not say that the target "
            f"{row.target!r} was reached; under {rule_set} a qualitative indicator scores "
            "100–80 %, 80–60 % or 60–0 % of its 分值, which only the evaluator can judge",
            hint="type the 得分 awarded",
        )
    elif score < 0:
        yield _error((*path, "得分"), f"得分 {_fmt(score)} is negative; the lowest is 0")
    elif score > row.weight:
        yield _error(
            (*path, "得分"),
            f"得分 {_fmt(score)} exceeds 分值 {_fmt(row.weight)}; "
            "an indicator scores at most its 分值",
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
            f"实际完成值 {row.actual!r} misses 年度指标值 {row.target!r} yet 得分 is full "
            f"marks {_fmt(score)}; lower 得分 and explain, or correct the values",
        )


def _lost_without_reason(row: Indicator, score: Decimal, path: tuple[str | int, ...]) -> Finding:
    return _warning(
        (*path, "偏差原因分析及改进措施"),
        f"{_fmt(row.weight - score)} point(s) lost on {row.name} but no reason given; "
        "fill in 偏差原因分析及改进措施",
    )


def _check_over_completion(
    row: Indicator, path: tuple[str | int, ...], ev: Evaluation
) -> Iterator[Finding]:
    rate = completion_rate_percent(row)
    if rate is not None and rate >= ev.over_completion and not row.deviation.strip():
        yield _warning(
            (*path, "实际完成值"),
            f"实际完成值 {row.actual!r} is {rate}% of 年度指标值 {row.target!r} "
            f"(from {_fmt(ev.over_completion)}% a target counts as far exceeded, and "
            "财预〔2020〕10号 asks for the cause: was it set too low?)",
            "explain it in 偏差原因分析及改进措施",
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
        f"分值 by 一级指标 are {shown}; {ev.scoring.value} suggests {suggested}",
        "the texts allow adjustments: check that these weights were agreed",
    )


def _check_totals(project: Project, ev: Evaluation) -> Iterator[Finding]:
    if ev.weight_total != HUNDRED:
        funds_weight = project.funds.weight
        yield _error(
            ("绩效指标",),
            f"分值 add up to {_fmt(ev.weight_total)}, not 100 (项目资金 {_fmt(funds_weight)} "
            f"+ indicators {_fmt(ev.weight_total - funds_weight)}); adjust the indicators' 分值",
        )
    if project.stated_total is not None and project.stated_total != ev.total_score:
        yield _error(
            ("总分",),
            f"stated {_fmt(project.stated_total)} but 资金得分 {ev.funds_score} + indicator 得分 "
            f"gives {ev.total_score}; correct it or remove 总分 (docgen computes it)",
        )
    if project.stated_grade is not None:
        stated = parse_grade(project.stated_grade)
        if stated is None:
            yield _error(
                ("评分等级",),
                f"unknown grade {project.stated_grade!r}; use 优, 良, 中 or 差 "
                "(or remove 评分等级: docgen computes it)",
            )
        elif stated is not ev.grade:
            yield _error(
                ("评分等级",),
                f"stated {project.stated_grade} but 总分 {ev.total_score} gives "
                f"{TABLE_GRADE_WORDS[ev.grade]}; correct it or remove 评分等级",
            )


def _check_report(project: Project, ev: Evaluation) -> Iterator[Finding]:
    report = project.report
    if report is None:
        return
    if report.stated_total is not None and report.stated_total != ev.total_score:
        yield _error(
            ("自评报告", "总得分"),
            f"stated {_fmt(report.stated_total)} but the rules give {ev.total_score}; "
            "correct it or remove 总得分 (docgen computes it)",
        )
    if report.stated_grade is not None:
        stated = parse_grade(report.stated_grade)
        if stated is None:
            yield _error(
                ("自评报告", "评价等级"),
                f"unknown grade {report.stated_grade!r}; use 优秀, 良好, 中等 or 差",
            )
        elif stated is not ev.grade:
            yield _error(
                ("自评报告", "评价等级"),
                f"stated {report.stated_grade} but 总得分 {ev.total_score} gives "
                f"{REPORT_GRADE_WORDS[ev.grade]}; correct it or remove 评价等级",
            )
    names = {BUDGET_RATE, *(row.name for row in project.indicators)}
    for key, listed in (("完成的指标", report.completed), ("未完成的指标", report.not_completed)):
        for i, name in enumerate(listed or []):
            if name not in names:
                yield _warning(
                    ("自评报告", key, i),
                    f"{name!r} is not one of the project's 三级指标 or 预算执行率; check the name",
                )


# The 自评报告's sections that nothing in the data can fill: (field, where the report prints it,
# what to write there).
_WRITTEN_SECTIONS = (
    ("项目总目标", "（三）1. 项目总目标", "the project's aim over all its years"),
    ("项目实施计划", "（四）项目实施计划", "how and when the work is done"),
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
                f"the 自评报告 prints 无 under {heading}",
                hint=f"fill 自评报告.{field} ({what})",
            )
    annual = report.annual_goal if report and report.annual_goal is not None else None
    if not (annual if annual is not None else project.goals.expected).strip():
        yield _warning(
            ("自评报告", "项目年度绩效目标")
            if annual is not None
            else ("年度总体目标", "预期目标"),
            "the 自评报告 prints nothing under （三）2. 项目年度绩效目标",
            hint="fill 年度总体目标.预期目标 (or 自评报告.项目年度绩效目标)",
        )
