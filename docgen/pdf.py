"""PDF output through LibreOffice, run headless: many documents per LibreOffice process.

Starting LibreOffice costs about a second, and converting a document a fifth of one, so
``convert_to_pdf`` hands LibreOffice up to ``CHUNK_SIZE`` documents per process.  Each call
uses its own temporary LibreOffice profile, so parallel calls, and a LibreOffice the user has
open, never meet (LibreOffice would otherwise pass the work to the running instance and return
at once).  PDFs are written into a temporary folder inside the output folder and renamed into
place, so an interrupted run never leaves a truncated PDF under its final name.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError
from docgen.worker_limits import env_number

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PATHS = (
    Path("/usr/lib/libreoffice/program/soffice"),
    Path("/opt/libreoffice/program/soffice"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
INSTALL_HINT = (
    "install it with: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "(Debian/Ubuntu), sudo dnf install libreoffice-writer google-noto-sans-cjk-fonts "
    "(Fedora) or brew install --cask libreoffice (macOS)"
)
CHUNK_SIZE = 200
"""Documents per LibreOffice process: start-up is paid once per chunk."""
DEFAULT_TIMEOUT = env_number("DOCGEN_PDF_TIMEOUT", 60)
"""Seconds LibreOffice may take for one document (``DOCGEN_PDF_TIMEOUT``) before it is
stopped, that document reported as failed, and a new LibreOffice started for the others."""
STARTUP_SECONDS = 60.0
"""Added to the first document's time limit: LibreOffice's start with a fresh profile."""
POLL_SECONDS = 0.05
STAGING_PREFIX = ".docgen-pdf-"
TAIL_LINES = 15


class PdfUnavailable(DocgenError):
    """LibreOffice, needed for PDF output, is not installed."""

    exit_code = 1


class PdfConversionError(DocgenError):
    """LibreOffice could not convert some documents; the others were converted."""

    def __init__(self, message: str, failed: list[Path], converted: list[Path]) -> None:
        super().__init__(message)
        self.failed = failed
        self.converted = converted


def find_soffice() -> str | None:
    """Return the LibreOffice program to run, or ``None`` when it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in SOFFICE_PATHS:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    return None


def require_soffice() -> str:
    """Return the LibreOffice program; raise ``PdfUnavailable`` when it is not installed."""
    found = find_soffice()
    if found is None:
        raise PdfUnavailable(f"LibreOffice is needed for --pdf; {INSTALL_HINT}")
    return found


@dataclass
class _Chunk:
    """One LibreOffice process's share of the work."""

    sources: list[Path]
    failed: list[Path] = field(default_factory=list)
    log: str = ""


