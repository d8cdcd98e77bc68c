"""The one reader of zip packages from strangers: templates and uploaded archives.

Every template (``--templates``, a ``templates/`` folder beside someone's data, an upload to
the service) and every uploaded zip goes through ``read_zip``, with one set of limits
(``ZipLimits``).  It refuses, before unpacking anything:

- member names that could write outside a folder when unpacked: absolute (``/x``, ``C:x``),
  ``..`` segments, backslashes, control characters, empty segments;
- symbolic links, and names that appear twice (also when they differ only in case);
- too many members, members or a total that unpack too large, and compression ratios no
  document has (zip bombs); encrypted or damaged members.

``read_package`` then reads a .docx package: ``word/document.xml`` must be there, and no XML
part may declare a DTD or entities (XML bombs, external entities), whatever its name or
encoding.  Writing packages is ``zipwriter``'s job.
"""

from __future__ import annotations

import io
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from docgen.errors import DocgenError, TemplateProblem
from docgen.i18n import _

MAX_PART_BYTES = 64 * 1024 * 1024

Member = tuple[zipfile.ZipInfo, bytes]
"""One file of an archive: its entry (name, sizes …) and its bytes."""


@dataclass(frozen=True)
class ZipLimits:
    """What an archive from a stranger may hold."""

    max_members: int = 2000
    max_member_bytes: int = MAX_PART_BYTES
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 200
    """A member larger than 1 MB may unpack to at most this many times its compressed size."""


class UnsafeArchive(DocgenError):
    """An archive that docgen refuses to unpack; ``too_large`` for bombs and sizes."""

    def __init__(self, message: str, *, file: str | None, hint: str | None = None,
                 too_large: bool = False) -> None:  # fmt: skip
        super().__init__(message, file=file, hint=hint)
        self.too_large = too_large


class NotAZip(UnsafeArchive):
    """The bytes are not a zip archive at all."""


# A Windows drive ("C:"), or any character Windows or a terminal would read specially.
_BAD_CHARACTER = re.compile(r"[\x00-\x1f\x7f:*?\"<>|]")


def unsafe_name(name: str) -> str | None:
    """Return why a member name is unsafe to unpack, or ``None`` when it is safe."""
    if name.startswith(("/", "\\")) or "\\" in name:
        return _("an absolute path or a backslash")
    if _BAD_CHARACTER.search(name.replace("[Content_Types].xml", "")):
        return _("a drive letter or a control character")
    parts = PurePosixPath(name).parts
    if ".." in parts or "." in name.split("/") or "//" in name.rstrip("/"):
        return _("a '..' or empty path segment")
    return None


def read_zip(
    source: bytes | str | Path, what: str, limits: ZipLimits | None = None
) -> list[Member]:
    """Return the files of a zip archive with their bytes, after checking it is safe.

    Directories are left out.  Raises ``UnsafeArchive`` naming the first member refused.
    """
    limits = limits or ZipLimits()
    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise UnsafeArchive(
            _("cannot read {what}: {reason}").format(what=what, reason=exc.strerror),
            file=str(source),
        ) from None
    label = what if isinstance(source, bytes) else str(source)
    try:
        with stream, zipfile.ZipFile(stream) as archive:
            members = _checked_members(archive.infolist(), label, limits)
            return [(info, _read_member(archive, info, label)) for info in members]
    except zipfile.BadZipFile:
        raise NotAZip(_("not a zip file"), file=label) from None


