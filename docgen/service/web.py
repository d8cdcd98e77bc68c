"""The web page at ``/``: paste or upload project data, see the check, download documents.

Plain HTML forms, no JavaScript: it works in any browser, with a screen reader, behind any
proxy.  Results are shown on the page itself, with each finding's line and field.
"""

from __future__ import annotations

import asyncio
import base64
import html
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response

from docgen.engine import CheckedProject, Engine, RunSettings
from docgen.errors import DocgenError, Finding, format_path
from docgen.i18n import N_, _
from docgen.pdf import find_soffice
from docgen.preview import PreviewUnavailable, first_page_png
from docgen.render.documents import KINDS, get_kind
from docgen.service.app import Service, _batch, _disposition
from docgen.service.problems import ServiceProblem
from docgen.service.safety import read_upload
from docgen.sources.loader import SUFFIXES, WORKBOOK_SUFFIXES

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.5rem}label{font-weight:bold;display:block;margin-top:1rem}
textarea{width:100%;min-height:18rem;font-family:monospace;font-size:.9rem}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font-size:1rem}
.error{color:#a00}.warning{color:#8a5a00}.ok{color:#060}
.summary{font-weight:bold;padding:.5rem .8rem;border-left:.3rem solid currentColor}
ol.fields{list-style:none;padding:0}
li.field{display:grid;grid-template-columns:minmax(12rem,1fr) 2fr;gap:.3rem 1rem;margin:.6rem 0;
padding:.5rem .8rem;border:1px solid #ccc;border-left-width:.4rem}
li.has-error{border-left-color:#a00;background:#fff5f5}
li.has-warning{border-left-color:#c98a00;background:#fffbef}
li.field .name strong{display:block}
.path,.where,.source{display:block;font-family:monospace;font-size:.85rem;color:#555}
.source{white-space:pre-wrap;background:#f3f3f3;padding:0 .3rem}
ul.messages{margin:0;padding:0;list-style:none}ul.messages li{margin:.1rem 0}
.badge{display:inline-block;padding:0 .4rem;border-radius:.2rem;color:#fff;font-size:.85rem}
li.error .badge{background:#a00}li.warning .badge{background:#8a5a00}
.hint{color:#555}
@media (max-width:40rem){li.field{grid-template-columns:1fr}}
figure.preview img{max-width:100%;height:auto;border:1px solid #999;box-shadow:0 0 .3rem #aaa}
"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>docgen · 财政项目支出绩效自评</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return HTMLResponse(document, status_code=status)


class Uploads:
    """Uploads kept after 检查, so that 生成并下载 works on the file that was checked.

    A browser empties a file input when the page comes back, and the page has no JavaScript:
    the form carries a random token instead. At most *count* uploads of at most *size* bytes
    each are kept, each for *ttl* seconds, oldest dropped first.
    """

    def __init__(self, count: int = 32, size: int = 10 * 1024 * 1024, ttl: float = 3600) -> None:
        self.count, self.size, self.ttl = count, size, ttl
        self._kept: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, name: str, data: bytes) -> str | None:
        """Keep an upload; return its token (``None`` when it is too large to keep)."""
        if len(data) > self.size:
            return None
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            self._kept[token] = (time.monotonic(), name, data)
            while len(self._kept) > self.count:
                self._kept.popitem(last=False)
        return token

    def get(self, token: str) -> tuple[str, bytes] | None:
        """Return the name and bytes of a kept upload, if it is still kept."""
        with self._lock:
            self._expire()
            kept = self._kept.get(token)
        return (kept[1], kept[2]) if kept else None

    def _expire(self) -> None:
        now = time.monotonic()
        while self._kept and now - next(iter(self._kept.values()))[0] > self.ttl:
            self._kept.popitem(last=False)


def _form(text: str = "", upload: tuple[str, str] | None = None, invalid: bool = False) -> str:
    """Return the form; *upload* is the (token, name) of a file kept from the last step."""
    kinds = "".join(
        f'<option value="{k}">{html.escape(v.label)}</option>' for k, v in KINDS.items()
    )
    kept = ""
    if upload is not None:
        token, name = upload
        kept = (
            f'<input type="hidden" name="upload" value="{html.escape(token)}">'
            '<p id="kept" role="note">'
            + _(
                "uploaded file: {name} (used when generating; choose a file again to replace it)"
            ).format(name=f"<strong>{html.escape(name)}</strong>")
            + "</p>"
        )
    described = "text-help summary" if invalid else "text-help"
    invalid_mark = ' aria-invalid="true"' if invalid else ""
    return f"""
<h1>财政项目支出绩效自评 · 文档生成</h1>
<p>粘贴项目数据（YAML 或 JSON），或上传文件，先检查，再下载自评表与自评价报告。</p>
<form method="post" action="/web/check" enctype="multipart/form-data">
  <label for="text">项目数据（YAML / JSON）</label>
  <textarea id="text" name="text" aria-describedby="{described}"{invalid_mark}
    >{html.escape(text)}</textarea>
  <p id="text-help">键名用表格上的名称，如 年度、项目名称、项目资金、绩效指标。</p>
  <label for="file">或上传文件（.yaml / .json / .xlsx，多个文件可打包为 .zip）</label>
  <input id="file" name="file" type="file" accept=".yaml,.yml,.json,.xlsx,.zip">
  {kept}
  <label for="kind">文档</label>
  <select id="kind" name="kind">{kinds}<option value="all">全部</option></select>
  <div>
    <button type="submit">检查</button>
    <button type="submit" formaction="/web/documents">生成并下载</button>
  </div>
</form>
<p><a href="/web/import">导入去年的自评表（Word / PDF）</a></p>"""


def field_label(path: tuple[str | int, ...]) -> str:
    """Return a field path as the form names it.

    ``绩效指标[3].得分`` → ``绩效指标 第4行 · 得分``; the empty path → ``整个项目``.
    """
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            row = _("row {number}").format(number=part + 1)
            if parts:
                parts[-1] += f" {row}"
            else:
                parts.append(row)
        else:
            parts.append(str(part))
    return " · ".join(parts) or _("the whole project")


def _where(finding: Finding) -> str:
    """Return where a finding's field is written: its file (unless pasted) and its line."""
    parts = []
    if finding.file and finding.file != "pasted.yaml":
        parts.append(finding.file)
    if finding.line is not None:
        line = finding.line
        if isinstance(line, int):
            pasted = finding.file == "pasted.yaml"
            parts.append(
                (_("pasted text, line {line}") if pasted else _("line {line}")).format(line=line)
            )
        else:
            parts.append(str(line))
    return " · ".join(parts)


def _source_line(finding: Finding, lines: list[str]) -> str | None:
    """Return the line of the shown text that a finding names, quoted; ``""`` when there is
    no text to quote, ``None`` when the field is not on its line (a field not filled in,
    located at the start of its project)."""
    line = finding.line
    if not isinstance(line, int) or not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    last = finding.path[-1] if finding.path else None
    if isinstance(last, str) and last not in text:
        return None
    return f'<code class="source">{html.escape(text)}</code>' if text else ""


def _findings(items: list[CheckedProject], text: str = "", text_file: str | None = None) -> str:
    """Return the check's result: a summary, then the findings grouped by the field they name,
    each field under its label with its line, quoted from *text* when the finding is in it
    (*text_file*: the name of the file *text* is, ``pasted.yaml`` when pasted)."""
    lines = text.splitlines()
    groups: OrderedDict[tuple[str, str, str], list[Finding]] = OrderedDict()
    for item in items:
        for finding in sorted(item.findings, key=lambda f: f.severity.value != "error"):
            key = (item.label, finding.file or "", format_path(finding.path))
            groups.setdefault(key, []).append(finding)
    several = len(items) > 1
    blocks = []
    for number, ((label, _file, path), found) in enumerate(groups.items(), 1):
        first = found[0]
        has_error = any(f.severity.value == "error" for f in found)
        where = _where(first)
        quoted = _source_line(first, lines) if first.file == text_file else ""
        if quoted is None:
            where, quoted = (
                _("not in the pasted text")
                if first.file == "pasted.yaml"
                else _("not in the file"),
                "",
            )
        messages = "".join(
            f'<li class="{f.severity.value}"><span class="badge">'
            f"{html.escape(f.severity.label)}</span> "
            f"{html.escape(f.message)}"
            + (f'<span class="hint">（{html.escape(f.hint)}）</span>' if f.hint else "")
            + "</li>"
            for f in found
        )
        project = f'<span class="project">{html.escape(label)}</span> ' if several else ""
        blocks.append(
            f'<li class="field {"has-error" if has_error else "has-warning"}" '
            f'aria-labelledby="field-{number}">'
            f'<div class="name"><strong id="field-{number}">{project}'
            f"{html.escape(field_label(first.path))}</strong>"
            + (f'<span class="path">{html.escape(path)}</span>' if path else "")
            + (f'<a class="where" href="#text">{html.escape(where)}</a>' if where else "")
            + quoted
            + f'</div><ul class="messages">{messages}</ul></li>'
        )
    errors = sum(len(i.errors) for i in items)
    warnings = sum(len(i.warnings) for i in items)
    summary = (
        f'<p id="summary" class="summary {"error" if errors else "ok"}" '
        f'role="{"alert" if errors else "status"}">'
        + _("{projects} project(s): {errors} error(s), {warnings} warning(s).").format(
            projects=len(items), errors=errors, warnings=warnings
        )
        + (_("Correct the fields below, then check again.") if errors else _("Ready to generate."))
        + "</p>"
    )
    label = html.escape(_("problems by field"))
    listed = f'<ol class="fields" aria-label="{label}">{"".join(blocks)}</ol>'
    return (
        '<section aria-live="polite" aria-labelledby="result"><h2 id="result">'
        + _("Check results")
        + "</h2>"
        + summary
        + (listed if blocks else "")
        + "</section>"
    )


def _read(
    text: str, upload: tuple[str, bytes] | None, service: Service, engine: Engine
) -> tuple[str, list[CheckedProject]]:
    """Return the text to show in the form and the projects of the paste or upload, checked
    by *engine* — the same settings and rules as ``docgen check`` and the API."""
    if upload is not None:
        name, data = upload
        if name.lower().endswith(".zip"):
            return text, _zip_projects(name, data, service, engine)
        if name.lower().endswith(WORKBOOK_SUFFIXES):
            return text, engine.check_bytes(data, name)
        decoded = data.decode("utf-8-sig")
        return decoded, engine.check_text(decoded, name)
    return text, engine.check_text(text, "pasted.yaml")


def _zip_projects(name: str, data: bytes, service: Service, engine: Engine) -> list[CheckedProject]:
    """Return the projects of every project file in an uploaded zip, named zip/member."""
    items: list[CheckedProject] = []
    for member, content in read_upload(data, service.settings, "the upload"):
        base = Path(member.filename).name
        if base.startswith(".") or not base.lower().endswith(SUFFIXES + WORKBOOK_SUFFIXES):
            continue
        items += engine.check_bytes(content, f"{name}/{member.filename}")
    if not items:
        raise DocgenError(_("holds no project files (.yaml, .json, .xlsx)"), file=name)
    return items


def _text_file(upload: tuple[str, bytes] | None) -> str | None:
    """Return the name of the file whose text the form shows (a zip's or workbook's: none)."""
    if upload is None:
        return "pasted.yaml"
    return None if upload[0].lower().endswith((".zip", *WORKBOOK_SUFFIXES)) else upload[0]


def _upload(
    file: UploadFile | None, data: bytes, token: str, uploads: Uploads
) -> tuple[tuple[str, bytes] | None, tuple[str, str] | None]:
    """Return the upload to work on (a new file, or the one kept under *token*) and the
    (token, name) for the form that comes back."""
    if file is not None and file.filename and data:
        name = Path(file.filename.replace("\\", "/")).name or "upload.yaml"
        kept = uploads.keep(name, data)
        return (name, data), ((kept, name) if kept else None)
    found = uploads.get(token) if token else None
    if found is None:
        return None, None
    return found, (token, found[0])


NO_LIBREOFFICE = N_("no preview (LibreOffice is not installed)")
MAX_PREVIEW_DPI = 150
"""The picture's resolution at most, whatever ``DOCGEN_PREVIEW_DPI`` says: an A4 page at 150 dpi
is 1240 × 1754 pixels, a few hundred kB in the page."""
PREVIEW_KIND = "table"
"""The document the page pictures: the 自评表, whose first page shows the whole project."""


async def preview(service: Service, engine: Engine, item: CheckedProject) -> str:
    """Return the picture of the first page of *item*'s 自评表, or why there is none.

    The 自评表 is rendered in a worker, converted by LibreOffice and its first page drawn by
    ``pdftoppm``, all off the event loop; each step has the render time limit, and the whole
    does too (a step still running past it stops by its own limit).
    """
    settings = service.settings
    if item.valid is None or settings.preview_dpi < 1:
        return ""
    if find_soffice() is None:
        return _preview_note(_(NO_LIBREOFFICE))
    timeout = settings.render_timeout
    dpi = min(settings.preview_dpi, MAX_PREVIEW_DPI)

    async def picture() -> bytes:
        assert item.valid is not None
        document = await service.render(engine, item.valid, KINDS[PREVIEW_KIND])
        pdf = await service.pdf(document)
        png: bytes = await asyncio.to_thread(first_page_png, pdf, dpi, timeout)
        return png

    try:
        png = await asyncio.wait_for(picture(), timeout)
    except (TimeoutError, asyncio.TimeoutError):
        return _preview_note(
            _("no preview (it took more than {seconds} s)").format(seconds=f"{timeout:g}")
        )
    except PreviewUnavailable:
        return _preview_note(_("no preview (poppler-utils is not installed)"))
    except ServiceProblem as problem:
        return _preview_note(_("no preview ({reason})").format(reason=problem.title))
    except DocgenError as exc:
        return _preview_note(_("no preview ({reason})").format(reason=exc.message))
    data = base64.b64encode(png).decode("ascii")
    return (
        '<section aria-labelledby="preview"><h2 id="preview">自评表预览（第一页）</h2>'
        '<figure class="preview">'
        f'<img alt="自评表第一页预览" src="data:image/png;base64,{data}">'
        "<figcaption>下载的自评表即如此排版（LibreOffice 所见，与 Word 可能略有出入）。"
        "</figcaption></figure></section>"
    )


def _preview_note(text: str) -> str:
    return (
        '<section aria-labelledby="preview"><h2 id="preview">自评表预览</h2>'
        f'<p id="preview-note" role="note">{html.escape(text)}</p></section>'
    )


def _alert(text: str) -> str:
    return f'<p class="error" role="alert">{html.escape(text)}</p>'


def install_web(app: FastAPI, service: Service) -> None:
    """Add the web page's routes to *app*; *service* renders in its worker processes."""
    settings = service.settings
    uploads = Uploads(size=settings.max_request_bytes)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return _page(_form())

    @app.post("/web/check", response_class=HTMLResponse, include_in_schema=False)
    async def web_check(
        text: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
        upload: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        data = await file.read() if file is not None else b""
        chosen, kept = _upload(file, data, upload, uploads)
        engine = Engine()
        try:  # off the event loop, like the API's checks
            source_text, items = await asyncio.to_thread(_read, text, chosen, service, engine)
        except ServiceProblem as problem:
            reason = problem.detail or problem.title
            return _page(
                _form(text) + _alert(_("cannot read: {reason}").format(reason=reason)), 400
            )
        except (DocgenError, UnicodeDecodeError) as exc:
            message = html.escape(str(exc))
            return _page(
                _form(text) + f'<p class="error" role="alert">无法读取：{message}</p>', 400
            )
        invalid = any(item.errors for item in items)
        shown = _findings(items, source_text, _text_file(chosen))
        if not invalid and len(items) == 1:
            shown += await preview(service, engine, items[0])
        return _page(_form(source_text, kept, invalid) + shown, 200)

    @app.post("/web/documents", include_in_schema=False)
    async def web_documents(
        text: Annotated[str, Form()] = "",
        kind: Annotated[str, Form()] = "table",
        file: Annotated[UploadFile | None, File()] = None,
        upload: Annotated[str, Form()] = "",
    ) -> Response:
        data = await file.read() if file is not None else b""
        chosen, kept = _upload(file, data, upload, uploads)
        kinds = tuple(KINDS) if kind == "all" else (get_kind(kind).key,)
        engine = Engine(RunSettings(kinds=kinds))
        if chosen is not None and chosen[0].lower().endswith(".zip"):
            try:
                archive = await service.run(_batch, chosen[1], chosen[0], settings, engine.settings)
            except ServiceProblem as problem:
                return _page(_form() + _alert(problem.detail or problem.title), 400)
            return Response(
                archive,
                media_type="application/zip",
                headers={"Content-Disposition": _disposition("docgen-batch.zip")},
            )
        try:
            source_text, items = _read(text, chosen, service, engine)
        except (DocgenError, UnicodeDecodeError) as exc:
            return _page(
                _form(text, kept)
                + f'<p class="error" role="alert">无法读取：{html.escape(str(exc))}</p>',
                400,
            )
        if any(item.errors for item in items):
            return _page(
                _form(source_text, kept, True) + _findings(items, source_text, _text_file(chosen)),
                400,
            )
        too_many = [
            i.label
            for i in items
            if i.project and len(i.project.indicators) > settings.max_indicators
        ]
        if too_many:
            message = _("{project}: more than {count} indicators").format(
                project=too_many[0], count=settings.max_indicators
            )
            return _page(_form(source_text) + _alert(message), 413)
        valid = [item.valid for item in items]
        if len(valid) == 1 and valid[0] is not None and len(kinds) == 1:
            project = valid[0].project
            try:
                document = await service.render(engine, valid[0], KINDS[kinds[0]])
            except ServiceProblem as problem:
                message = (
                    _("generating took too long; try again later")
                    if problem.status == 503
                    else problem.title
                )
                return _page(_form(source_text) + _alert(message), problem.status)
            except DocgenError as exc:
                return _page(_form(source_text) + _alert(str(exc)), 422)
            return Response(
                document,
                media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                headers={"Content-Disposition": _disposition(KINDS[kinds[0]].filename(project))},
            )
        payload = chosen[1] if chosen else source_text.encode("utf-8")
        payload_name = chosen[0] if chosen else "pasted.yaml"
        try:
            archive = await service.run(_batch, payload, payload_name, settings, engine.settings)
        except ServiceProblem as problem:
            return _page(_form(source_text) + _alert(problem.detail or problem.title), 400)
        return Response(
            archive,
            media_type="application/zip",
            headers={"Content-Disposition": _disposition("docgen.zip")},
        )
