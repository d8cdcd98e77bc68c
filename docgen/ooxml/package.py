"""Read a .docx package's parts and write packages byte-for-byte deterministically."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import TemplateProblem

# Every entry gets this timestamp, so the same parts always give the same bytes.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
MAX_PART_BYTES = 64 * 1024 * 1024


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

    def names(self) -> list[str]:
        """Return the part names in package order."""
        return [name for name, _ in self.parts]


def read_package(source: str | Path | bytes, name: str | None = None) -> Package:
    """Return the parts of a .docx file (path or bytes)."""
    label = name or (str(source) if not isinstance(source, bytes) else "<template>")
    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise TemplateProblem(f"cannot read the template: {exc.strerror}", file=label) from None
    try:
        with stream, zipfile.ZipFile(stream) as archive:
            parts = []
            for info in archive.infolist():
                if info.is_dir():
                    continue
                if info.file_size > MAX_PART_BYTES:
                    raise TemplateProblem(f"part {info.filename} is too large", file=label)
                parts.append((info.filename, archive.read(info)))
    except zipfile.BadZipFile:
        raise TemplateProblem(
            "not a .docx file (not a zip package)",
            file=label,
            hint="save the template from Word as 'Word Document (*.docx)'",
        ) from None
    names = [n for n, _ in parts]
    if len(names) != len(set(names)):
        raise TemplateProblem("the package holds the same part twice", file=label)
    if "word/document.xml" not in names:
        raise TemplateProblem("not a Word document: no word/document.xml", file=label)
    return Package(label, tuple(parts))


def write_package(package: Package, replaced: Mapping[str, bytes]) -> bytes:
    """Return the package's zip bytes with *replaced* parts swapped in, deterministically."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in package.parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, replaced.get(name, data), compresslevel=6)
    return buffer.getvalue()