def convert_to_pdf(
    docx_paths: Sequence[Path],
    outdir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    jobs: int = 1,
    chunk_size: int = CHUNK_SIZE,
) -> list[Path]:
    """Convert *docx_paths* to PDF in *outdir*; return the PDFs' paths in input order.

    Each PDF is named after its document (``a/x.docx`` → ``outdir/x.pdf``) and replaces an
    older one of that name.  One LibreOffice process converts up to *chunk_size* documents;
    *jobs* such processes run at once (each with its own profile).  *timeout* limits each
    document, in seconds: a LibreOffice that takes longer is killed with everything it
    started, the document is reported as failed, and a new one converts the rest.

    Raises ``PdfUnavailable`` without LibreOffice, ``DocgenError`` for inputs that do not exist
    or would give the same PDF name, and ``PdfConversionError`` naming the documents that did
    not convert (with LibreOffice's output), after the others were converted and put in place.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    _check_inputs(sources)
    soffice = require_soffice()
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        # Absolute: LibreOffice runs in it and is told to write to it (a relative --outdir
        # would be taken relative to its own working directory).
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir)).resolve()
    except OSError as exc:
        raise DocgenError(f"cannot write PDFs here: {exc.strerror}", file=str(outdir)) from None
    try:
        chunks = _split(sources, max(1, jobs), max(1, chunk_size))
        _Runner(soffice, staging, timeout).run(chunks, max(1, jobs))
        return _put_in_place(sources, chunks, staging, outdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_inputs(sources: list[Path]) -> None:
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise DocgenError("cannot convert to PDF, no such file: " + ", ".join(missing))
    owners: dict[str, Path] = {}
    for path in sources:
        name = path.stem + ".pdf"
        if name in owners and owners[name] != path:
            raise DocgenError(
                f"{owners[name]} and {path} would both be converted to {name}; "
                "convert them into different folders"
            )
        owners[name] = path


def _split(sources: list[Path], jobs: int, chunk_size: int) -> list[_Chunk]:
    """Return the work in chunks: at most *chunk_size* each, enough to keep *jobs* busy."""
    unique = list(dict.fromkeys(sources))
    per_job = -(-len(unique) // jobs)
    size = min(chunk_size, per_job)
    return [_Chunk(unique[i : i + size]) for i in range(0, len(unique), size)]


class _Runner:
    """Run LibreOffice over chunks, on *jobs* threads, and stop every process on interrupt."""

    def __init__(self, soffice: str, staging: Path, timeout: float) -> None:
        self.soffice = soffice
        self.staging = staging
        self.timeout = timeout
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[bytes]] = set()
        self.cancelled = False

    def run(self, chunks: list[_Chunk], jobs: int) -> None:
        """Convert every chunk; worker *w* of *jobs* takes chunks w, w + jobs, …"""
        workers = min(jobs, len(chunks))
        if workers == 1:
            self.run_chunks(chunks)
            return
        with ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(self.run_chunks, chunks[w::workers]) for w in range(workers)]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # Ctrl-C: stop the processes, not just the waiting
                self.cancel()
                raise

    def cancel(self) -> None:
        """Kill every running LibreOffice and start no more."""
        with self.lock:
            self.cancelled = True
            for process in self.running:
                _kill_group(process)

    def run_chunks(self, chunks: list[_Chunk]) -> None:
        """Convert *chunks* one after another with one private LibreOffice profile."""
        profile = Path(tempfile.mkdtemp(prefix="docgen-lo-profile-"))
        try:
            for chunk in chunks:
                if self.cancelled:
                    chunk.failed = list(chunk.sources)
                    chunk.log = "cancelled"
                    continue
                self.run_chunk(chunk, profile)
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def run_chunk(self, chunk: _Chunk, profile: Path) -> None:
        """Convert one chunk; a document stuck past the time limit fails, the rest go on.

        LibreOffice converts its documents in order, and each PDF appears once it is
        complete.  When the next PDF has not appeared within the time limit (plus the
        start-up time, for a fresh process), the process is killed, that document is
        recorded as failed, and a new LibreOffice converts the documents after it.
        """
        pending = list(chunk.sources)
        logs: list[str] = []
        while pending:
            stuck, log = self._convert(pending, profile)
            logs.append(log)
            if stuck is None:
                break
            chunk.failed.append(pending[stuck])
            logs.append(
                f"{pending[stuck].name}: LibreOffice did not convert it within "
                f"{self.timeout:g} s; it was stopped (and restarted for the documents after it)"
            )
            pending = pending[stuck + 1 :]
        staged = self.staging
        chunk.failed += [
            p
            for p in chunk.sources
            if p not in chunk.failed and not _is_complete_pdf(staged / f"{p.stem}.pdf")
        ]
        if chunk.failed:
            chunk.log = "\n".join(line for line in logs if line).strip()

    def _convert(self, sources: list[Path], profile: Path) -> tuple[int | None, str]:
        """Run one LibreOffice over *sources*; return the index of a stuck one, and its log."""
        command = [
            self.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(self.staging),
            # URLs, not paths: LibreOffice reads them right whatever the locale's encoding.
            *(path.as_uri() for path in sources),
        ]
        log = profile / "soffice.log"
        with log.open("wb") as output:
            with self.lock:
                if self.cancelled:
                    return None, "cancelled"
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=_environment(profile),
                    cwd=self.staging,
                    start_new_session=True,  # its own process group: a kill reaches every child
                )
                self.running.add(process)
            try:
                stuck = self._watch(process, sources, log)
            except BaseException:  # Ctrl-C or anything else: leave no LibreOffice behind
                _kill_group(process)
                process.wait()
                raise
            finally:
                with self.lock:
                    self.running.discard(process)
        text = log.read_bytes().decode("utf-8", "replace").splitlines()
        lines = [line for line in text if line.strip() and not _is_noise(line)]
        if stuck is None and process.returncode:
            lines.insert(0, f"LibreOffice exited with status {process.returncode}")
        return stuck, "\n".join(lines[-TAIL_LINES:])

    def _watch(
        self, process: subprocess.Popen[bytes], sources: list[Path], log: Path
    ) -> int | None:
        """Wait for *process*; kill it when a document takes too long and return its index.

        LibreOffice prints ``convert …`` as it starts each document: the document's clock
        starts then (or when the PDF before it appeared).  Before the first one, its start-up
        time is allowed too.
        """
        done = 0  # documents up to the last complete PDF
        announced = 0
        clock = time.monotonic()
        allowance = self.timeout + STARTUP_SECONDS
        with log.open("rb") as reader:
            output = b""
            while process.poll() is None:
                output += reader.read()
                count = output.count(b"\nconvert ") + output.startswith(b"convert ")
                finished = max(
                    (i + 1 for i in range(done, len(sources)) if self._complete(sources[i])),
                    default=done,
                )
                if count > announced or finished > done:
                    announced, done = max(count, announced), finished
                    clock, allowance = time.monotonic(), self.timeout
                if done >= len(sources):
                    allowance = self.timeout  # all written: LibreOffice only has to exit
                if time.monotonic() - clock > allowance:
                    _kill_group(process)
                    process.wait()
                    return max(done, announced - 1) if done < len(sources) else None
                time.sleep(POLL_SECONDS)
        return None

    def _complete(self, source: Path) -> bool:
        return _is_complete_pdf(self.staging / f"{source.stem}.pdf")


def _is_noise(line: str) -> bool:
    """Return whether LibreOffice printed *line* on every run (not about this failure)."""
    return "javaldx" in line or "java may not function" in line or line.startswith("convert ")


# The templates name Chinese fonts that Linux does not have (宋体, 仿宋, 黑体 …): map them to
# Noto CJK (fonts-noto-cjk) for LibreOffice's run only, on top of the system's fontconfig.
_FONT_ALIASES = {
    "Noto Serif CJK SC": ("宋体", "SimSun", "仿宋", "FangSong", "仿宋_GB2312", "楷体", "KaiTi",
                          "楷体_GB2312", "方正小标宋简体", "华文中宋", "STSong"),
    "Noto Sans CJK SC": ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "方正黑体简体"),
}  # fmt: skip
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def fontconfig_file(folder: Path) -> Path | None:
    """Write a fontconfig file with docgen's Chinese font aliases into *folder*."""
    if not SYSTEM_FONTCONFIG.is_file():
        return None  # not a fontconfig system (macOS, Windows): LibreOffice finds its own fonts
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{target}</family>'
        "</prefer></alias>\n"
        for target, names in _FONT_ALIASES.items()
        for name in names
    )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        f'<include ignore_missing="yes">{SYSTEM_FONTCONFIG}</include>\n{aliases}</fontconfig>\n',
        encoding="utf-8",
    )
    return path


