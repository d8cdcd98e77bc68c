"""The API documentation works on an intranet: /docs and /redoc load nothing from other hosts."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest

from tests.service.conftest import Server
from tests.service.test_browser import page  # noqa: F401  (the Chromium page fixture)

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_documentation_pages_reference_no_other_host(client: httpx.Client, path: str) -> None:
    html = client.get(path).text
    assert not re.search(r"https?://|//[a-z]", html.replace("</", "")), html
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset


@pytest.mark.parametrize(
    ("path", "shown"),
    [("/docs", '.opblock-summary-path[data-path="/v1/check"]'), ("/redoc", 'text="/v1/check"')],
)
def test_documentation_renders_in_chromium_without_the_internet(
    page,  # noqa: F811
    server: Server,
    path: str,
    shown: str,
) -> None:  # type: ignore[no-untyped-def]
    elsewhere: list[str] = []

    def only_loopback(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(server.url + path)
    page.locator(shown).first.wait_for(timeout=30_000)
    assert elsewhere == []
