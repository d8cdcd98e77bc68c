"""Uploads are zip files from strangers: read them with the one safe reader, as 4xx problems."""

from __future__ import annotations

from docgen.ooxml.package import Member, UnsafeArchive, ZipLimits, read_zip
from docgen.service.problems import ServiceProblem
from docgen.service.settings import Settings


def zip_limits(settings: Settings) -> ZipLimits:
    """Return the limits the service reads uploaded archives with."""
    return ZipLimits(max_members=settings.max_zip_entries,
                     max_total_bytes=settings.max_unzipped_bytes)  # fmt: skip


def read_upload(data: bytes, settings: Settings, what: str) -> list[Member]:
    """Return the files of an uploaded zip; a refused archive is a 413 or a 422."""
    try:
        return read_zip(data, what, zip_limits(settings))
    except UnsafeArchive as exc:
        raise ServiceProblem(413 if exc.too_large else 422, exc.message, exc.hint or "") from None
