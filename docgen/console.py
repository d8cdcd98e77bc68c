"""The command line's consoles and its guard against tracebacks."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from docgen.errors import DocgenError, Severity
from docgen.i18n import ENGLISH, _, current_language
from docgen.output import write_atomic


class _Console(Console):
    """A console that keeps the run going when its reader goes away (``docgen … | head``)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, (sys.stderr if self.stderr else sys.stdout).fileno())


out = _Console(soft_wrap=True, highlight=False, markup=False)
err = _Console(stderr=True, soft_wrap=True, highlight=False, markup=False)

EXIT_OK, EXIT_FAILED, EXIT_INTERNAL = 0, 1, 3

# How ``--help`` is laid out, in the language chosen when the command line is built. Rich's
# tables wrap at spaces and cut a longer run with "…", which loses most of a Chinese help text
# (it has no spaces); click's plain layout breaks long words and keeps every one.
HELP_LAYOUT: dict[str, Any] = {} if current_language() == ENGLISH else {"rich_markup_mode": None}


def emit(text: str, output: Path | None) -> int:
    """Write *text* to *output* atomically, or to stdout without one; return EXIT_OK."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode("utf-8"))
        err.print(_("wrote {path}").format(path=output))
    return EXIT_OK


def guard(action: Callable[[], int]) -> int:
    """Run *action*; turn an unexpected exception into a short message, not a traceback."""
    try:
        return action()
    except DocgenError as exc:
        err.print(Text(f"{Severity.ERROR.label}: {exc}", style="red"))
        return exc.exit_code
    except KeyboardInterrupt:
        err.print(_("interrupted; files already written are complete, nothing half-written"))
        return 130
    except Exception as exc:  # a bug of ours: say so plainly
        if os.environ.get("DOCGEN_DEBUG"):
            traceback.print_exc()
        err.print(
            _(
                "internal error: {error}\n"
                "  this is a bug in docgen; run again with DOCGEN_DEBUG=1 for details and report it"
            ).format(error=f"{type(exc).__name__}: {exc}")
        )
        return EXIT_INTERNAL