def _environment(profile: Path) -> dict[str, str]:
    env = dict(os.environ)
    home = env.get("HOME")
    if not home or not os.access(home, os.W_OK):
        env["HOME"] = str(profile)  # LibreOffice and fontconfig want a writable home
    fonts = fontconfig_file(profile)
    if fonts is not None and "FONTCONFIG_FILE" not in os.environ:
        env["FONTCONFIG_FILE"] = str(fonts)
    return env


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill *process* and everything it started (LibreOffice's launcher forks soffice.bin)."""
    if process.returncode is not None:
        return  # reaped: its process group id may belong to someone else by now
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _is_complete_pdf(path: Path) -> bool:
    """Return whether *path* is a whole PDF: its header, and its end-of-file mark."""
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return False
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 1024))
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def _put_in_place(
    sources: list[Path], chunks: list[_Chunk], staging: Path, outdir: Path
) -> list[Path]:
    """Rename the converted PDFs into *outdir*; raise naming those that did not convert."""
    failed = {path for chunk in chunks for path in chunk.failed}
    converted: list[Path] = []
    for source in dict.fromkeys(sources):
        if source in failed:
            continue
        target = outdir / f"{source.stem}.pdf"
        try:
            os.replace(staging / target.name, target)
        except OSError as exc:
            raise DocgenError(f"cannot write the PDF: {exc.strerror}", file=str(target)) from None
        converted.append(target)
    if failed:
        bad = [path for path in dict.fromkeys(sources) if path in failed]
        logs = "\n".join(chunk.log for chunk in chunks if chunk.failed and chunk.log)
        message = f"LibreOffice did not convert {len(bad)} document(s) to PDF: " + ", ".join(
            str(path) for path in bad
        )
        if logs:
            message += "\n  LibreOffice said:\n" + "\n".join(
                "    " + line for line in logs.splitlines()
            )
        raise PdfConversionError(message, bad, converted)
    return [outdir / f"{source.stem}.pdf" for source in sources]


__all__ = [
    "PdfConversionError",
    "PdfUnavailable",
    "convert_to_pdf",
    "find_soffice",
    "require_soffice",
]
