"""The HTTP API: check and render projects, run batches, manage templates.

Every error is an RFC 9457 problem (``application/problem+json``) with field paths; invalid
data is a 4xx, never a 500.  Rendering runs in worker threads with a time limit.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import secrets
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, File, Form, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen import __version__
from docgen.batch import Options, SerialExecutor, run_batch
from docgen.batch_report import write_summary
from docgen.check_report import figures_json, indicators_json
from docgen.errors import DocgenError, InvalidProjectError
from docgen.model.project import SCORING_NAMES
from docgen.model.schema import project_schema
from docgen.output import write_atomic
from docgen.pipeline import CheckedProject, check_source
from docgen.render.check import check_template
from docgen.render.documents import KINDS, Kind, Renderer, get_kind
from docgen.render.templates import FILE_NAMES, load_path
from docgen.rules.evaluate import NO_OPTIONS, RuleOptions
from docgen.rules.rulesets import scoring_named
from docgen.service.apidocs import install_docs
from docgen.service.problems import (
    ServiceProblem,
    finding_json,
    from_docgen,
    problem_response,
)
from docgen.service.safety import check_docx_upload, open_zip, read_member
from docgen.service.settings import Settings
from docgen.sources.loader import (
    SUFFIXES,
    WORKBOOK_SUFFIXES,
    SourceProject,
    load_file,
    load_text,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}")
_SCORING = Query(
    description="score the indicators by a named rule set, over the data's 评分规则: "
    + SCORING_NAMES
)
_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Project"}},
        "application/yaml": {"schema": {"type": "string"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    },
}


def _openapi_body(app: FastAPI) -> dict[str, Any]:
    """Return the OpenAPI document with the project schema as a component."""
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title, version=app.version, routes=app.routes, description=app.description
    )
    project = project_schema()
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in project.get("$defs", {}).items():
        components[name] = _rewrite_refs(definition)
    return schema


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _rewrite_refs(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


class Service:
    """The state behind the routes: settings and the renderers in use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def renderer(self, template: str | None, rules: RuleOptions = NO_OPTIONS) -> Renderer:
        """Return the renderer for an uploaded template set, or the built-in one."""
        if template is None:
            return Renderer(None, rules)
        if not _TEMPLATE_NAME.fullmatch(template):
            raise ServiceProblem(422, "bad template name", "letters, digits, _ and - only")
        folder = self.settings.templates_dir / template
        if not folder.is_dir():
            raise ServiceProblem(404, "no such template", f"{template!r} has not been uploaded")
        return Renderer(folder, rules)

    async def parse(
        self, request: Request, renderer: Renderer | None = None, kinds: list[Kind] | None = None
    ) -> CheckedProject:
        """Return the one project in the request body, checked with *renderer*'s rules.

        The run's options are the renderer's; the templates of *kinds* supply the defaults.
        """
        body = await request.body()
        kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        try:
            if kind == XLSX:
                sources = _workbook_sources(body, "request.xlsx")
            else:
                name = "request.yaml" if "yaml" in kind else "request.json"
                try:
                    text = body.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ServiceProblem(400, "the body is not UTF-8 text") from None
                sources = load_text(text, name)
        except DocgenError as exc:
            raise from_docgen(exc, 422) from None
        if len(sources) != 1:
            raise ServiceProblem(
                422, "one project per request", f"got {len(sources)}; send several to /v1/batches"
            )
        renderer = renderer or Renderer()
        default = renderer.default_options(kinds or [], None)
        item = check_source(sources[0], renderer.options, default)
        if item.project is not None and len(item.project.indicators) > self.settings.max_indicators:
            raise ServiceProblem(
                413, "too many indicators", f"at most {self.settings.max_indicators} per project"
            )
        return item

    async def in_time(self, work: Callable[[], Any]) -> Any:
        """Run CPU work in a thread, within the render time limit."""
        try:
            return await asyncio.wait_for(run_in_threadpool(work), self.settings.render_timeout)
        except (TimeoutError, asyncio.TimeoutError):  # one class from Python 3.11 on
            raise ServiceProblem(
                503, "rendering took too long", f"limit {self.settings.render_timeout:g} s"
            ) from None


