"""The HTTP API: check and render projects, run batches, manage templates.

Every error is an RFC 9457 problem (``application/problem+json``) with field paths; invalid
data is a 4xx, never a 500.  Rendering and template checks run in worker processes with a
time and a memory limit; a worker past its time limit is killed and replaced.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, File, Form, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen import __version__
from docgen.batch import Options, SerialExecutor, run_batch
from docgen.batch_report import write_summary
from docgen.check_report import figures_json, indicators_json
from docgen.engine import CheckedProject, Engine, RunSettings, ValidProject
from docgen.errors import DocgenError, InvalidProjectError, Severity
from docgen.i18n import N_, _
from docgen.model.project import SCORING_NAMES
from docgen.model.schema import project_schema
from docgen.ooxml.zipwriter import Entry, write_zip
from docgen.output import write_atomic
from docgen.render.check import Problem, check_template
from docgen.render.documents import KINDS, Kind, get_kind
from docgen.render.templates import FILE_NAMES
from docgen.rules.evaluate import NO_OPTIONS, RuleOptions
from docgen.rules.rulesets import scoring_named
from docgen.service.apidocs import install_docs
from docgen.service.language import RequestLanguage
from docgen.service.problems import (
    PROBLEM,
    PROBLEM_SCHEMA,
    ServiceProblem,
    error_item,
    finding_json,
    from_docgen,
    problem_response,
)
from docgen.service.safety import read_upload
from docgen.service.settings import Settings
from docgen.sources.loader import (
    SUFFIXES,
    WORKBOOK_SUFFIXES,
    load_file,
)
from docgen.worker_limits import WorkTimeout
from docgen.workers import WorkerDied, WorkerPool

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKER_NICENESS = 5
HTTP_TITLES = (N_("Not Found"), N_("Method Not Allowed"))
"""Starlette's titles of the HTTP errors it raises itself, translated like docgen's."""
"""Workers run at a lower priority than the server, so that it answers while they work."""
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}")
_SCORING = Query(
    description="score the indicators by a named rule set, over the data's 评分规则: "
    + SCORING_NAMES
)
_TEMPLATE = Query(description="an uploaded template set (POST /v1/templates); default: built-in")
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
    _problems_everywhere(schema)
    return schema


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _PROBLEM_REF}}}


def _problems_everywhere(schema: dict[str, Any]) -> None:
    """Describe errors as the service sends them: problem+json, and the bearer token."""
    components = schema["components"]
    components["schemas"]["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(unused, None)
    components["securitySchemes"] = {
        "bearerToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "DOCGEN_API_TOKEN, when the server sets one",
        }
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses["422"] = _problem_response("the request or its data is invalid")
            responses["default"] = _problem_response("any other error")
            if path == "/v1/templates" and method == "post":
                operation["security"] = [{"bearerToken": []}, {}]
                unauthorised = _problem_response("the bearer token is missing or wrong")
                unauthorised["headers"] = {
                    "WWW-Authenticate": {"schema": {"type": "string"}, "example": BEARER}
                }
                responses["401"] = unauthorised


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
    """The state behind the routes: settings, and the worker processes that do the work.

    Every render and template check runs in a warm worker process (``docgen.workers``) with
    the render time limit and a memory limit; past the time limit the worker is killed and
    replaced, so the work really stops and the server itself stays responsive.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: WorkerPool | None = None
        self._pool_lock = threading.Lock()
        self._pdf: Any = None  # a docgen.pdf.PdfPool, made on the first PDF asked for

    def pdf_pool(self) -> Any:
        """Return the warm LibreOffice workers of PDF requests (kept until the server stops)."""
        try:
            from docgen.pdf import PdfPool
        except ImportError:
            raise ServiceProblem(
                501, _("PDF output is not available in this installation")
            ) from None
        with self._pool_lock:
            if self._pdf is None:
                self._pdf = PdfPool(self.settings.workers, self.settings.render_timeout)
            return self._pdf

    @property
    def pool(self) -> WorkerPool:
        """Return the worker pool (started on first use, or when the server starts)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = WorkerPool(
                    self.settings.workers,
                    self.settings.render_timeout,
                    self.settings.worker_memory_mb * 1024 * 1024,
                    nice=WORKER_NICENESS,
                )
            return self._pool

    @asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """Start the warm workers with the server; stop them when it stops."""
        self.pool  # noqa: B018 — starts the workers
        try:
            yield
        finally:
            with self._pool_lock:
                pool, self._pool = self._pool, None
                pdf, self._pdf = self._pdf, None
            if pool is not None:
                await asyncio.to_thread(pool.close)
            if pdf is not None:
                await asyncio.to_thread(pdf.close)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Return ``function(*args)`` computed in a worker, within the render time limit."""
        return await self._limited(self.pool.run, function, *args)

    async def _limited(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return await asyncio.to_thread(call, *args)
        except WorkTimeout:
            raise ServiceProblem(
                503,
                _("rendering took too long"),
                _("limit {seconds} s").format(seconds=f"{self.settings.render_timeout:g}"),
            ) from None
        except WorkerDied as exc:
            raise ServiceProblem(503, _("the worker stopped"), exc.message) from None

    def engine(
        self,
        template: str | None,
        rules: RuleOptions = NO_OPTIONS,
        kinds: tuple[str, ...] = tuple(KINDS),
    ) -> Engine:
        """Return the engine for an uploaded template set (or the built-in one), the request's
        rules and the kinds it renders — the settings ``docgen render`` resolves the same way."""
        if template is None:
            return Engine(RunSettings(None, kinds, rules))
        if not _TEMPLATE_NAME.fullmatch(template):
            raise ServiceProblem(422, _("bad template name"), _("letters, digits, _ and - only"))
        folder = self.settings.templates_dir / template
        if not folder.is_dir():
            raise ServiceProblem(
                404,
                _("no such template"),
                _("{name} has not been uploaded").format(name=repr(template)),
            )
        return Engine(RunSettings(folder, kinds, rules))

    async def parse(self, request: Request, engine: Engine) -> CheckedProject:
        """Return the one project in the request body, checked by *engine*."""
        body = await request.body()  # read already, within the limits (BodyLimit)
        kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        work = partial(_parse_one, body, kind, engine, self.settings.max_indicators)
        try:  # off the event loop: /healthz and other requests go on meanwhile
            item: CheckedProject = await asyncio.wait_for(
                asyncio.to_thread(work), self.settings.render_timeout
            )
        except (TimeoutError, asyncio.TimeoutError):  # one class from Python 3.11 on
            raise ServiceProblem(
                503,
                _("reading the data took too long"),
                _("limit {seconds} s").format(seconds=f"{self.settings.render_timeout:g}"),
            ) from None
        return item

    async def render(self, engine: Engine, valid: ValidProject, kind: Kind) -> bytes:
        """Return one document, rendered by *engine* in a killable worker."""
        data: bytes = await self._limited(engine.render, valid, kind, self.pool)
        return data

    async def pdf(self, data: bytes) -> bytes:
        """Return the PDF of a document (LibreOffice, killed past the render time limit)."""
        pdf: bytes = await asyncio.to_thread(_to_pdf, self.pdf_pool(), data)
        return pdf


def _rules(scoring: str | None) -> RuleOptions:
    """Return the request's rule options; an unknown rule set is a 422 naming the valid ones."""
    if scoring is None:
        return NO_OPTIONS
    try:
        return RuleOptions(scoring=scoring_named(scoring))
    except DocgenError as exc:
        raise ServiceProblem(422, _("unknown rule set"), f"{exc.message}; {exc.hint}") from None


def _parse_one(body: bytes, kind: str, engine: Engine, max_indicators: int) -> CheckedProject:
    """Return the one project of a request body, checked by *engine*."""
    if kind == XLSX:
        name = "request.xlsx"
    else:
        name = "request.yaml" if "yaml" in kind else "request.json"
        try:
            body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceProblem(400, _("the body is not UTF-8 text")) from None
    try:
        items = engine.check_bytes(body, name)
    except DocgenError as exc:
        raise from_docgen(exc, 422) from None
    if len(items) != 1:
        raise ServiceProblem(
            422,
            _("one project per request"),
            _("got {count}; send several to /v1/batches").format(count=len(items)),
        )
    item = items[0]
    if item.project is not None and len(item.project.indicators) > max_indicators:
        raise ServiceProblem(
            413,
            _("too many indicators"),
            _("at most {count} per project").format(count=max_indicators),
        )
    return item


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
    app.add_middleware(RequestLanguage)  # outermost: every message of a request in its language
    from docgen.service.web import install_web  # the page uses the API's helpers

    install_web(app, service)
    from docgen.service.imports import install_imports

    install_imports(app, service)
    install_docs(app)
    app.state.service = service
    app.router.lifespan_context = service.lifespan  # warm workers start and stop with it

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
        request: Request,
        scoring: Annotated[str | None, _SCORING] = None,
        template: Annotated[str | None, _TEMPLATE] = None,
    ) -> dict[str, Any]:
        """Check one project: errors, warnings, figures and each score's rule (200 with errors).

        With *template*, the uploaded template set's 舍入规则 and 评分规则 apply as when rendering.
        """
        engine = service.engine(template, _rules(scoring))
        try:
            item = await service.parse(request, engine)
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
        template: Annotated[str | None, _TEMPLATE] = None,
        scoring: Annotated[str | None, _SCORING] = None,
    ) -> Response:
        """Render one project as a .docx (or PDF)."""
        try:
            document_kind = get_kind(kind)
        except DocgenError as exc:
            raise ServiceProblem(422, _("unknown document kind"), exc.message) from None
        engine = service.engine(template, _rules(scoring), (document_kind.key,))  # 404 first
        item = await service.parse(request, engine)
        valid = item.valid
        if valid is None:
            raise from_docgen(InvalidProjectError(item.findings))
        data = await service.render(engine, valid, document_kind)
        (filename,) = engine.filenames(valid)
        media = DOCX
        if format == "pdf":
            data = await service.pdf(data)
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
        format: Annotated[
            str, Query(description="docx only: PDFs of a batch are made by `docgen batch --pdf`")
        ] = "docx",
        template: Annotated[str | None, _TEMPLATE] = None,
    ) -> Response:
        """Render many projects: a zip of documents with 汇总.xlsx and failures.json."""
        if format != "docx":
            raise ServiceProblem(
                422,
                _("a batch is rendered as .docx only"),
                _(
                    "format={format} is not offered for batches: convert them with "
                    "`docgen batch --pdf`, or ask /v1/documents?format=pdf for each project"
                ).format(format=repr(format)),
            )
        try:
            kinds = tuple(get_kind(k).key for k in kind) if kind else tuple(KINDS)
        except DocgenError as exc:
            raise ServiceProblem(422, _("unknown document kind"), exc.message) from None
        run = service.engine(template, _rules(scoring), kinds).settings  # 404 before reading
        data = await file.read()
        name = _safe_name(file.filename, "upload.yaml")
        return Response(
            await service.run(_batch, data, name, service.settings, run),
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
            raise ServiceProblem(422, _("bad template name"), _("letters, digits, _ and - only"))
        try:
            document_kind = get_kind(kind)
        except DocgenError as exc:
            raise ServiceProblem(422, _("unknown document kind"), exc.message) from None
        data = await file.read()
        problems: list[Problem] = await service.run(check_upload, data, document_kind.key)
        return _store_template(data, name, document_kind, service.settings, problems)

    return app


def _cache(app: FastAPI) -> dict[str, Any]:
    app.openapi_schema = _openapi_body(app)
    return app.openapi_schema


BEARER = 'Bearer realm="docgen templates"'


def _authorize(settings: Settings, header: str | None) -> None:
    if settings.api_token is None:
        return
    scheme, _sep, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), settings.api_token.encode()
    ):
        raise ServiceProblem(
            401,
            _("a bearer token is required to upload templates"),
            headers={"WWW-Authenticate": BEARER},
        )


