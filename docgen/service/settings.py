"""The service's limits and folders, from the environment (``DOCGEN_*``) or code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


@dataclass(frozen=True)
class Settings:
    """What the service allows and where it keeps uploaded templates."""

    max_request_bytes: int = field(
        default_factory=lambda: _env_int("DOCGEN_MAX_REQUEST_BYTES", 10 * 1024 * 1024)
    )
    max_projects: int = field(default_factory=lambda: _env_int("DOCGEN_MAX_PROJECTS", 500))
    max_indicators: int = field(default_factory=lambda: _env_int("DOCGEN_MAX_INDICATORS", 200))
    render_timeout: float = field(
        default_factory=lambda: float(_env_int("DOCGEN_RENDER_TIMEOUT", 60))
    )
    body_timeout: float = field(default_factory=lambda: float(_env_int("DOCGEN_BODY_TIMEOUT", 30)))
    """Seconds a client may take to send a request body (``DOCGEN_BODY_TIMEOUT``)."""
    templates_dir: Path = field(
        default_factory=lambda: Path(
            os.environ.get("DOCGEN_SERVICE_TEMPLATES", "service-templates")
        )
    )
    api_token: str | None = field(
        default_factory=lambda: os.environ.get("DOCGEN_API_TOKEN") or None
    )
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 2000
    workers: int = field(default_factory=lambda: _env_int("DOCGEN_WORKERS", os.cpu_count() or 1))
    """Warm worker processes that render and check templates (``DOCGEN_WORKERS``)."""
    worker_memory_mb: int = field(default_factory=lambda: _env_int("DOCGEN_WORKER_MEMORY", 2048))
    """Address space each worker may use, in MB (``DOCGEN_WORKER_MEMORY``)."""
    preview_dpi: int = field(default_factory=lambda: _env_int("DOCGEN_PREVIEW_DPI", 90))
    """Resolution of the web page's picture of the 自评表's first page (``DOCGEN_PREVIEW_DPI``;
    0: no picture)."""
