"""One small hierarchy of errors and findings, each saying where, what and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from docgen.i18n import N_, _

Path = tuple[str | int, ...]
Location = int | str
"""Where a value is: its line in a YAML or JSON file, or its cell in a workbook
(``绩效指标!I14``)."""


def format_path(path: Path) -> str:
    """Return a field path as the user reads it: ``绩效指标[3].得分``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class Severity(str, Enum):
    """How serious a finding is: errors stop rendering, warnings do not."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """Return the word printed before a finding, in the user's language."""
        return _(SEVERITY_LABELS[self])


SEVERITY_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning")}
HINT = N_("hint")
HINT_AFTER = N_("; ")
"""What joins a finding's message and its hint (Chinese: a full-width ``；``)."""


@dataclass(frozen=True)
class Finding:
    """A problem found in one project's data, located by its field path."""

    severity: Severity
    path: Path
    message: str
    file: str | None = None
    line: Location | None = None
    hint: str | None = None
    """How to fix it, when the message does not already say so (printed after ``; ``)."""

    def located(self, file: str | None, line: Location | None) -> Finding:
        """Return this finding with the file and line it comes from."""
        return Finding(self.severity, self.path, self.message, file, line, self.hint)

    def to_json(self) -> dict[str, str | int | None]:
        """Return this finding as ``check --json`` and the service report it."""
        return {
            "file": self.file,
            "line": self.line,
            "field": format_path(self.path),
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        field = format_path(self.path)
        text = f"{where}: {self.severity.label}: {field + ': ' if field else ''}{self.message}"
        return f"{text}{_(HINT_AFTER)}{self.hint}" if self.hint else text


class DocgenError(Exception):
    """Base class of every error docgen reports to a user without a traceback."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: Location | None = None,
        path: Path = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.path = path
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle every attribute (file, line, hint, findings …), not only the message.

        Errors cross process boundaries (batch and render workers); the default pickling of
        exceptions keeps ``args`` alone and would call ``__init__`` with them.
        """
        return (_restore, (type(self), self.args, self.__dict__))

    def to_json(self) -> dict[str, str | int | None]:
        """Return this error as ``check --json`` reports a finding."""
        finding = Finding(Severity.ERROR, self.path, self.message, self.file, self.line, self.hint)
        return finding.to_json()

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        field = format_path(self.path)
        text = f"{where}{field + ': ' if field else ''}{self.message}"
        return f"{text}\n  {_(HINT)}: {self.hint}" if self.hint else text


def _restore(cls: type[DocgenError], args: tuple[Any, ...], state: dict[str, Any]) -> DocgenError:
    """Return the error *cls* with *args* and *state*, as it was pickled."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(DocgenError):
    """An input file cannot be read, parsed or validated."""


class InvalidProjectError(InputError):
    """A project's data breaks the form's rules; carries every finding."""

    def __init__(self, findings: list[Finding], *, file: str | None = None) -> None:
        errors = [f for f in findings if f.severity is Severity.ERROR]
        message = _("{count} error(s) in the project data").format(count=len(errors))
        super().__init__(message, file=file, path=())
        self.findings = findings

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings if f.severity is Severity.ERROR)


class TemplateProblem(DocgenError):
    """A template cannot be loaded, compiled or rendered."""


class OutputError(DocgenError):
    """A document cannot be written where it was asked for."""