def check_upload(data: bytes, kind: str) -> list[Problem]:
    """Return the errors of an uploaded template: ``docgen templates check``, in a worker."""
    with tempfile.TemporaryDirectory() as work:
        candidate = Path(work) / FILE_NAMES[kind][0]
        candidate.write_bytes(data)
        return [p for p in check_template(candidate, kind) if p.severity == "error"]


def _store_template(
    data: bytes, name: str, kind: Kind, settings: Settings, problems: list[Problem]
) -> dict[str, Any]:
    if problems:
        raise ServiceProblem(
            422,
            problems[0].message if len(problems) == 1 else _("the template has problems"),
            "; ".join(p.message for p in problems[:5]) + (" …" if len(problems) > 5 else ""),
            [
                error_item(
                    p.message,
                    file=name,
                    line=str(p.location) if p.location else None,
                    hint=p.hint,
                    severity=Severity(p.severity),
                )
                for p in problems
            ],
        )
    write_atomic(settings.templates_dir / name / FILE_NAMES[kind.key][0], data)
    return {"name": name, "kind": kind.label, "stored": True}


def _to_pdf(pool: Any, data: bytes) -> bytes:
    from docgen.pdf import PdfConversionError

    try:  # LibreOffice is killed past the time limit
        pdf: bytes = pool.convert_bytes(data)
    except PdfConversionError as exc:
        raise ServiceProblem(
            503, _("LibreOffice could not convert the document to PDF in time"), str(exc)
        ) from None
    except DocgenError as exc:
        raise ServiceProblem(503, _("PDF conversion is not available"), str(exc)) from None
    return pdf


