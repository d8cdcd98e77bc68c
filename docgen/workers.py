"""Killable work: renders and template checks run in worker processes with hard limits.

A template is code from whoever wrote it, and its limits (``render.limits``) bound what it
can ask for; this module makes sure that whatever still goes wrong can be stopped.  Each
``WorkerPool`` keeps warm worker processes (docgen imported, the built-in templates
prepared).  A task runs in one of them under two limits:

- a **time limit**: when it is exceeded, the worker is killed (``SIGKILL``; nothing it does
  can prevent that, not even a long computation holding the GIL), replaced by a fresh one,
  and the caller gets ``WorkTimeout``;
- an **address-space limit** (``RLIMIT_AS``), so a template that asks for memory gets a
  ``MemoryError``, reported as a template problem, instead of the machine's memory.

A worker that dies (killed from outside, or crashed) is replaced too.  Workers are started by
a fork server, so they never inherit a threaded parent's state; the task carries the caller's
working directory, so relative paths mean the same in the worker.

Batch workers, which are processes already, give each document its own limit from inside
(``worker_limits.time_limit``).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import Any

from docgen.errors import DocgenError, TemplateProblem
from docgen.i18n import _, current_language, using_language
from docgen.worker_limits import (
    MEMORY_HINT,
    RENDER_TIMEOUT,
    TOO_SLOW,
    TOO_SLOW_HINT,
    WORKER_MEMORY,
    WorkTimeout,
    limit_memory,
)


class WorkerDied(DocgenError):
    """The worker process running a task died (killed, out of memory or crashed)."""


def _as_docgen(exc: BaseException) -> DocgenError:
    """Return *exc* as an error that crosses the process boundary whole (docgen's own do)."""
    if isinstance(exc, DocgenError):  # a subclass that does not pickle: its fields do
        return DocgenError(exc.message, file=exc.file, line=exc.line, path=exc.path, hint=exc.hint)
    if isinstance(exc, MemoryError):
        hint = _(MEMORY_HINT).format(megabytes=f"{WORKER_MEMORY // 2**20:,}")
        return TemplateProblem(_("ran out of memory"), hint=hint)
    return DocgenError(
        _("internal error: {kind}: {error}").format(kind=type(exc).__name__, error=exc),
        hint=_("this is a bug in docgen; please report it"),
    )


def _portable(exc: BaseException) -> bool:
    """Return whether *exc* survives pickling whole: docgen's errors do (findings included);
    Python's own are reported as docgen errors instead."""
    if isinstance(exc, MemoryError) or type(exc).__module__ == "builtins":
        return False
    try:
        return type(pickle.loads(pickle.dumps(exc))) is type(exc)
    except Exception:
        return False


def _warm() -> None:
    """Prepare the built-in templates, so that the first task is as fast as the others."""
    from docgen.render.documents import KINDS, Renderer

    renderer = Renderer()
    for kind in KINDS.values():
        renderer.template(kind).prepared  # noqa: B018 — compiles once, cached


def _serve(conn: Connection, memory: int | None, warm: bool, nice: int) -> None:
    """Run tasks sent over *conn* until told to stop (in the worker process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches it
    limit_memory(memory)
    if nice and hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(nice)
    if warm:
        with suppress(Exception):  # a broken installation shows in the first task
            _warm()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        cwd, language, function, args = task
        try:
            if cwd is not None and cwd != _cwd():
                os.chdir(cwd)
            with using_language(language):  # the caller's: a service request's, say
                reply: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # everything goes back to the caller, as a failure
            reply = ("raise", exc if _portable(exc) else _as_docgen(exc))
        try:
            conn.send(reply)
        except (OSError, MemoryError):
            conn.send(("raise", _as_docgen(MemoryError())))


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the folder was removed: relative paths mean nothing anyway
        return None


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["docgen.workers", "docgen.render.documents", "docgen.cli"])
        return context
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process and its end of the pipe."""

    def __init__(self, context: Any, memory: int | None, warm: bool, nice: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, memory, warm, nice), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        """Stop the worker at once, whatever it is doing."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to finish; kill it if it does not."""
        with suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=2)
        self.kill()


