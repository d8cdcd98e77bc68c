"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from docgen.errors import DocgenError, Finding, InvalidProjectError, format_path

PROBLEM = "application/problem+json"


class ServiceProblem(Exception):
    """A request the service refuses, with its status and details."""

    def __init__(
        self, status: int, title: str, detail: str = "", errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with every field (a worker process raises it for the server)."""
        return (ServiceProblem, (self.status, self.title, self.detail, self.errors))


def finding_json(finding: Finding) -> dict[str, Any]:
    """Return a finding as the API reports it (``path`` is ``field``, by its older name)."""
    return {**finding.to_json(), "path": format_path(finding.path)}


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
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM)


def from_docgen(exc: DocgenError, status: int = 422) -> ServiceProblem:
    """Return the problem that a docgen error means for a request."""
    if isinstance(exc, InvalidProjectError):
        return ServiceProblem(
            status, "invalid project data", str(exc), [finding_json(f) for f in exc.findings]
        )
    errors = [{"path": format_path(exc.path), "line": exc.line, "message": exc.message}]
    detail = str(exc)
    return ServiceProblem(status, type(exc).__name__, detail, errors)
