"""Limits a process puts on its own work: numbers from the environment, memory, time.

``WORKER_MEMORY`` and ``RENDER_TIMEOUT`` are the limits every worker process gets
(``docgen.workers``); ``limit_memory`` sets the address-space limit; ``time_limit`` stops a
block from inside (``SIGALRM``), which is how batch workers give each document its own limit.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import N_, _


def env_number(name: str, default: float) -> float:
    """Return the positive number the environment variable *name* holds, else *default*."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


RENDER_TIMEOUT = env_number("DOCGEN_RENDER_TIMEOUT", 60)
"""Seconds a render or a template check may take (``DOCGEN_RENDER_TIMEOUT``)."""
WORKER_MEMORY = int(env_number("DOCGEN_WORKER_MEMORY", 2048)) * 1024 * 1024
"""Bytes of address space a worker may use (``DOCGEN_WORKER_MEMORY``, in MB)."""
TOO_SLOW = N_("stopped after {seconds} s: it took longer than the time limit")
TOO_SLOW_HINT = N_(
    "a template that loops or computes too much; DOCGEN_RENDER_TIMEOUT sets the limit"
)
MEMORY_HINT = N_("a worker may use {megabytes} MB (DOCGEN_WORKER_MEMORY)")


class WorkTimeout(DocgenError):
    """A task took longer than its time limit and was stopped."""


def limit_memory(limit: int | None) -> None:
    """Limit this process's address space to *limit* bytes (where the system allows it)."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # Windows: no address-space limit
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass  # a limit lower than what the process uses already: leave it


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise ``WorkTimeout`` in the block when it runs longer than *seconds* (from inside).

    It works in a process's main thread on systems with ``SIGALRM`` (a batch worker's case);
    elsewhere the block runs without it.  A computation that holds the GIL is stopped only
    when it returns; only a worker pool's kill stops everything.
    """
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "setitimer") or sys.platform == "win32":
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise WorkTimeout(
            _("{what} stopped after {seconds} s: it took longer than the time limit").format(
                what=what, seconds=f"{seconds:g}"
            ),
            hint=_(TOO_SLOW_HINT),
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
