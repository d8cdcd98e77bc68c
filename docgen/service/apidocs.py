"""The API's documentation pages, served entirely from this machine.

FastAPI's ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from a CDN, so on an intranet they
are blank. The scripts and styles come instead from the ``fastapi-offline`` distribution, and
the two references that those bundles make to other hosts are cut: Swagger UI's validator
badge (``validatorUrl``) and ReDoc's attribution logo (replaced by the local favicon).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from docgen.i18n import _

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
PREFIX = "/docs-assets"
# ReDoc's menu shows this logo from Redocly's CDN (hidden again when it fails to load).
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=len(ASSETS))
def asset(name: str) -> bytes:
    """Return the bytes of one documentation asset, with its references to other hosts cut."""
    data = (resources.files("fastapi_offline") / "static" / name).read_bytes()
    if name == "redoc.standalone.js":
        data = data.replace(REDOC_LOGO, f"{PREFIX}/favicon.png".encode())
    return data


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` (Swagger UI), ``/redoc`` and their assets to *app*."""

    @app.get(PREFIX + "/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404, _("no such asset"))
        return Response(
            asset(name),
            media_type=ASSETS[name],
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{root}{PREFIX}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{PREFIX}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{PREFIX}/favicon.png",
            with_google_fonts=False,
        )