class WorkerPool:
    """Warm worker processes that run tasks with a time and a memory limit.

    ``run`` may be called from many threads at once; each call takes an idle worker (waiting
    for one when all are busy).  A *warm* pool starts *size* workers at once, in the
    background, each preparing the built-in templates, and replaces a killed worker at once;
    otherwise workers start when a task needs one.  Workers run *nice* steps below the
    caller's priority: a server keeps answering while its workers are busy.
    """

    def __init__(
        self,
        size: int = 1,
        timeout: float = RENDER_TIMEOUT,
        memory: int | None = WORKER_MEMORY,
        *,
        warm: bool = True,
        nice: int = 0,
    ) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.memory = memory
        self.warm = warm
        self.nice = nice
        self._context = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._starting = 0
        self._lock = threading.Lock()
        self._closed = False
        if warm:
            for _unused in range(self.size):
                self._spawn_later()

    @property
    def pids(self) -> set[int]:
        """Return the process ids of the current workers."""
        with self._lock:
            return {w.process.pid for w in self._workers if w.process.pid is not None}

    def _start(self) -> _Worker | None:
        """Start a worker (counted in ``_starting`` by the caller); ``None`` once closed."""
        try:
            worker = _Worker(self._context, self.memory, self.warm, self.nice)
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            if not self._closed:
                self._workers.add(worker)
                return worker
        worker.stop()
        return None

    def _spawn_later(self) -> None:
        """Start a worker in the background; it joins the idle ones when it is up."""

        def start() -> None:
            worker = self._start()
            if worker is not None:
                self._idle.put(worker)

        with self._lock:
            self._starting += 1
        threading.Thread(target=start, daemon=True, name="docgen-worker-start").start()

    def _take(self, limit: float) -> _Worker:
        """Return an idle worker: a free one, a new one while there are too few, or wait.

        The wait counts against the task's time limit: past it, ``WorkTimeout``.
        """
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = len(self._workers) + self._starting < self.size
            if grow:
                self._starting += 1
        if grow:
            worker = self._start()
            if worker is None:
                raise DocgenError(_("the worker pool is closed"))
            return worker
        try:
            return self._idle.get(timeout=limit)
        except queue.Empty:
            raise WorkTimeout(
                _("stopped after {seconds} s: every worker was busy for that long").format(
                    seconds=f"{limit:g}"
                ),
                hint=_("other renders took the workers; DOCGEN_WORKERS sets how many there are"),
            ) from None

    def _retire(self, worker: _Worker) -> None:
        """Kill *worker*; a warm pool starts its replacement at once, in the background."""
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        if self.warm and not self._closed:
            self._spawn_later()

    def run(self, function: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """Return ``function(*args)`` computed in a worker; raise what it raised.

        Raises ``WorkTimeout`` when it takes longer than *timeout* seconds (the pool's
        limit by default): the worker is killed and replaced, so the work really stops.
        """
        if self._closed:
            raise DocgenError(_("the worker pool is closed"))
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        worker = self._take(limit)
        try:
            worker.conn.send((_cwd(), current_language(), function, args))
            if not worker.conn.poll(max(deadline - time.monotonic(), 0)):
                self._retire(worker)
                raise WorkTimeout(_(TOO_SLOW).format(seconds=f"{limit:g}"), hint=_(TOO_SLOW_HINT))
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            raise WorkerDied(
                _("the worker process died (out of memory, or killed)"),
                hint=_(MEMORY_HINT).format(megabytes=f"{(self.memory or 0) // 2**20:,}"),
            ) from None
        except BaseException:
            if worker in self._workers and worker.process.is_alive():
                self._retire(worker)  # interrupted while it works: its reply would be stale
            raise
        self._idle.put(worker)
        if status == "raise":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()


_SHARED: WorkerPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> WorkerPool:
    """Return this process's pool of one worker (the command line's), started when needed."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED._closed:
            _SHARED = WorkerPool(1, warm=False)  # started when first needed
            atexit.register(_SHARED.close)
        return _SHARED
