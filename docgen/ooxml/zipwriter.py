"""Write .docx (zip) packages fast and byte-for-byte deterministically.

Parts that do not change between documents are compressed once (``Entry.deflated``) and copied
into every package; only the rendered parts are compressed per document.  Every entry carries
the same fixed timestamp, so the same parts always give the same bytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_UTF8 = 0x0800  # general purpose flag: names are UTF-8
_DEFLATE = 8
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the external attributes below are read
_MODE = 0o100644 << 16


@dataclass(frozen=True)
class Entry:
    """One compressed package part, ready to be written."""

    name: str
    crc: int
    size: int
    data: bytes

    @classmethod
    def deflated(cls, name: str, content: bytes, level: int = 6) -> Entry:
        """Return *content* compressed as a raw deflate stream."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return cls(name, zlib.crc32(content), len(content), data)

    @classmethod
    def deflated_pieces(cls, name: str, pieces: Iterable[bytes], level: int = 6) -> Entry:
        """Return the content *pieces* make, compressed as it comes: the whole content is
        never held (the same bytes as ``deflated`` of it joined)."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        out: list[bytes] = []
        crc = size = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
            out.append(compressor.compress(piece))
        out.append(compressor.flush())
        return cls(name, crc, size, b"".join(out))


def write_zip(entries: Iterable[Entry]) -> bytes:
    """Return the zip archive holding *entries* in order."""
    body = bytearray()
    directory = bytearray()
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        offset = len(body)
        body += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            _VERSION,
            _UTF8,
            _DEFLATE,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
        )
        body += name
        body += entry.data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            _MADE_BY,
            _VERSION,
            _UTF8,
            _DEFLATE,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
            0,
            0,
            0,
            _MODE,
            offset,
        )
        directory += name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


# dcterms:created / dcterms:modified in docProps/core.xml, e.g.
# <dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-23T17:30:00Z</dcterms:modified>
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
FIXED_STAMP = b"2000-01-01T00:00:00Z"


def rezip(
    data: bytes, edits: Mapping[str, Callable[[bytes], Iterable[bytes]]] | None = None
) -> bytes:
    """Return a package (e.g. openpyxl's output) re-zipped deterministically.

    Entry timestamps are fixed, and so are the created/modified dates of docProps/core.xml,
    which writers stamp with the clock.  *edits* maps part names to what rewrites them: the
    pieces of the new content, compressed as they come.
    """
    entries = []
    edits = edits or {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>" + FIXED_STAMP + rb"\g<2>", content)
            if info.filename in edits:
                entries.append(Entry.deflated_pieces(info.filename, edits[info.filename](content)))
                continue
            entries.append(Entry.deflated(info.filename, content))
    return write_zip(entries)
