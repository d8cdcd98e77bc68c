"""The server keeps answering while it reads and parses large or slow request bodies."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from docgen.service.settings import Settings
from tests.conftest import MINIMAL
from tests.service.conftest import running


def big_project(indicators: int = 20_000) -> bytes:
    # About 4 MB of YAML: many indicators, to make parsing and checking take a while.
    row = (
        "  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 系统维护数量{n},\n"
        '     年度指标值: "=4.00(项)", 实际完成值: "4.00(项)", 分值: 0, 得分: 0}\n'
    )
    rows = "".join(row.replace("{n}", str(n)) for n in range(indicators))
    return (MINIMAL + rows).encode("utf-8")


def test_healthz_answers_while_a_large_body_is_parsed(tmp_path: Path) -> None:
    settings = Settings(max_request_bytes=8 * 1024 * 1024, max_indicators=50_000,
                        templates_dir=tmp_path, workers=1)  # fmt: skip
    body = big_project()
    assert len(body) > 3_000_000
    with running(settings) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        done = threading.Event()

        def post() -> None:
            client.post("/v1/check", content=body, headers={"content-type": "application/yaml"})
            done.set()

        worker = threading.Thread(target=post)
        worker.start()
        slowest = 0.0
        answers = 0
        with httpx.Client(base_url=server.url, timeout=30) as probe:
            while not done.is_set() and answers < 2000:
                started = time.monotonic()
                assert probe.get("/healthz").status_code == 200
                slowest = max(slowest, time.monotonic() - started)
                answers += 1
                time.sleep(0.02)
        worker.join(timeout=120)
        assert done.is_set()
        assert answers >= 3, "the parse ended before /healthz could be asked"
        # Parsed on the event loop, /healthz waited for the whole parse (3.6 s, one answer);
        # the bound leaves room for a loaded 2-core machine.
        assert slowest < 2.5, f"/healthz took {slowest:.2f} s while a body was parsed"


def test_a_body_sent_too_slowly_gets_a_408(tmp_path: Path) -> None:
    settings = Settings(body_timeout=1, templates_dir=tmp_path, workers=1)
    with running(settings) as server:
        where = urlsplit(server.url)
        with socket.create_connection((where.hostname, where.port), timeout=10) as connection:
            connection.sendall(
                b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            started = time.monotonic()
            reply = connection.recv(4096).decode("latin-1")
            waited = time.monotonic() - started
        assert reply.startswith("HTTP/1.1 408"), reply
        assert "application/problem+json" in reply
        assert waited < 5
        # The server is fine afterwards.
        assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