def _checked_members(
    members: list[zipfile.ZipInfo], label: str, limits: ZipLimits
) -> list[zipfile.ZipInfo]:
    if len(members) > limits.max_members:
        raise UnsafeArchive(
            _("the archive holds {count} files; at most {limit}").format(
                count=f"{len(members):,}", limit=f"{limits.max_members:,}"
            ),
            file=label,
            too_large=True,
        )
    seen: set[str] = set()
    total = 0
    files = []
    for member in members:
        name = member.filename
        reason = unsafe_name(name)
        if reason:
            raise UnsafeArchive(
                _("unsafe file name {name} in the archive ({reason})").format(
                    name=repr(name), reason=reason
                ),
                file=label,
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise UnsafeArchive(
                _("{name} in the archive is a symbolic link").format(name=repr(name)), file=label
            )
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            raise UnsafeArchive(
                _("the archive holds {name} twice").format(name=repr(name)), file=label
            )
        seen.add(folded)
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            raise UnsafeArchive(
                _("{name} in the archive is encrypted").format(name=repr(name)), file=label
            )
        if member.file_size > limits.max_member_bytes:
            raise UnsafeArchive(
                _("{name} unpacks to {size} bytes; at most {limit}").format(
                    name=repr(name),
                    size=f"{member.file_size:,}",
                    limit=f"{limits.max_member_bytes:,}",
                ),
                file=label,
                too_large=True,
            )
        if member.file_size > 1 << 20 and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise UnsafeArchive(
                _("{name} looks like a zip bomb (it unpacks {size} bytes from {packed})").format(
                    name=repr(name),
                    size=f"{member.file_size:,}",
                    packed=f"{member.compress_size:,}",
                ),
                file=label,
                too_large=True,
            )
        total += member.file_size
        if total > limits.max_total_bytes:
            raise UnsafeArchive(
                _("the archive unpacks to more than {limit} bytes").format(
                    limit=f"{limits.max_total_bytes:,}"
                ),
                file=label,
                too_large=True,
            )
        files.append(member)
    return files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    """Return one member's bytes (never more than it declares: zipfile stops there)."""
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError) as exc:
        message = _("{name} in the archive cannot be read: {reason}")
        raise UnsafeArchive(
            message.format(name=repr(info.filename), reason=exc), file=label
        ) from None


# A document type declaration or entity: Word never writes one; XML bombs need one.
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_START = re.compile(rb"^(\xef\xbb\xbf|\xff\xfe|\xfe\xff|\x00\x00\xfe\xff|\xff\xfe\x00\x00)?"
                        rb"[\s\x00]*<")  # fmt: skip


def looks_like_xml(data: bytes) -> bool:
    """Return whether a part's bytes are XML (whatever its name says), in any encoding."""
    return bool(_XML_START.match(data[:64]))


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


@dataclass(frozen=True)
class Package:
    """The parts of a .docx package in their original order."""

    name: str
    parts: tuple[tuple[str, bytes], ...]

    def part(self, name: str) -> bytes:
        """Return the bytes of the part called *name*."""
        for part_name, data in self.parts:
            if part_name == name:
                return data
        raise KeyError(name)

    def get(self, name: str) -> bytes | None:
        """Return the bytes of the part called *name*, or ``None`` when there is none."""
        try:
            return self.part(name)
        except KeyError:
            return None

    def names(self) -> list[str]:
        """Return the part names in package order."""
        return [name for name, _data in self.parts]


def read_package(source: str | Path | bytes, name: str | None = None) -> Package:
    """Return the parts of a .docx file (path or bytes), refusing anything unsafe.

    Raises ``TemplateProblem`` for a file that is not a safe Word package.
    """
    label = name or (str(source) if not isinstance(source, bytes) else "<template>")
    try:
        members = read_zip(source, label)
    except NotAZip:
        raise TemplateProblem(
            _("not a .docx file (not a zip package)"),
            file=label,
            hint=_("save the template from Word as 'Word Document (*.docx)'"),
        ) from None
    except UnsafeArchive as exc:
        hint = exc.hint or _("save the template again from Word")
        raise TemplateProblem(exc.message, file=label, hint=hint) from None
    parts = tuple((info.filename, data) for info, data in members)
    if "word/document.xml" not in {n for n, _data in parts}:
        raise TemplateProblem(_("not a Word document: no word/document.xml"), file=label)
    for part_name, data in parts:
        if (part_name.endswith((".xml", ".rels")) or looks_like_xml(data)) and has_dtd(data):
            raise TemplateProblem(
                _(
                    "{part} holds a DTD or entities; Word never writes them, and templates "
                    "with them are refused"
                ).format(part=part_name),
                file=label,
                hint=_("save the template again from Word"),
            )
    return Package(label, parts)
