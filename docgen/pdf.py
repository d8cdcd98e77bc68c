"""PDF output through LibreOffice, run headless: warm workers fed from one queue.

Starting LibreOffice costs about a second (several with a new profile), and converting a
document a fifth of one.  ``PdfConverter`` runs one worker per job, each with its own
LibreOffice profile (so that parallel workers, and a LibreOffice the user has open, never
meet: LibreOffice would otherwise pass the work to the running instance and return at once).
A worker keeps one LibreOffice running and feeds it the next document from the shared queue as
it finishes one, through UNO (``pdf_bridge.py``, run by a Python that has LibreOffice's ``uno``);
it replaces the process after ``RECYCLE_AFTER`` documents, and a document over its time limit is
killed alone.  Without such a Python (or with ``DOCGEN_PDF_UNO=0``) a worker runs
``soffice --convert-to pdf`` over chunks of up to ``RECYCLE_AFTER`` documents instead.  PDFs
are written into a temporary folder inside the output folder and renamed into place, so an
interrupted run never leaves a truncated PDF under its final name.

``font_substitutions`` says which fonts that the documents name LibreOffice had to replace
(government templates name 仿宋_GB2312 and 方正小标宋简体, which Linux rarely has).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue as queues
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.ooxml.fonts import fonts_of_documents
from docgen.worker_limits import env_number

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PATHS = (
    Path("/usr/lib/libreoffice/program/soffice"),
    Path("/opt/libreoffice/program/soffice"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
INSTALL_HINT = N_(
    "install it with: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "(Debian/Ubuntu), sudo dnf install libreoffice-writer google-noto-sans-cjk-fonts "
    "(Fedora) or brew install --cask libreoffice (macOS)"
)
RECYCLE_AFTER = int(env_number("DOCGEN_PDF_RECYCLE", 200))
"""Documents one LibreOffice process converts before it is replaced (``DOCGEN_PDF_RECYCLE``):
its start-up is paid once per so many documents, and its memory never grows without bound."""
DEFAULT_TIMEOUT = env_number("DOCGEN_PDF_TIMEOUT", 60)
"""Seconds LibreOffice may take for one document (``DOCGEN_PDF_TIMEOUT``) before it is
stopped, that document reported as failed, and a new LibreOffice started for the others."""
STARTUP_SECONDS = 60.0
STOP_SECONDS = 30.0
"""Added to the first document's time limit: LibreOffice's start with a fresh profile."""
UNO_SETTING = "DOCGEN_PDF_UNO"
"""``DOCGEN_PDF_UNO=0`` turns the warm workers off: LibreOffice run per chunk, as without UNO."""
BRIDGE_SCRIPT = Path(__file__).with_name("pdf_bridge.py")
UNO_PYTHONS = ("/usr/bin/python3", "python3", "/usr/local/bin/python3", "/usr/bin/python3.11")
"""Pythons tried for LibreOffice's ``uno`` module (Debian's ``python3-uno``), after docgen's own
and the one LibreOffice ships (Windows, macOS)."""
NO_UNO_NOTE = N_(
    "info: no Python with LibreOffice's UNO module found (sudo apt-get install python3-uno): "
    "LibreOffice is started for each group of documents, which is slower"
)
STOPPED = N_(
    "{document}: LibreOffice did not convert it within {seconds} s; it was stopped "
    "(and restarted for the documents after it)"
)
DIED = N_("{document}: LibreOffice died converting it, twice")
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
        raise PdfUnavailable(
            _("LibreOffice is needed for --pdf; {hint}").format(hint=_(INSTALL_HINT))
        )
    return found


def find_uno_python() -> str | None:
    """Return a Python that can import LibreOffice's ``uno``, or ``None`` (cached)."""
    soffice = find_soffice()
    return _find_uno_python(soffice)


