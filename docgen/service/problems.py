"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from docgen.errors import (
    DocgenError,
    Finding,
    InputError,
    InvalidProjectError,
    OutputError,
    Severity,
    TemplateProblem,
    format_path,
)
from docgen.i18n import N_, _

PROBLEM = "application/problem+json"


class ServiceProblem(Exception):
    """A request the service refuses, with its status and details."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with every field (a worker process raises it for the server)."""
        return (
            ServiceProblem,
            (self.status, self.title, self.detail, self.errors, self.headers),
        )


def finding_json(finding: Finding) -> dict[str, Any]:
    """Return a finding as the API reports every error item (``path`` is ``field``, by its
    older name): the same fields as ``check --json`` and ``failures.json``."""
    return {**finding.to_json(), "path": format_path(finding.path)}


def error_item(
    message: str,
    *,
    file: str | None = None,
    line: int | str | None = None,
    path: tuple[str | int, ...] = (),
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
) -> dict[str, Any]:
    """Return one error item of a problem document, in the one shape the API uses."""
    return finding_json(Finding(severity, path, message, file, line, hint or None))


def problem_response(problem: ServiceProblem) -> JSONResponse:
    """Return the JSON problem response of *problem*."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail or problem.title,
    }
    if problem.errors:
        body["errors"] = problem.errors
    return JSONResponse(
        body, status_code=problem.status, media_type=PROBLEM, headers=problem.headers or None
    )


# The OpenAPI description of every error response: RFC 9457, with docgen's located findings.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` lists the located findings.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "invalid project data"},
        "status": {"type": "integer", "example": 422},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "file": {"type": ["string", "null"]},
                    "line": {"type": ["integer", "string", "null"]},
                    "field": {"type": ["string", "null"]},
                    "path": {"type": ["string", "null"]},
                    "severity": {"type": "string"},
                    "message": {"type": "string"},
                    "hint": {"type": ["string", "null"]},
                },
            },
        },
    },
}


def from_docgen(exc: DocgenError, status: int = 422) -> ServiceProblem:
    """Return the problem that a docgen error means for a request."""
    if isinstance(exc, InvalidProjectError):
        return ServiceProblem(
            status, _("invalid project data"), str(exc), [finding_json(f) for f in exc.findings]
        )
    errors = [error_item(exc.message, file=exc.file, line=exc.line, path=exc.path, hint=exc.hint)]
    detail = str(exc)
    return ServiceProblem(status, _(_title(exc)), detail, errors)


TITLES: tuple[tuple[type[DocgenError], str], ...] = (
    (InputError, N_("the data cannot be used")),
    (TemplateProblem, N_("the template cannot be used")),
    (OutputError, N_("the output cannot be written")),
)
"""A problem's title by the kind of docgen error (the detail says what exactly)."""


def _title(exc: DocgenError) -> str:
    return next((title for kind, title in TITLES if isinstance(exc, kind)), N_("request failed"))
