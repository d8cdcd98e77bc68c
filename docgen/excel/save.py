"""Save a workbook as deterministic .xlsx bytes: the same content always gives the same bytes."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Mapping

from openpyxl import Workbook

from docgen.ooxml.zipwriter import rezip

FIXED_TIME = datetime.datetime(2000, 1, 1)
"""The document properties' dates: fixed, so that the same data gives the same bytes."""


def workbook_bytes(
    book: Workbook,
    title: str | None = None,
    edits: Mapping[str, Callable[[bytes], Iterable[bytes]]] | None = None,
) -> bytes:
    """Return *book* as .xlsx bytes, its properties and zip entries free of the clock.

    *edits* rewrite parts as saved (``rezip``'s): the summary streams its rows so.
    """
    book.properties.creator = "docgen"
    if title is not None:
        book.properties.title = title
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return rezip(buffer.getvalue(), edits)
