"""Answer each request in its language: ``Accept-Language`` for the API, Chinese on the page."""

from __future__ import annotations

from typing import Any

from docgen.i18n import CHINESE, current_language, language_accepted, using_language

WEB_PATHS = ("/web/",)
"""The Chinese web page's routes (and ``/``): their findings are Chinese whatever the browser
asks, like the page itself."""


def request_language(path: str, accept_language: str | None) -> str | None:
    """Return the language of a request (``None``: the server's, as its environment says)."""
    if path == "/" or path.startswith(WEB_PATHS):
        return CHINESE
    return language_accepted(accept_language)


class RequestLanguage:
    """ASGI middleware: give every message of a request in its language.

    The language is held in a context variable for the request's task (and the threads it
    starts with ``asyncio.to_thread``), so concurrent requests never mix their languages. The
    response says which it used (``Content-Language``) and that it depends on the header.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next(
            (v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"),
            None,
        )
        with using_language(request_language(scope.get("path", ""), header)):
            language = current_language().encode("ascii")

            async def send_with_language(message: Any) -> None:
                if message["type"] == "http.response.start":
                    headers = [
                        *message.get("headers", []),
                        (b"content-language", language),
                        (b"vary", b"Accept-Language"),
                    ]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_language)
