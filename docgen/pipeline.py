"""From a file to checked projects: read, validate, compute, check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Finding, Severity
from docgen.model.project import Project, Rounding
from docgen.rules.checks import check
from docgen.rules.evaluate import Evaluation, evaluate
from docgen.sources.loader import SourceProject, load_file
from docgen.sources.validate import raw_path, to_project


@dataclass(frozen=True)
class CheckedProject:
    """One project as read, with what the rules computed and found."""

    source: SourceProject
    project: Project | None
    evaluation: Evaluation | None
    findings: list[Finding] = field(default_factory=list)

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


def check_source(
    source: SourceProject, rounding: Rounding | None = None, default: Rounding | None = None
) -> CheckedProject:
    """Return *source* validated, evaluated and checked, each finding located.

    *rounding* is the run's choice; *default* (a template's) applies when neither the run nor
    the project names one.
    """
    project, findings = to_project(source)
    if project is None:
        return CheckedProject(source, None, None, findings)
    evaluation = evaluate(project, rounding or project.rounding or default)
    located = [
        f.located(source.file, source.line_of(raw_path(source.data, f.path)))
        for f in check(project, evaluation)
    ]
    return CheckedProject(source, project, evaluation, located)


def check_file(
    path: str | Path, rounding: Rounding | None = None, default: Rounding | None = None
) -> Iterator[CheckedProject]:
    """Yield every project of a file, checked; raise ``InputError`` if it cannot be read."""
    for source in load_file(path):
        yield check_source(source, rounding, default)


__all__ = ["CheckedProject", "check_file", "check_source"]
