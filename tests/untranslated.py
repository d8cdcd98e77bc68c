"""Find user-facing English that does not go through the catalog.

    .venv/bin/python tests/untranslated.py docgen/pdf.py docgen/render/   # one line a finding

A message escapes the catalog when a literal text (``"…"``, ``f"…"``) with English words is
given straight to what shows it to a user: an error or problem class (``…Error``, ``…Problem``,
``Finding``, ``BadParameter``), a warning or an echo, or a ``help=``/``hint=``/``detail=``/
``title=``/``message=`` argument. ``_("…")`` and ``N_("…")`` are what it looks for instead.
Option names (``"--pdf"``) and the exceptions that only ever mean a bug in docgen
(``AssertionError``, ``RuntimeError`` inside the LibreOffice bridge) are not messages.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ENGLISH = re.compile(r"[A-Za-z]{3,}")
SHOWN = re.compile(
    r"(Error|Problem|Finding|Warning|Exception|Exit)$"
    r"|^(warn|warning|echo|secho|fail|problem|finding|BadParameter|UsageError|Option|Argument"
    r"|say|tell|progress)$"
)
SHOWN_KEYWORDS = {"help", "hint", "detail", "title", "message", "what", "why"}
NOT_MESSAGES = {"AssertionError", "NotImplementedError"}


def _called(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ""


def _text(node: ast.expr) -> str | None:
    """Return the literal part of *node* when it is a text written in the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_text(node.left), _text(node.right)]
        return "".join(p for p in parts if p) if any(parts) else None
    return None


def untranslated(path: Path) -> Iterator[tuple[int, str, str]]:
    """Yield (line, called, text) for each literal message of *path* not through the catalog."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _called(node.func)
        if called in NOT_MESSAGES:
            continue
        given = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        if SHOWN.search(called):
            given += node.args
        for argument in given:
            text = _text(argument)
            if text and ENGLISH.search(text) and not text.startswith("-"):
                yield node.lineno, called, text


def main(arguments: list[str]) -> int:
    paths = [
        p for a in arguments for p in ([Path(a)] if a.endswith(".py") else Path(a).rglob("*.py"))
    ]
    found = 0
    for path in sorted(paths):
        for line, called, text in untranslated(path):
            print(f"{path}:{line}: {called}: {text[:100]!r}")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["docgen"]))
