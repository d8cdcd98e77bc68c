"""``POST /v1/imports``: last year's filled 自评表 (.docx or .pdf) back as docgen input.

The same code as ``docgen import`` (``docgen.importing``), run in a worker: the projects as
JSON with the warnings as problem items, or as a YAML file or a data-entry workbook.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import FastAPI, File, Query, UploadFile
from fastapi.responses import Response

from docgen.convert import render_projects, to_json
from docgen.importing import import_document, next_year
from docgen.service.problems import finding_json

__all__ = ["import_task", "install_imports"]

MEDIA = {
    "json": "application/json",
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def import_task(data: bytes, name: str, carry: bool, format: str) -> tuple[bytes, int]:
    """Return the imported projects in *format* and how many warnings there were."""
    imported = import_document(data, name)
    projects = [next_year(s.data) if carry else s.data for s in imported.sources()]
    warnings = [finding_json(w) for w in imported.warnings]
    if format == "json":
        listed = to_json([projects]).strip()  # one value, the list: numbers exact
        body = f'{{"projects": {listed}, "warnings": {json.dumps(warnings, ensure_ascii=False)}}}'
        return body.encode("utf-8"), len(warnings)
    sources = [*imported.sources()]
    carried = [type(s)(s.file, s.index, p) for s, p in zip(sources, projects, strict=True)]
    return render_projects(carried, "." + format), len(warnings)


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
