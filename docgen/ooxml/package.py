"""Read a .docx package's parts, in order (writing them is ``zipwriter``'s job)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import TemplateProblem

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