def _rules(scoring: str | None) -> RuleOptions:
    """Return the request's rule options; an unknown rule set is a 422 naming the valid ones."""
    if scoring is None:
        return NO_OPTIONS
    try:
        return RuleOptions(scoring=scoring_named(scoring))
    except DocgenError as exc:
        raise ServiceProblem(422, "unknown rule set", f"{exc.message}; {exc.hint}") from None


def _workbook_sources(data: bytes, name: str) -> list[SourceProject]:
    """Return the projects of an uploaded workbook (read from a temporary file)."""
    name = _safe_name(name, "upload.xlsx")
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / name
        path.write_bytes(data)
        sources = load_file(path)
    return [replace(source, file=name) for source in sources]


def _safe_name(name: str | None, default: str) -> str:
    """Return an uploaded file's name without any folder part (never a path from a client)."""
    base = Path((name or "").replace("\\", "/")).name.strip()
    return base if base and base not in (".", "..") else default


# Words of docgen's file names, spelled in ASCII for clients that read only ``filename=``.
_ASCII_WORDS = {"自评表": "table", "自评报告": "report", "汇总": "summary"}


def _disposition(filename: str) -> str:
    """Return a Content-Disposition header that is safe for any client.

    ``filename*`` carries the real name in UTF-8 (RFC 6266). Clients that read only
    ``filename=`` (``curl -OJ``, old browsers) get a readable ASCII name: the name's ASCII
    words, its kind, and a short hash of the whole name, so that two documents never share
    a fallback: ``2024_信息化运维项目_自评表.docx`` → ``2024_table_1c0f5a2e.docx``.
    """
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix)
    if re.fullmatch(r"[A-Za-z0-9._-]+", stem):
        fallback = stem
    else:
        words = [_ASCII_WORDS.get(w, w) for w in stem.split("_")]
        ascii_words = [w for w in words if re.fullmatch(r"[A-Za-z0-9.-]+", w)]
        digest = hashlib.sha256(filename.encode()).hexdigest()[:8]
        fallback = "_".join([*ascii_words, digest])
    fallback = f"{fallback}.{suffix}" if suffix else fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the docgen service application."""
    service = Service(settings or Settings())
    app = FastAPI(
        docs_url=None,  # served by install_docs from local copies: intranets reach no CDN
        redoc_url=None,
        title="docgen",
        version=__version__,
        description="Generate 财政项目支出绩效自评表 and 自评价报告 from project data.",
    )
    app.openapi = lambda: app.openapi_schema or _cache(app)  # type: ignore[method-assign]
    _install_errors(app)
    _install_limits(app, service.settings)
    from docgen.service.web import install_web  # the page uses the API's helpers

    install_web(app, service.settings)
    install_docs(app)

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """Report that the service is up."""
        return {"status": "ok", "version": __version__}

    @app.get("/v1/schema", tags=["projects"])
    def schema() -> dict[str, Any]:
        """Return the JSON Schema of project data."""
        return project_schema()

    @app.post("/v1/check", tags=["projects"], openapi_extra={"requestBody": _BODY})
    async def check(
        request: Request, scoring: Annotated[str | None, _SCORING] = None
    ) -> dict[str, Any]:
        """Check one project: errors, warnings, figures and each score's rule (200 with errors)."""
        renderer = service.renderer(None, _rules(scoring))
        try:
            item = await service.parse(request, renderer)
        except ServiceProblem as problem:
            if problem.status != 422 or not problem.errors:
                raise
            return {
                "ok": False,
                "errors": problem.errors,
                "warnings": [],
                "figures": None,
                "indicators": [],
            }
        return {
            "ok": not item.errors,
            "errors": [finding_json(f) for f in item.errors],
            "warnings": [finding_json(f) for f in item.warnings],
            "figures": figures_json(item),
            "indicators": indicators_json(item),
        }

    @app.post(
        "/v1/documents",
        tags=["projects"],
        openapi_extra={"requestBody": _BODY},
        responses={200: {"content": {DOCX: {}, "application/pdf": {}}}},
    )
    async def documents(
        request: Request,
        kind: Annotated[str, Query(description="自评表 (table) or 自评报告 (report)")] = "自评表",
        format: Annotated[str, Query(pattern="^(docx|pdf)$")] = "docx",
        template: Annotated[str | None, Query(description="an uploaded template set")] = None,
        scoring: Annotated[str | None, _SCORING] = None,
    ) -> Response:
        """Render one project as a .docx (or PDF)."""
        try:
            document_kind = get_kind(kind)
        except DocgenError as exc:
            raise ServiceProblem(422, "unknown document kind", exc.message) from None
        renderer = service.renderer(template, _rules(scoring))
        item = await service.parse(request, renderer, [document_kind])
        if item.errors or item.project is None or item.evaluation is None:
            raise from_docgen(InvalidProjectError(item.findings))
        data = await service.in_time(
            lambda: renderer.render(document_kind, item.project, item.evaluation)  # type: ignore[arg-type]
        )
        filename = document_kind.filename(item.project)
        media = DOCX
        if format == "pdf":
            data = await service.in_time(lambda: _to_pdf(data, filename))
            filename, media = filename.removesuffix(".docx") + ".pdf", "application/pdf"
        return Response(
            data, media_type=media, headers={"Content-Disposition": _disposition(filename)}
        )

    @app.post(
        "/v1/batches", tags=["batches"], responses={200: {"content": {"application/zip": {}}}}
    )
    async def batches(
        file: Annotated[UploadFile, File(description="a YAML/JSON file or a zip of them")],
        kind: Annotated[list[str] | None, Query()] = None,
        scoring: Annotated[str | None, _SCORING] = None,
    ) -> Response:
        """Render many projects: a zip of documents with 汇总.xlsx and failures.json."""
        try:
            kinds = tuple(get_kind(k).key for k in kind) if kind else tuple(KINDS)
        except DocgenError as exc:
            raise ServiceProblem(422, "unknown document kind", exc.message) from None
        rules = _rules(scoring)
        data = await file.read()
        name = _safe_name(file.filename, "upload.yaml")
        return Response(
            await service.in_time(lambda: _batch(data, name, kinds, service.settings, rules)),
            media_type="application/zip",
            headers={"Content-Disposition": _disposition("docgen-batch.zip")},
        )

    @app.get("/v1/templates", tags=["templates"])
    def templates() -> list[dict[str, str]]:
        """List the built-in and uploaded templates."""
        found = [
            {"name": "built-in", "kind": kind.label, "origin": "built-in"}
            for kind in KINDS.values()
        ]
        root = service.settings.templates_dir
        for folder in sorted(root.iterdir()) if root.is_dir() else []:
            for kind in KINDS.values():
                if (folder / FILE_NAMES[kind.key][0]).is_file():
                    found.append({"name": folder.name, "kind": kind.label, "origin": "uploaded"})
        return found

    @app.post("/v1/templates", tags=["templates"], status_code=201)
    async def upload_template(
        file: Annotated[UploadFile, File(description="the .docx template")],
        name: Annotated[str, Form(description="the template set's name")],
        kind: Annotated[str, Form(description="自评表 or 自评报告")] = "自评表",
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Upload a template: checked like `docgen templates check`, refused when broken."""
        _authorize(service.settings, authorization)
        if not _TEMPLATE_NAME.fullmatch(name):
            raise ServiceProblem(422, "bad template name", "letters, digits, _ and - only")
        try:
            document_kind = get_kind(kind)
        except DocgenError as exc:
            raise ServiceProblem(422, "unknown document kind", exc.message) from None
        data = await file.read()
        check_docx_upload(data, service.settings)
        stored: dict[str, Any] = await service.in_time(
            lambda: _store_template(data, name, document_kind, service.settings)
        )
        return stored

    return app


def _cache(app: FastAPI) -> dict[str, Any]:
    app.openapi_schema = _openapi_body(app)
    return app.openapi_schema


def _authorize(settings: Settings, header: str | None) -> None:
    if settings.api_token is None:
        return
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), settings.api_token.encode()
    ):
        raise ServiceProblem(401, "a bearer token is required to upload templates")


def _store_template(data: bytes, name: str, kind: Kind, settings: Settings) -> dict[str, Any]:
    target = settings.templates_dir / name / FILE_NAMES[kind.key][0]
    with tempfile.TemporaryDirectory() as work:
        candidate = Path(work) / FILE_NAMES[kind.key][0]
        candidate.write_bytes(data)
        problems = [p for p in check_template(candidate, kind.key) if p.severity == "error"]
        if not problems:
            try:  # its config (document properties) must be sound and name this kind
                load_path(candidate, kind.key)
            except DocgenError as exc:
                raise ServiceProblem(422, "the template's config is wrong", exc.message) from None
        if problems:
            raise ServiceProblem(
                422,
                "the template has problems",
                f"{len(problems)} problem(s)",
                [
                    {"location": str(p.location or ""), "message": p.message, "fix": p.hint}
                    for p in problems
                ],
            )
    write_atomic(target, data)
    return {"name": name, "kind": kind.label, "stored": True}


def _to_pdf(data: bytes, filename: str) -> bytes:
    try:
        from docgen.pdf import convert_to_pdf
    except ImportError:
        raise ServiceProblem(501, "PDF output is not available in this installation") from None
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        try:
            (pdf,) = convert_to_pdf([source], Path(work) / "pdf")
        except DocgenError as exc:
            raise ServiceProblem(503, "PDF conversion is not available", str(exc)) from None
        return pdf.read_bytes()


def _batch(
    data: bytes,
    name: str,
    kinds: tuple[str, ...],
    settings: Settings,
    rules: RuleOptions = NO_OPTIONS,
) -> bytes:
    name = _safe_name(name, "upload.yaml")
    with tempfile.TemporaryDirectory() as work:
        inputs, output = Path(work) / "in", Path(work) / "out"
        inputs.mkdir()
        if name.lower().endswith(".zip"):
            archive = open_zip(data, settings, "the upload")
            for number, member in enumerate(archive.infolist()):
                base = Path(member.filename).name
                if (
                    not member.is_dir()
                    and base.lower().endswith(SUFFIXES + WORKBOOK_SUFFIXES)
                    and not base.startswith(".")
                ):
                    (inputs / f"{number:04d}_{base}").write_bytes(read_member(archive, member))
        elif name.lower().endswith(SUFFIXES + WORKBOOK_SUFFIXES):
            (inputs / name).write_bytes(data)
        else:
            raise ServiceProblem(422, "send a .yaml, .yml, .json, .xlsx or .zip file")
        files = sorted(inputs.iterdir())
        if not files:
            raise ServiceProblem(422, "the upload holds no project files")
        count = 0
        for path in files:
            try:
                count += len(load_file(path))
            except Exception:  # any unreadable file is reported as a failure by the batch
                count += 1
        if count > settings.max_projects:
            raise ServiceProblem(
                413, "too many projects", f"at most {settings.max_projects} per batch"
            )
        options = Options(str(output), kinds, rules)
        report = run_batch(files, options, executor=SerialExecutor())
        write_summary(report)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_out:
            for path in sorted(output.iterdir()):
                if not path.name.startswith("."):
                    archive_out.write(path, path.name)
        return buffer.getvalue()


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ServiceProblem)
    async def service_problem(request: Request, exc: ServiceProblem) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError) -> JSONResponse:
        return problem_response(from_docgen(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        return problem_response(ServiceProblem(422, "invalid request", "see errors", errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(ServiceProblem(exc.status_code, str(exc.detail)))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            ServiceProblem(
                500, "internal error", f"{type(exc).__name__}: a bug in docgen; please report it"
            )
        )


def _install_limits(app: FastAPI, settings: Settings) -> None:
    limit = settings.max_request_bytes
    too_large = ServiceProblem(413, "request too large", f"at most {limit:,} bytes")

    @app.middleware("http")
    async def declared_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return problem_response(too_large)
        return await call_next(request)

    app.add_middleware(BodyLimit, limit=limit)


class BodyLimit:
    """ASGI middleware: read a request body (chunked or not) only up to *limit* bytes.

    The body is read before the application sees it; past the limit the request is answered
    with 413 at once, without reading the rest.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        messages = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.limit:
                response = problem_response(
                    ServiceProblem(413, "request too large", f"at most {self.limit:,} bytes")
                )
                await response(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def buffered() -> Any:
            return next(replay, None) or await receive()

        await self.app(scope, buffered, send)
