"""A real docgen service on loopback, started once per test session."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from docgen.service.app import create_app
from docgen.service.settings import Settings

TOKEN = "test-token-123"


@dataclass(frozen=True)
class Server:
    url: str
    settings: Settings
    app: Any = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = Settings(
        max_request_bytes=2 * 1024 * 1024,
        max_projects=40,
        max_indicators=80,
        render_timeout=30,
        templates_dir=Path(tmp_path_factory.mktemp("service-templates")),
        api_token=TOKEN,
    )
    with running(settings) as started:
        yield started


@contextmanager
def running(settings: Settings) -> Iterator[Server]:
    """Run the service with *settings* on a free loopback port while the block runs."""
    port = _free_port()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started, "the service did not start"
    yield Server(f"http://127.0.0.1:{port}", settings, app)
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http
