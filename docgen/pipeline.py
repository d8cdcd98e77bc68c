"""From a file to checked projects: read, validate, compute, check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Finding, Location, Severity
from docgen.model.project import Project
from docgen.rules.checks import check, report_gaps
from docgen.rules.evaluate import Evaluation, RuleOptions, evaluate
from docgen.sources.loader import DataPath, SourceProject, load_file
from docgen.sources.validate import raw_path, to_project


@dataclass(frozen=True)
class CheckedProject:
    """One project as read, with what the rules computed and found."""

    source: SourceProject
    project: Project | None
    evaluation: Evaluation | None
    findings: list[Finding] = field(default_factory=list)
    data_file: Path | None = None
    """Where the data lives on disk (its ``templates/`` folder applies); ``None`` for uploads."""

    @property
    def valid(self) -> ValidProject | None:
        """Return this project ready to render, or ``None`` when it has errors."""
        if self.project is None or self.evaluation is None or self.errors:
            return None
        return ValidProject(self, self.project, self.evaluation)

    @property
    def errors(self) -> list[Finding]:
        """Return the findings that stop this project from being rendered."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Return the findings that are worth a look but do not stop rendering."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def label(self) -> str:
        """Return how messages name this project: its 项目名称, else its place in the file."""
        if self.project is not None:
            return self.project.name
        data = self.source.data
        name = data.get("项目名称") or data.get("name") if isinstance(data, dict) else None
        return str(name) if name else f"project #{self.source.index + 1}"

    def line_of(self, path: DataPath) -> Location | None:
        """Return the line (or cell) of a field of the project, named by its model path."""
        return self.source.line_of(raw_path(self.source.data, path))


@dataclass(frozen=True)
class ValidProject:
    """A project that passed its checks: what the rules computed is there, and it may render.

    Only ``CheckedProject.valid`` makes one, so holding a ``ValidProject`` is the proof.
    """

    checked: CheckedProject
    project: Project
    evaluation: Evaluation

    @property
    def file(self) -> str:
        """Return how messages name the project's file."""
        return self.checked.source.file

    @property
    def data_file(self) -> Path | None:
        """Return where the project's data lives on disk (``None`` for uploads)."""
        return self.checked.data_file

    @property
    def label(self) -> str:
        """Return the project's 项目名称."""
        return self.project.name


def check_source(
    source: SourceProject,
    run: RuleOptions | None = None,
    default: RuleOptions | None = None,
    data_file: Path | None = None,
    report: bool = False,
) -> CheckedProject:
    """Return *source* validated, evaluated and checked, each finding located.

    *run* holds the run's choices (``--rounding``, ``--scoring``); *default* (a template's)
    applies to what neither the run nor the project names. *data_file* is where the data
    lives on disk (``None`` for uploads). With *report* (a 自评报告 will be made) the
    sections of the report that would print 无 are warned about too.
    """
    project, findings = to_project(source)
    if project is None:
        return CheckedProject(source, None, None, findings, data_file)
    evaluation = evaluate(project, run, default)
    item = CheckedProject(source, project, evaluation, data_file=data_file)
    found = check(project, evaluation)
    if report:
        found.extend(report_gaps(project))
    item.findings.extend(f.located(source.file, item.line_of(f.path)) for f in found)
    return item


def check_file(
    path: str | Path,
    run: RuleOptions | None = None,
    default: RuleOptions | None = None,
    report: bool = False,
) -> Iterator[CheckedProject]:
    """Yield every project of a file, checked; raise ``InputError`` if it cannot be read."""
    for source in load_file(path):
        yield check_source(source, run, default, Path(path), report)


__all__ = ["CheckedProject", "ValidProject", "check_file", "check_source"]
