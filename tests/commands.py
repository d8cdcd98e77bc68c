"""Run the installed ``docgen`` command as a user does: a subprocess, in a folder of their own.

Every test that runs docgen as a user would goes through ``run_docgen`` (or, for the README's
shell blocks, ``user_env``): the console script ``pip install`` put beside the interpreter
running the tests, first on ``PATH``, with none of the caller's ``DOCGEN_*`` settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The console script that `pip install` put beside the interpreter running the tests.
DOCGEN = Path(sys.executable).with_name("docgen")


def user_env(**extra: str) -> dict[str, str]:
    """Return the environment of a user's shell: the installed docgen first on ``PATH``, no
    ``DOCGEN_*`` settings of the caller's, wide enough lines, messages in English
    (``DOCGEN_LANG=en``: a test of Chinese sets it to ``zh``, or to ``""`` to follow the
    locale); *extra* on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env["PATH"] = f"{DOCGEN.parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "200"
    env["DOCGEN_LANG"] = "en"
    return {**env, **extra}


def run_docgen(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``docgen ARGS…`` in *cwd* and return what it printed and its exit status."""
    return subprocess.run(
        [str(DOCGEN), *args],
        cwd=cwd,
        env=user_env(**(env or {})),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
