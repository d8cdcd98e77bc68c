"""Write output files so that a reader never sees a half-written one."""

from __future__ import annotations

import errno
import itertools
import os
import re
import unicodedata
from pathlib import Path

from docgen.errors import OutputError
from docgen.i18n import _

# Characters no file system accepts in a name (Windows is the strictest), controls, and the
# invisible format characters that change how a name reads: bidi overrides and isolates
# (U+202E makes "…_exe.docx" show as "…xcod.exe"), zero-width marks, the BOM.
_UNSAFE = re.compile(
    r'[\\/:*?"<>|\x00-\x1f\x7f\x80-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+'
)
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
_RESERVED |= {f"LPT{i}" for i in range(1, 10)}
MAX_NAME_BYTES = 180


def safe_filename(text: str) -> str:
    """Return *text* as a file name safe on any file system: ``a/b`` → ``a_b``."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name or "_"


TEMP_PREFIX = ".docgen-"
_counter = itertools.count()


def _temporary(folder: Path) -> tuple[int, str]:
    """Create a new temporary file in *folder*: unique per process and call, never reused."""
    while True:
        name = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_counter)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), name
        except FileExistsError:
            continue


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write *data* to *path* through a temporary file and an atomic rename.

    A reader, or a run killed at any moment, sees the old file or the new one, never part of
    one.  ``durable`` also flushes the data to disk before the rename (survives a power cut);
    a batch turns it off for speed, as a killed process is all it has to survive.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path.parent)
    except OSError as exc:
        message = _("cannot write here: {reason}").format(reason=exc.strerror)
        raise OutputError(message, file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        hint = (
            _("free space on that disk and run again: what was written is kept") if full else None
        )
        message = _("cannot write the file: {reason}").format(reason=exc.strerror)
        raise OutputError(message, file=str(path), hint=hint) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files that an interrupted run left in *folder*; return how many."""
    removed = 0
    for stale in folder.glob(f"{TEMP_PREFIX}*.tmp"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed
