"""A bounded fuzz run of the OpenAPI spec (schemathesis) against the running service."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from docgen.service.app import create_app
from tests.service.conftest import Server

# Bounded: the examples and fuzzing phases only (the coverage phase enumerates every case the
# project schema allows, which takes minutes).
CONFIG = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(create_app().openapi(), config=CONFIG)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_input_gives_a_server_error(case, server: Server) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=server.url, timeout=60)
    assert response.status_code < 500, (
        case.method,
        case.path,
        response.status_code,
        response.text[:500],
    )
    if response.status_code >= 400:
        media = response.headers.get("content-type")
        media = media[0] if isinstance(media, list) else media
        assert media == "application/problem+json", response.text[:200]