@functools.lru_cache(maxsize=4)
def _find_uno_python(soffice: str | None) -> str | None:
    candidates = [sys.executable]
    if soffice is not None:  # LibreOffice's own Python, where it ships one
        program = Path(os.path.realpath(soffice)).parent
        candidates += [str(program / "python"), str(program / "python.exe")]
    candidates += [shutil.which(name) or name for name in UNO_PYTHONS]
    for python in dict.fromkeys(candidates):
        if not Path(python).is_file() or not os.access(python, os.X_OK):
            continue
        try:
            probe = subprocess.run(
                [python, "-I", "-c", "import uno"],
                stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return python
    return None


def warm_workers_off() -> bool:
    """Return whether ``DOCGEN_PDF_UNO=0`` (or ``false``, ``no``, ``off``) is set."""
    return os.environ.get(UNO_SETTING, "").strip().lower() in {"0", "false", "no", "off"}


def warm_note() -> str | None:
    """Return the info line for a conversion without warm workers for lack of UNO, or None."""
    if warm_workers_off() or find_soffice() is None or find_uno_python() is not None:
        return None
    return _(NO_UNO_NOTE)


@dataclass
class _Chunk:
    """One LibreOffice process's share of the work (at most ``recycle_after`` documents)."""

    sources: list[Path]
    failed: list[Path] = field(default_factory=list)
    log: str = ""
    reported: int = 0  # documents already counted by the progress callback


Progress = Callable[[int], None]
"""Called with the number of documents just finished (converted or failed)."""


def convert_to_pdf(
    docx_paths: Sequence[Path],
    outdir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    jobs: int = 1,
    recycle_after: int = RECYCLE_AFTER,
    on_progress: Progress | None = None,
) -> list[Path]:
    """Convert *docx_paths* to PDF in *outdir*; return the PDFs' paths in input order.

    Each PDF is named after its document (``a/x.docx`` → ``outdir/x.pdf``) and replaces an
    older one of that name.  See ``PdfConverter`` for *jobs*, *recycle_after*, *timeout* and
    *on_progress*.

    Raises ``PdfUnavailable`` without LibreOffice, ``DocgenError`` for inputs that do not exist
    or would give the same PDF name, and ``PdfConversionError`` naming the documents that did
    not convert (with LibreOffice's output), after the others were converted and put in place.
    """
    converter = PdfConverter(jobs, timeout, recycle_after=recycle_after, on_progress=on_progress)
    return converter.convert(docx_paths, outdir)


class PdfConverter:
    """Convert documents on *jobs* LibreOffice workers, each fed from one queue.

    Each worker is a thread with its own LibreOffice profile, kept for all its processes (only
    the first start pays for a new profile).  It takes the next documents from the shared
    queue — at most *recycle_after*, fewer when there are too few to keep every worker busy —
    and converts them with one LibreOffice process, which is then replaced: a long run never
    grows one process's memory.  A document that takes longer than *timeout* seconds has its
    LibreOffice killed (with everything it started) and fails alone; a LibreOffice that dies
    (a crash, a kill) is replaced and the document it was converting is tried once more.
    *on_progress* is called, from the workers' threads, as documents finish.
    ``processes_started`` counts the LibreOffice processes a conversion needed.

    With *warm* (the default when a Python with LibreOffice's ``uno`` is found and
    ``DOCGEN_PDF_UNO`` is not ``0``) each worker keeps one LibreOffice running, listening on a
    pipe, and feeds it one document after the other through ``pdf_bridge.py`` (run by that
    Python): no start-up per chunk.  It is replaced after *recycle_after* documents, when a
    document takes longer than *timeout* (it and its bridge are killed; the document fails),
    and when it dies (the document is tried once more).  Without *warm*, each chunk of documents
    is one ``soffice --convert-to pdf`` run.  ``warm_used`` says which way the last
    conversion went.
    """

    def __init__(
        self,
        jobs: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        recycle_after: int = RECYCLE_AFTER,
        on_progress: Progress | None = None,
        warm: bool | None = None,
    ) -> None:
        self.jobs = max(1, jobs)
        self.warm = warm
        self.warm_used = False
        self.timeout = timeout
        self.recycle_after = max(1, recycle_after)
        self.on_progress = on_progress
        self.processes_started = 0
        self.profiles: list[Path] = []
        """The profile folder of each worker of the last conversion (removed after it)."""

    def convert(self, docx_paths: Sequence[Path], outdir: Path) -> list[Path]:
        """Convert *docx_paths* into *outdir*, as ``convert_to_pdf`` does."""
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
            raise DocgenError(
                _("cannot write PDFs here: {reason}").format(reason=exc.strerror),
                file=str(outdir),
            ) from None
        python = None
        if self.warm or (self.warm is None and not warm_workers_off()):
            python = find_uno_python()
        runner = _Runner(soffice, staging, self.timeout, self.on_progress)
        runner.python, runner.recycle_after = python, self.recycle_after
        try:
            unique = list(dict.fromkeys(sources))
            # Warm workers take one document at a time: their LibreOffice is already running.
            size = 1 if python is not None else self.recycle_after
            queue = _Queue(unique, min(self.jobs, len(unique)), size)
            runner.run(queue, self.jobs)
            return _put_in_place(sources, queue.taken, staging, outdir)
        finally:
            self.processes_started += runner.started
            self.warm_used = runner.python is not None
            self.profiles = runner.profiles
            shutil.rmtree(staging, ignore_errors=True)


@dataclass
class _Slot:
    """One of a ``PdfPool``'s workers: its runner (staging folder), profile and bridge."""

    runner: _Runner
    profile: Path
    bridge: _Bridge | None = None


class PdfPool:
    """LibreOffice workers kept warm between conversions, one document a call (the service's).

    ``PdfConverter`` starts its workers for one batch and stops them after it; a server
    converting one document per request would pay LibreOffice's start (and a new profile's,
    2–3 s) every time.  Here *jobs* workers are made on the first call and kept: each with its
    own profile and, with UNO, its LibreOffice running, replaced after *recycle_after*
    documents, when one takes longer than *timeout* (it is killed; the document fails) or when
    it dies (the document is tried once more) — the same rules as ``PdfConverter``.  A call
    waits for a free worker at most *timeout* seconds.  ``close`` stops them all.
    """

    def __init__(
        self, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT, recycle_after: int = RECYCLE_AFTER
    ) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.recycle_after = max(1, recycle_after)
        self._lock = threading.Lock()
        self._idle: queues.Queue[_Slot] = queues.Queue()
        self._slots: list[_Slot] = []
        self._root: Path | None = None

    def _start(self) -> None:
        with self._lock:
            if self._root is not None:
                return
            soffice = require_soffice()
            python = None if warm_workers_off() else find_uno_python()
            self._root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX)).resolve()
            for number in range(self.jobs):
                staging = self._root / f"worker-{number}"
                profile = staging / "profile"
                profile.mkdir(parents=True)
                runner = _Runner(soffice, staging, self.timeout, None)
                runner.python, runner.recycle_after = python, self.recycle_after
                slot = _Slot(runner, profile)
                self._slots.append(slot)
                self._idle.put(slot)

    def convert_bytes(self, data: bytes) -> bytes:
        """Return the PDF of the .docx *data*; raise ``PdfUnavailable`` without LibreOffice,
        ``PdfConversionError`` when LibreOffice could not convert it in time."""
        self._start()
        try:
            slot = self._idle.get(timeout=self.timeout)
        except queues.Empty:
            raise PdfConversionError(
                _("every PDF worker was busy for {seconds} s").format(seconds=f"{self.timeout:g}"),
                [],
                [],
            ) from None
        runner = slot.runner
        source = runner.staging / "document.docx"
        target = runner.staging / "document.pdf"
        try:
            source.write_bytes(data)
            chunk = _Chunk([source])
            if runner.python is not None:
                slot.bridge = runner.run_warm(chunk, slot.profile, slot.bridge)
            else:
                runner.run_chunk(chunk, slot.profile)
            if chunk.failed or not target.is_file():
                raise PdfConversionError(chunk.log or _("no PDF was written"), [source], [])
            return target.read_bytes()
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
            self._idle.put(slot)

    def close(self) -> None:
        """Stop every worker's LibreOffice and remove their profiles."""
        with self._lock:
            slots, self._slots = self._slots, []
            root, self._root = self._root, None
        for slot in slots:
            if slot.bridge is not None:
                slot.runner._close(slot.bridge)
            slot.runner.cancel()
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)


