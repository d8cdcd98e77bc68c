"""Run the installed ``docgen`` command as a user does: a subprocess, in a folder of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The console script that `pip install` put beside the interpreter running the tests.
DOCGEN = Path(sys.executable).with_name("docgen")


def run_docgen(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``docgen ARGS…`` in *cwd* and return what it printed and its exit status."""
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    environment.pop("DOCGEN_DEBUG", None)
    return subprocess.run(
        [str(DOCGEN), *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