def _batch(data: bytes, name: str, settings: Settings, run: RunSettings) -> bytes:
    """Return the zip of a batch's documents and reports (``docgen batch``, in a worker).

    The files are unpacked under numbered names, and every report names them as the upload
    does (``upload.zip/dept/a.yaml``), never by the server's temporary folders.
    """
    name = _safe_name(name, "upload.yaml")
    with tempfile.TemporaryDirectory() as work:
        inputs, output = Path(work) / "in", Path(work) / "out"
        inputs.mkdir()
        shown: dict[str, str] = {}  # server path → the name in the upload
        if name.lower().endswith(".zip"):
            for number, (member, content) in enumerate(read_upload(data, settings, "the upload")):
                base = Path(member.filename).name
                if base.lower().endswith(SUFFIXES + WORKBOOK_SUFFIXES) and not base.startswith("."):
                    target = inputs / f"{number:04d}_{base}"
                    target.write_bytes(content)
                    shown[str(target)] = f"{name}/{member.filename}"
        elif name.lower().endswith(SUFFIXES + WORKBOOK_SUFFIXES):
            (inputs / name).write_bytes(data)
            shown[str(inputs / name)] = name
        else:
            raise ServiceProblem(422, _("send a .yaml, .yml, .json, .xlsx or .zip file"))
        files = sorted(inputs.iterdir())
        if not files:
            raise ServiceProblem(422, _("the upload holds no project files"))
        count = 0
        for path in files:
            try:
                count += len(load_file(path, shown[str(path)]))
            except DocgenError:  # an unreadable file is reported as a failure by the batch
                count += 1
        if count > settings.max_projects:
            raise ServiceProblem(
                413,
                _("too many projects"),
                _("at most {count} per batch").format(count=settings.max_projects),
            )
        options = Options(str(output), run, shown=tuple(shown.items()))
        report = run_batch(files, options, executor=SerialExecutor())
        write_summary(report)
        entries = [
            Entry.deflated(path.name, path.read_bytes())
            for path in sorted(output.iterdir())
            if not path.name.startswith(".")
        ]
        return write_zip(entries)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ServiceProblem)
    async def service_problem(request: Request, exc: ServiceProblem) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError) -> JSONResponse:
        return problem_response(from_docgen(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [error_item(e["msg"], path=tuple(str(p) for p in e["loc"])) for e in exc.errors()]
        problem = ServiceProblem(422, _("invalid request"), _("see errors"), errors)
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette's own titles ("Not Found") are msgids too (HTTP_TITLES); others stay.
        return problem_response(ServiceProblem(exc.status_code, _(str(exc.detail))))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            ServiceProblem(
                500,
                _("internal error"),
                _("{error}: a bug in docgen; please report it").format(error=type(exc).__name__),
            )
        )


def _install_limits(app: FastAPI, settings: Settings) -> None:
    limit = settings.max_request_bytes

    @app.middleware("http")
    async def declared_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return problem_response(_too_large(limit))
        return await call_next(request)

    app.add_middleware(BodyLimit, limit=limit, timeout=settings.body_timeout)


def _too_large(limit: int) -> ServiceProblem:
    detail = _("at most {count} bytes").format(count=f"{limit:,}")
    return ServiceProblem(413, _("request too large"), detail)


class BodyLimit:
    """ASGI middleware: read a request body (chunked or not) only up to *limit* bytes, and
    within *timeout* seconds.

    The body is read before the application sees it; past the limit the request is answered
    with 413 at once, without reading the rest; a client that sends it too slowly (a
    slow-loris) gets 408 and its connection is closed.
    """

    def __init__(self, app: Any, limit: int, timeout: float = 30) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        messages = []
        received = 0
        deadline = asyncio.get_running_loop().time() + self.timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receive(), max(remaining, 0.001))
            except (TimeoutError, asyncio.TimeoutError):
                slow = ServiceProblem(
                    408,
                    _("the request body came too slowly"),
                    _("send it within {seconds} s").format(seconds=f"{self.timeout:g}"),
                    headers={"Connection": "close"},
                )
                await problem_response(slow)(scope, receive, send)
                return
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.limit:
                response = problem_response(_too_large(self.limit))
                await response(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def buffered() -> Any:
            return next(replay, None) or await receive()

        await self.app(scope, buffered, send)