def _check_inputs(sources: list[Path]) -> None:
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise DocgenError(
            _("cannot convert to PDF, no such file: {files}").format(files=", ".join(missing))
        )
    owners: dict[str, Path] = {}
    for path in sources:
        name = path.stem + ".pdf"
        if name in owners and owners[name] != path:
            raise DocgenError(
                _(
                    "{first} and {second} would both be converted to {name}; "
                    "convert them into different folders"
                ).format(first=owners[name], second=path, name=name)
            )
        owners[name] = path


class _Queue:
    """The documents to convert in chunks, handed out in order as workers ask for them.

    Chunks hold at most *recycle_after* documents, and fewer when there are not enough to
    keep *jobs* workers busy (each LibreOffice start costs seconds of CPU: a chunk is never
    cut smaller than that).
    """

    def __init__(self, sources: list[Path], jobs: int, recycle_after: int) -> None:
        size = max(1, min(recycle_after, -(-len(sources) // max(1, jobs))))
        self.sources = list(sources)
        self.size = size
        self.lock = threading.Lock()
        self.taken: list[_Chunk] = []

    def take(self) -> _Chunk | None:
        """Return the next chunk, or ``None`` when everything was handed out."""
        with self.lock:
            if not self.sources:
                return None
            chunk = _Chunk(self.sources[: self.size])
            del self.sources[: self.size]
            self.taken.append(chunk)
            return chunk

    def cancel(self) -> None:
        """Hand out nothing more; what was not taken fails as cancelled."""
        with self.lock:
            if self.sources:
                self.taken.append(_Chunk(self.sources, list(self.sources), "cancelled"))
                self.sources = []


class _Runner:
    """Run LibreOffice workers over a queue, on *jobs* threads; stop them all on interrupt."""

    def __init__(
        self, soffice: str, staging: Path, timeout: float, on_progress: Progress | None
    ) -> None:
        self.soffice = soffice
        self.staging = staging
        self.timeout = timeout
        self.on_progress = on_progress
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[bytes]] = set()
        self.cancelled = False
        self.started = 0
        self.profiles: list[Path] = []
        self.python: str | None = None  # the Python with ``uno`` for warm workers, if any
        self.recycle_after = RECYCLE_AFTER

    def run(self, queue: _Queue, jobs: int) -> None:
        """Convert everything in *queue* with *jobs* workers."""
        workers = min(jobs, len(queue.sources))
        if workers <= 1:
            self.work(queue)
            return
        with ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(self.work, queue) for _unused in range(workers)]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # Ctrl-C: stop the processes, not just the waiting
                queue.cancel()
                self.cancel()
                raise

    def cancel(self) -> None:
        """Kill every running LibreOffice and start no more."""
        with self.lock:
            self.cancelled = True
            for process in self.running:
                _kill_group(process)

    def work(self, queue: _Queue) -> None:
        """Be one worker: take chunks until the queue is empty, with one private profile."""
        # Inside the staging folder: removed with it, and found by the output folder's name.
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.staging))
        with self.lock:
            self.profiles.append(profile)
        bridge: _Bridge | None = None
        try:
            while (chunk := queue.take()) is not None:
                if self.cancelled:
                    chunk.failed = list(chunk.sources)
                    chunk.log = "cancelled"
                    continue
                if self.python is None:
                    self.run_chunk(chunk, profile)
                    continue
                bridge = self.run_warm(chunk, profile, bridge)
            if bridge is not None:
                self._close(bridge)
        except BaseException:  # Ctrl-C or anything else: leave no LibreOffice behind
            if bridge is not None:
                self._kill(bridge)
            raise
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def run_warm(self, chunk: _Chunk, profile: Path, bridge: _Bridge | None) -> _Bridge | None:
        """Convert *chunk*'s one document on *bridge* (started, or replaced, as needed); return
        the bridge to use next (``None`` after a kill)."""
        (source,) = chunk.sources
        target = self.staging / f"{source.stem}.pdf"
        for attempt in (1, 2):
            if bridge is not None and bridge.converted >= self.recycle_after:
                self._close(bridge)
                bridge = None
            if bridge is None:
                bridge = self._start(profile)
                if bridge is None:  # its LibreOffice did not answer: convert as without UNO
                    self.python = None
                    self.run_chunk(chunk, profile)
                    return None
            answer = bridge.ask(source, target, self.timeout)
            if answer is None:
                self._kill(bridge)
                chunk.failed.append(source)
                chunk.log = _(STOPPED).format(document=source.name, seconds=f"{self.timeout:g}")
                bridge = None
                break
            if answer.get("died"):
                self._kill(bridge)
                bridge = None
                if attempt == 1 and not self.cancelled:
                    continue
                chunk.failed.append(source)
                chunk.log = _(DIED).format(document=source.name)
                break
            if not answer.get("ok") or not self._complete(source):
                chunk.failed.append(source)
                chunk.log = "{document}: {error}".format(
                    document=source.name, error=answer.get("error") or _("no PDF was written")
                )
            break
        self._advance(chunk, 1)
        return bridge

    def _start(self, profile: Path) -> _Bridge | None:
        """Start a bridge and its LibreOffice; return it once ready, ``None`` if it never was."""
        assert self.python is not None
        with self.lock:
            if self.cancelled:
                return None
            bridge = _Bridge(self.python, self.soffice, profile)
            self.running.add(bridge.process)
            self.started += 1
        ready = bridge.answer(STARTUP_SECONDS + self.timeout)
        if ready is None or not ready.get("ready"):
            self._kill(bridge)
            return None
        return bridge

    def _kill(self, bridge: _Bridge) -> None:
        bridge.kill()
        with self.lock:
            self.running.discard(bridge.process)

    def _close(self, bridge: _Bridge) -> None:
        bridge.close()
        with self.lock:
            self.running.discard(bridge.process)

    def _advance(self, chunk: _Chunk, finished: int) -> None:
        """Tell the progress callback about the documents of *chunk* finished since last."""
        if self.on_progress is not None and finished > chunk.reported:
            self.on_progress(finished - chunk.reported)
        chunk.reported = max(chunk.reported, finished)

    def run_chunk(self, chunk: _Chunk, profile: Path) -> None:
        """Convert one chunk; a document stuck past the time limit fails, the rest go on.

        LibreOffice converts its documents in order, and each PDF appears once it is
        complete.  When the next PDF has not appeared within the time limit (plus the
        start-up time, for a fresh process), the process is killed, that document is
        recorded as failed, and a new LibreOffice converts the documents after it.  A
        LibreOffice killed by a signal (a crash, the OOM killer, a user's kill) is replaced;
        the document it was converting is tried once more, then reported.
        """
        pending = list(chunk.sources)
        logs: list[str] = []
        retried: set[Path] = set()
        while pending:
            stuck, log, status = self._convert(chunk, pending, profile)
            logs.append(log)
            if stuck is not None:
                chunk.failed.append(pending[stuck])
                logs.append(
                    _(STOPPED).format(document=pending[stuck].name, seconds=f"{self.timeout:g}")
                )
                pending = pending[stuck + 1 :]
                continue
            missing = [p for p in pending if not self._complete(p)]
            if not _died(status) or not missing or self.cancelled:
                break
            if missing[0] in retried:
                chunk.failed.append(missing[0])
                logs.append(_(DIED).format(document=missing[0].name))
                missing = missing[1:]
            else:
                retried.add(missing[0])
            pending = missing
        chunk.failed += [
            p for p in chunk.sources if p not in chunk.failed and not self._complete(p)
        ]
        self._advance(chunk, len(chunk.sources))
        if chunk.failed:
            chunk.log = "\n".join(line for line in logs if line).strip()

    def _convert(
        self, chunk: _Chunk, sources: list[Path], profile: Path
    ) -> tuple[int | None, str, int | None]:
        """Run one LibreOffice over *sources*; return a stuck one's index, the log, the status."""
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
                    return None, "cancelled", None
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
                self.started += 1
            try:
                stuck = self._watch(chunk, process, sources, log)
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
            lines.insert(
                0, _("LibreOffice exited with status {status}").format(status=process.returncode)
            )
        return stuck, "\n".join(lines[-TAIL_LINES:]), process.returncode

    def _watch(
        self, chunk: _Chunk, process: subprocess.Popen[bytes], sources: list[Path], log: Path
    ) -> int | None:
        """Wait for *process*; kill it when a document takes too long and return its index.

        LibreOffice prints ``convert …`` as it starts each document: the document's clock
        starts then (or when the PDF before it appeared).  Before the first one, its start-up
        time is allowed too.  Only the next PDFs are looked for: they appear in order.
        """
        done = 0  # documents up to the last complete PDF
        announced = 0
        clock = time.monotonic()
        allowance = self.timeout + STARTUP_SECONDS
        offset = len(chunk.sources) - len(sources)  # documents of the chunk before *sources*
        with log.open("rb") as reader:
            output = b""
            while process.poll() is None:
                output += reader.read()
                count = output.count(b"\nconvert ") + output.startswith(b"convert ")
                finished = done
                while finished < len(sources) and self._complete(sources[finished]):
                    finished += 1
                if count > announced or finished > done:
                    announced, done = max(count, announced), finished
                    clock, allowance = time.monotonic(), self.timeout
                    self._advance(chunk, offset + done)
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


