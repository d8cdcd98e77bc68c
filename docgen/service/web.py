"""The web page at ``/``: paste or upload project data, see the check, download documents.

Plain HTML forms, no JavaScript: it works in any browser, with a screen reader, behind any
proxy.  Results are shown on the page itself, with each finding's line and field.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import FastAPI, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response

from docgen.errors import DocgenError, Finding, format_path
from docgen.pipeline import CheckedProject, check_source
from docgen.render.documents import KINDS, Renderer, get_kind
from docgen.service.app import Service, _batch, _disposition, _workbook_sources
from docgen.service.problems import ServiceProblem
from docgen.sources.loader import WORKBOOK_SUFFIXES, SourceProject, load_text

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.5rem}label{font-weight:bold;display:block;margin-top:1rem}
textarea{width:100%;min-height:18rem;font-family:monospace;font-size:.9rem}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font-size:1rem}
.error{color:#a00}.warning{color:#8a5a00}.ok{color:#060}
ul.findings li{margin:.3rem 0}.where{font-family:monospace}
"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>docgen · 财政项目支出绩效自评</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return HTMLResponse(document, status_code=status)


def _form(text: str = "") -> str:
    kinds = "".join(
        f'<option value="{k}">{html.escape(v.label)}</option>' for k, v in KINDS.items()
    )
    return f"""
<h1>财政项目支出绩效自评 · 文档生成</h1>
<p>粘贴项目数据（YAML 或 JSON），或上传文件，先检查，再下载自评表与自评价报告。</p>
<form method="post" action="/web/check" enctype="multipart/form-data">
  <label for="text">项目数据（YAML / JSON）</label>
  <textarea id="text" name="text" aria-describedby="text-help">{html.escape(text)}</textarea>
  <p id="text-help">键名用表格上的名称，如 年度、项目名称、项目资金、绩效指标。</p>
  <label for="file">或上传文件（.yaml / .json / .xlsx，多个文件可打包为 .zip）</label>
  <input id="file" name="file" type="file" accept=".yaml,.yml,.json,.xlsx,.zip">
  <label for="kind">文档</label>
  <select id="kind" name="kind">{kinds}<option value="all">全部</option></select>
  <div>
    <button type="submit">检查</button>
    <button type="submit" formaction="/web/documents">生成并下载</button>
  </div>
