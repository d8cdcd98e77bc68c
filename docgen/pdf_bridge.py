"""One warm LibreOffice, fed documents through UNO: run by ``docgen.pdf`` under a Python that
has LibreOffice's ``uno`` module (Debian's ``python3-uno``; docgen's own venv rarely has it).

    python3 -I pdf_bridge.py SOFFICE PROFILE_URL PIPE_NAME

Starts ``SOFFICE`` headless with its own profile, listening on a named pipe, in this process's
group (``docgen.pdf`` kills the group: this script and LibreOffice together).  Prints one JSON
line when LibreOffice answers (``{"ready": true}``), then reads one JSON request a line from
stdin — ``{"source": "/abs/x.docx", "target": "/abs/x.pdf"}`` — and answers each with one JSON
line: ``{"ok": true}``, ``{"ok": false, "error": "…"}``, or ``{"ok": false, "died": true}`` when
LibreOffice is gone (then it exits).  At the end of stdin it closes LibreOffice and exits.

The pattern of unoserver and JODConverter: ``loadComponentFromURL`` hidden, ``storeToURL`` with
the filter ``writer_pdf_Export`` (what ``soffice --convert-to pdf`` uses for Writer), ``close``.
Only the standard library and ``uno``: it runs outside docgen's environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]  # LibreOffice's; present under system Python

STARTUP_SECONDS = 120.0


def _property(name: str, value: Any) -> Any:
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def _say(answer: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _message(exc: BaseException) -> str:
    text = getattr(exc, "Message", "") or str(exc)
    return f"{type(exc).__name__}: {text}".strip().rstrip(":")


def _start(soffice: str, profile: str, pipe: str) -> tuple[subprocess.Popen[bytes], Any]:
    """Start LibreOffice and return it with its Desktop, once it answers on the pipe."""
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=sys.stderr.fileno(),  # stdout is the protocol's
        stderr=sys.stderr.fileno(),
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until LibreOffice listens
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return office, desktop


def _convert(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (_property("Hidden", True),)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not load it")
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target), (_property("FilterName", "writer_pdf_Export"),)
        )
    finally:
        try:
            document.close(True)
        except Exception:
            document.dispose()


def _stop(office: subprocess.Popen[bytes], desktop: Any) -> None:
    with contextlib.suppress(Exception):  # the bridge is disposed as LibreOffice quits
        desktop.terminate()
    try:
        office.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(os.getpgid(0), signal.SIGKILL)  # this script and LibreOffice


def main() -> int:
    soffice, profile, pipe = sys.argv[1:4]
    try:
        office, desktop = _start(soffice, profile, pipe)
    except Exception as exc:
        _say({"ready": False, "error": _message(exc)})
        return 1
    _say({"ready": True, "pid": office.pid})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            _convert(desktop, request["source"], request["target"])
        except Exception as exc:
            if office.poll() is not None or "disposed" in _message(exc).lower():
                _say({"ok": False, "died": True, "error": _message(exc)})
                return 1
            _say({"ok": False, "error": _message(exc)})
            continue
        _say({"ok": True})
    _stop(office, desktop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