class _Bridge:
    """One ``pdf_bridge.py`` process and the LibreOffice it started, in their own process group.

    Requests go to its stdin as JSON lines; a thread reads its answers into a queue, so that
    each can be waited for with a time limit.
    """

    def __init__(self, python: str, soffice: str, profile: Path) -> None:
        pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex}"
        with (profile / "bridge.log").open("ab") as log:
            self.process = subprocess.Popen(
                [python, "-I", str(BRIDGE_SCRIPT), soffice, profile.as_uri(), pipe],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=_environment(profile),
                cwd=profile,
                start_new_session=True,  # its own process group: a kill reaches LibreOffice too
            )
        self.converted = 0
        self.answers: queues.Queue[bytes | None] = queues.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.answers.put(line)
        self.answers.put(None)

    def answer(self, wait: float) -> dict[str, Any] | None:
        """Return the bridge's next answer, or ``None`` when it gave none within *wait* s."""
        try:
            line = self.answers.get(timeout=wait)
        except queues.Empty:
            return None
        if line is None:  # it exited: LibreOffice died under it, or it was killed
            return {"ok": False, "died": True}
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            return {"ok": False, "error": line.decode("utf-8", "replace").strip()}
        return answer

    def ask(self, source: Path, target: Path, wait: float) -> dict[str, Any] | None:
        """Have *source* converted to *target*; return the answer (``None``: over *wait* s)."""
        assert self.process.stdin is not None
        self.converted += 1
        request = json.dumps({"source": str(source), "target": str(target)})
        try:
            self.process.stdin.write(request.encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            return {"ok": False, "died": True}
        return self.answer(wait)

    def kill(self) -> None:
        _kill_group(self.process)
        self._reap()

    def _reap(self) -> None:
        self.process.wait()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        self.reader.join(STOP_SECONDS)  # the end of its output: the pipe is closed

    def close(self) -> None:
        """Let the bridge close LibreOffice (the end of its input); kill both if they linger."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(self.process)
        self._reap()


def _died(status: int | None) -> bool:
    """Return whether LibreOffice was killed by a signal, seen directly (``-9``) or through its
    launcher script, which exits with 128 + the signal's number."""
    return status is not None and (status < 0 or status > 128)


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
            raise DocgenError(
                _("cannot write the PDF: {reason}").format(reason=exc.strerror), file=str(target)
            ) from None
        converted.append(target)
    if failed:
        bad = [path for path in dict.fromkeys(sources) if path in failed]
        logs = "\n".join(chunk.log for chunk in chunks if chunk.failed and chunk.log)
        message = _("LibreOffice did not convert {count} document(s) to PDF: {files}").format(
            count=len(bad), files=", ".join(str(path) for path in bad)
        )
        if logs:
            message += "\n  " + _("LibreOffice said:") + "\n"
            message += "\n".join("    " + line for line in logs.splitlines())
        raise PdfConversionError(message, bad, converted)
    return [outdir / f"{source.stem}.pdf" for source in sources]


METRIC_COMPATIBLE = {
    "Times New Roman": "Liberation Serif",
    "Arial": "Liberation Sans",
    "Courier New": "Liberation Mono",
    "Courier": "Liberation Mono",
}
"""Substitutes with the same widths as the font they replace: the pages come out the same."""


def font_substitutions(docx_paths: Iterable[Path]) -> dict[str, str]:
    """Return the fonts the documents name that LibreOffice replaces: name → the font used.

    LibreOffice on Linux takes fonts from fontconfig, with docgen's aliases on top (the Chinese
    fonts of the templates → Noto CJK): what ``fc-match`` answers for a name, in that setting,
    is the font LibreOffice uses.  A name whose answer is another family is substituted,
    unless the answer has the same metrics (``METRIC_COMPATIBLE``: Liberation for Times …).
    Empty where fontconfig is not installed (macOS, Windows: LibreOffice's own fallbacks).
    """
    if shutil.which("fc-match") is None:
        return {}
    names = fonts_of_documents(Path(p) for p in docx_paths)
    with tempfile.TemporaryDirectory(prefix="docgen-fonts-") as folder:
        env = _environment(Path(folder))
        found = {name: _matched_family(name, env) for name in sorted(names)}
    return {
        name: used
        for name, used in found.items()
        if used is not None and METRIC_COMPATIBLE.get(name) != used
    }


def _matched_family(name: str, env: dict[str, str]) -> str | None:
    """Return the family fontconfig gives for *name* when that is another font, else None."""
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family}", name],
            capture_output=True, env=env, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = [f.strip() for f in result.stdout.decode("utf-8", "replace").split(",")]
    if result.returncode != 0 or not families or not families[0]:
        return None
    wanted = _font_key(name)
    return None if any(_font_key(f) == wanted for f in families) else families[0]


def _font_key(name: str) -> str:
    return "".join(name.split()).casefold()


def substitution_warning(substituted: dict[str, str]) -> str | None:
    """Return the warning line for *substituted* fonts (``font_substitutions``), or None."""
    if not substituted:
        return None
    pairs = ", ".join(f"{name} → {used}" for name, used in substituted.items())
    return _(
        "warning: the PDFs use substitutes for fonts that the documents name: {pairs}; "
        "install those fonts for PDFs that look as the documents do in Word"
    ).format(pairs=pairs)


__all__ = [
    "PdfConversionError",
    "PdfConverter",
    "PdfPool",
    "PdfUnavailable",
    "convert_to_pdf",
    "find_soffice",
    "find_uno_python",
    "font_substitutions",
    "require_soffice",
    "substitution_warning",
    "warm_note",
]