</form>"""


def _where(finding: Finding) -> str:
    parts = []
    if finding.line is not None:
        line = finding.line
        parts.append(f"第 {line} 行" if isinstance(line, int) else str(line))
    field = format_path(finding.path)
    if field:
        parts.append(field)
    return " · ".join(parts)


def _findings(items: list[CheckedProject]) -> str:
    rows = []
    for item in items:
        for finding in item.findings:
            word = "错误" if finding.severity.value == "error" else "提醒"
            rows.append(
                f'<li class="{finding.severity.value}"><strong>{word}</strong> '
                f'<span class="where">{html.escape(_where(finding))}</span>：'
                f"{html.escape(finding.message)}</li>"
            )
    errors = sum(len(i.errors) for i in items)
    warnings = sum(len(i.warnings) for i in items)
    summary = (
        f'<p class="{"error" if errors else "ok"}" role="status">'
        f"{len(items)} 个项目：{errors} 个错误，{warnings} 个提醒。"
        + ("请改正后再生成。" if errors else "可以生成文档。")
        + "</p>"
    )
    return (
        '<section aria-live="polite" aria-labelledby="result"><h2 id="result">检查结果</h2>'
        + summary
        + (f'<ul class="findings">{"".join(rows)}</ul>' if rows else "")
        + "</section>"
    )


def _read(text: str, file: UploadFile | None, data: bytes) -> tuple[str, list[SourceProject]]:
    """Return the text to show in the form and the projects of the paste or upload."""
    if file is not None and file.filename and data:
        if file.filename.lower().endswith(WORKBOOK_SUFFIXES):
            return text, _workbook_sources(data, file.filename)
        decoded = data.decode("utf-8-sig")
        return decoded, load_text(decoded, file.filename)
    return text, load_text(text, "pasted.yaml")


def _alert(text: str) -> str:
    return f'<p class="error" role="alert">{html.escape(text)}</p>'


def install_web(app: FastAPI, service: Service) -> None:
    """Add the web page's routes to *app*; *service* renders in its worker processes."""
    settings = service.settings

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return _page(_form())

    @app.post("/web/check", response_class=HTMLResponse, include_in_schema=False)
    async def web_check(
        text: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> HTMLResponse:
        data = await file.read() if file is not None else b""
        if file is not None and (file.filename or "").lower().endswith(".zip"):
            return _page(_form(text) + '<p role="status">zip 文件请直接点击“生成并下载”。</p>')
        try:
            source_text, sources = _read(text, file, data)
            items = [check_source(s) for s in sources]
        except (DocgenError, UnicodeDecodeError) as exc:
            message = html.escape(str(exc))
            return _page(
                _form(text) + f'<p class="error" role="alert">无法读取：{message}</p>', 400
            )
        return _page(_form(source_text) + _findings(items), 200)

    @app.post("/web/documents", include_in_schema=False)
    async def web_documents(
        text: Annotated[str, Form()] = "",
        kind: Annotated[str, Form()] = "table",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        data = await file.read() if file is not None else b""
        kinds = tuple(KINDS) if kind == "all" else (get_kind(kind).key,)
        if file is not None and (file.filename or "").lower().endswith(".zip"):
            try:
                archive = await service.run(
                    _batch, data, file.filename or "upload.zip", kinds, settings
                )
            except ServiceProblem as problem:
                return _page(_form() + _alert(problem.detail or problem.title), 400)
            return Response(
                archive,
                media_type="application/zip",
                headers={"Content-Disposition": _disposition("docgen-batch.zip")},
            )
        try:
            source_text, sources = _read(text, file, data)
            items = [check_source(s) for s in sources]
        except (DocgenError, UnicodeDecodeError) as exc:
            return _page(
                _form(text)
                + f'<p class="error" role="alert">无法读取：{html.escape(str(exc))}</p>',
                400,
            )
        if any(item.errors for item in items):
            return _page(_form(source_text) + _findings(items), 400)
        too_many = [
            i.label
            for i in items
            if i.project and len(i.project.indicators) > settings.max_indicators
        ]
        if too_many:
            message = f"{too_many[0]}：绩效指标超过 {settings.max_indicators} 条"
            return _page(_form(source_text) + _alert(message), 413)
        if len(items) == 1 and len(kinds) == 1:
            item = items[0]
            project, evaluation = item.project, item.evaluation
            assert project is not None and evaluation is not None
            try:
                document = await service.render(Renderer(), KINDS[kinds[0]], project, evaluation)
            except ServiceProblem as problem:
                message = "生成超时，请稍后再试" if problem.status == 503 else problem.title
                return _page(_form(source_text) + _alert(message), problem.status)
            except DocgenError as exc:
                return _page(_form(source_text) + _alert(str(exc)), 422)
            return Response(
                document,
                media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                headers={"Content-Disposition": _disposition(KINDS[kinds[0]].filename(project))},
            )
        uploaded = file is not None and bool(file.filename) and bool(data)
        payload = data if uploaded else source_text.encode("utf-8")
        payload_name = (file.filename or "upload.yaml") if uploaded and file else "pasted.yaml"
        try:
            archive = await service.run(_batch, payload, payload_name, kinds, settings)
        except ServiceProblem as problem:
            return _page(_form(source_text) + _alert(problem.detail or problem.title), 400)
        return Response(
            archive,
            media_type="application/zip",
            headers={"Content-Disposition": _disposition("docgen.zip")},
        )
