"""``POST /v1/imports``: last year's filled 自评表 (.docx or .pdf) back as docgen input.

The same code as ``docgen import`` (``docgen.importing``), run in a worker: the projects as
JSON with the warnings as problem items, or as a YAML file or a data-entry workbook.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from docgen.convert import render_projects, to_json
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.importing import import_document, next_year
from docgen.service.problems import finding_json

__all__ = ["import_task", "install_imports"]

MEDIA = {
    "json": "application/json",
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def import_task(
    data: bytes, name: str, carry: bool, format: str, comments: bool = False
) -> tuple[bytes, int]:
    """Return the imported projects in *format* and how many warnings there were.

    *comments*: a YAML file opens with the warnings as comments (the web page's download).
    """
    imported = import_document(data, name)
    projects = [next_year(s.data) if carry else s.data for s in imported.sources()]
    warnings = [finding_json(w) for w in imported.warnings]
    if format == "json":
        listed = to_json([projects]).strip()  # one value, the list: numbers exact
        body = f'{{"projects": {listed}, "warnings": {json.dumps(warnings, ensure_ascii=False)}}}'
        return body.encode("utf-8"), len(warnings)
    sources = [*imported.sources()]
    carried = [type(s)(s.file, s.index, p) for s, p in zip(sources, projects, strict=True)]
    output = render_projects(carried, "." + format)
    if comments and format == "yaml" and imported.warnings:
        notes = "".join(f"# {w}\n".replace("\n", " ").rstrip() + "\n" for w in imported.warnings)
        output = notes.encode("utf-8") + output
    return output, len(warnings)


_PAGE = """
<h1>导入去年的自评表</h1>
<p>上传已填好的财政项目支出绩效自评表（Word .docx 或带文字的 PDF），下载 docgen 的项目数据；
勾选“结转到下一年度”则年度加一、保留指标与指标值，清空本年数据，供填报。</p>
<form method="post" action="/web/import" enctype="multipart/form-data">
  <label for="import-file">自评表文件（.docx / .pdf）</label>
  <input id="import-file" name="file" type="file" accept=".docx,.pdf" required>
  <label><input type="checkbox" name="next_year" value="1"> 结转到下一年度</label>
  <label for="import-format">下载为</label>
  <select id="import-format" name="format">
    <option value="yaml">YAML（.yaml）</option><option value="xlsx">填报工作簿（.xlsx）</option>
  </select>
  <div><button type="submit">导入并下载</button></div>
</form>
<p><a href="/">返回文档生成</a></p>"""


def install_imports(app: FastAPI, service: Any) -> None:
    """Add ``POST /v1/imports`` to *app*; *service* runs the work in its workers."""

    @app.post(
        "/v1/imports",
        tags=["projects"],
        responses={200: {"content": {MEDIA["yaml"]: {}, MEDIA["xlsx"]: {}}}},
    )
    async def imports(
        file: Annotated[UploadFile, File(description="a filled 自评表: .docx or .pdf")],
        next_year: Annotated[
            bool, Query(description="carry the projects into the next year")
        ] = False,
        format: Annotated[str, Query(pattern="^(json|yaml|xlsx)$")] = "json",
    ) -> Response:
        """Read the 自评表 of a Word or PDF file: the projects, with located warnings."""
        data = await file.read()
        name = (file.filename or "upload").replace("/", "_").replace("\\", "_")[-120:]
        body, warnings = await service.run(import_task, data, name, next_year, format)
        stem = name.rsplit(".", 1)[0] or "import"
        headers = {"X-Docgen-Warnings": str(warnings)}
        if format != "json":
            from docgen.service.app import _disposition  # app imports this module

            headers["Content-Disposition"] = _disposition(f"{stem}.{format}")
        return Response(body, media_type=MEDIA[format], headers=headers)

    from docgen.service.web import _alert, _page  # the page's frame and alerts

    @app.get("/web/import", response_class=HTMLResponse, include_in_schema=False)
    def import_page() -> HTMLResponse:
        return _page(_PAGE)

    @app.post("/web/import", include_in_schema=False)
    async def web_import(
        file: Annotated[UploadFile, File()],
        next_year: Annotated[str, Form()] = "",
        format: Annotated[str, Form(pattern="^(yaml|xlsx)$")] = "yaml",
    ) -> Response:
        data = await file.read()
        name = (file.filename or "upload").replace("/", "_").replace("\\", "_")[-120:]
        try:
            body, _count = await service.run(import_task, data, name, bool(next_year), format, True)
        except DocgenError as exc:
            return _page(_PAGE + _alert(_("cannot import: {error}").format(error=exc)), 422)
        from docgen.service.app import _disposition

        stem = name.rsplit(".", 1)[0] or "import"
        return Response(
            body,
            media_type=MEDIA[format],
            headers={"Content-Disposition": _disposition(f"{stem}.{format}")},
        )
