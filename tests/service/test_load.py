"""A short, bounded load on loopback: concurrent clients, no errors."""

from __future__ import annotations

import sys

from tests.conftest import ROOT
from tests.service.conftest import Server

sys.path.insert(0, str(ROOT / "bench"))

from bench_service import project_body, run_load


def test_eight_concurrent_clients_get_no_errors(server: Server) -> None:
    figures = run_load(server.url, clients=8, seconds=4, body=project_body())
    assert figures["errors"] == 0, figures["first_error"]
    assert figures["requests"] >= 8
