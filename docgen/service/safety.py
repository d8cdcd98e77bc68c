"""Uploads are zip files from strangers: refuse bombs, path tricks, links and DTDs."""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from docgen.service.problems import ServiceProblem
from docgen.service.settings import Settings

MAX_RATIO = 200  # a member may unpack to at most 200 × its compressed size
# A document type declaration or entity: Word never writes one; XML bombs need one.
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def has_dtd(data: bytes) -> bool:
    """Return whether an XML part declares a DTD or entities, in whatever encoding it is."""
    for encoding in ("utf-8", "utf-16", "utf-32"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _DTD.search(text):
            return True
    return b"<!" in data.replace(b"<![CDATA[", b"") and b"DOCTYPE" in data.upper()


def open_zip(data: bytes, settings: Settings, what: str) -> zipfile.ZipFile:
    """Return the zip archive *data* after checking it is safe to unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ServiceProblem(422, f"{what} is not a zip file") from None
    members = archive.infolist()
    if len(members) > settings.max_zip_entries:
        raise ServiceProblem(
            413, f"{what} has too many files", f"at most {settings.max_zip_entries}"
        )
    total = 0
    for member in members:
        name = member.filename
        path = PurePosixPath(name)
        if name.startswith(("/", "\\")) or "\\" in name or ".." in path.parts or ":" in name:
            raise ServiceProblem(422, f"{what} holds an unsafe path", f"refused: {name!r}")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise ServiceProblem(422, f"{what} holds a symbolic link", f"refused: {name!r}")
        if (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
            and member.file_size > 1 << 20
        ):
            raise ServiceProblem(413, f"{what} looks like a zip bomb", f"{name!r} unpacks too far")
        total += member.file_size
        if total > settings.max_unzipped_bytes:
            raise ServiceProblem(
                413, f"{what} unpacks too large", f"at most {settings.max_unzipped_bytes:,} bytes"
            )
    return archive


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo | str) -> bytes:
    """Return one member's bytes; a damaged, encrypted or exotic member is a 422."""
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError) as exc:
        name = member if isinstance(member, str) else member.filename
        raise ServiceProblem(422, "a file in the zip cannot be read", f"{name}: {exc}") from None


def check_docx_upload(data: bytes, settings: Settings) -> None:
    """Refuse a template upload that is not a plain, safe .docx package."""
    archive = open_zip(data, settings, "the template")
    names = archive.namelist()
    if len(names) != len(set(names)):
        raise ServiceProblem(422, "the template holds the same part twice")
    if "word/document.xml" not in names:
        raise ServiceProblem(422, "the template is not a Word document", "no word/document.xml")
    for name in names:
        if name.endswith((".xml", ".rels")) and has_dtd(read_member(archive, name)):
            raise ServiceProblem(
                422,
                "the template holds a DTD or entities",
                f"refused: {name} (Word never writes them)",
            )
