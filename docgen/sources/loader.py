"""Read project files (YAML or JSON) into plain data, remembering each value's line.

A file holds one project (a mapping), a list of projects, or several YAML documents.
Numbers with a fraction become ``Decimal`` exactly as typed (``162.30`` stays 162.30).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Location
from docgen.i18n import _
from docgen.sources.json_lines import JsonLines, JsonText
from docgen.sources.yaml_events import (
    MAX_DEPTH,
    DataPath,
    Document,
    EventBuilder,
    checked_decimal,
    too_deep,
)

__all__ = [
    "SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "DataPath",
    "SourceProject",
    "load_bytes",
    "load_file",
    "load_text",
]

SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx",)


LineMap = Mapping[DataPath, Location]


@dataclass(frozen=True)
class SourceProject:
    """One project's raw data as read from a file, with the line of every value.

    ``line_map`` gives the line (or cell) of a path; for JSON it is a ``JsonLines``, which
    finds a path's line in the text only when a message asks for it.
    """

    file: str
    index: int
    data: Any
    line_map: LineMap = field(default_factory=dict)

    @property
    def lines(self) -> LineMap:
        """Return the line of every path in this project."""
        return self.line_map

    @property
    def line(self) -> Location | None:
        """Return the line where this project starts."""
        return self.lines.get(())

    def line_of(self, path: DataPath) -> Location | None:
        """Return the line of the deepest part of *path* that the file contains."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def load_file(path: str | Path, name: str | None = None) -> list[SourceProject]:
    """Return the projects in one YAML, JSON or Excel (.xlsx) file.

    *name* is how the projects and every message name the file (default: its path) — the name
    a client uploaded it under, never a server's temporary path. Raises ``InputError`` naming
    the file and line (or cell) when it cannot be read or parsed.
    """
    name = name or str(path)
    return load_bytes(read_file(path, name), name)


def read_file(path: str | Path, name: str) -> bytes:
    """Return the bytes of the project file *path* (``read_input``), a failure as ``InputError``."""
    try:
        return read_input(path, name=name)
    except FileNotFoundError:
        raise InputError(_("no such file"), file=name, hint=_("check the path")) from None
    except IsADirectoryError:
        raise InputError(_("is a folder, not a project file"), file=name) from None
    except PermissionError:
        raise InputError(_("cannot read the file: permission denied"), file=name) from None
    except OSError as exc:
        message = _("cannot read the file: {reason}").format(reason=exc.strerror)
        raise InputError(message, file=name) from None


def load_bytes(data: bytes, name: str) -> list[SourceProject]:
    """Return the projects of a file's bytes: a workbook when *name* ends .xlsx, else YAML
    (or JSON when it ends .json). *name* is how the projects and messages name it."""
    if name.lower().endswith(WORKBOOK_SUFFIXES):
        from docgen.excel.reader import load_workbook_projects  # it imports this module

        return load_workbook_projects(data, name)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            _("not UTF-8 text (byte {position})").format(position=exc.start),
            file=name,
            hint=_("save the file as UTF-8 (Excel's 'CSV UTF-8' or an editor's UTF-8 option)"),
        ) from None
    return load_text(text, name)


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The largest project file docgen reads (about 10,000 projects of realistic length)."""


def read_input(path: str | Path, name: str | None = None) -> bytes:
    """Return the bytes of the regular file *path*, at most ``MAX_INPUT_BYTES`` of them.

    Anything else is refused before a byte is read: a pipe (reading it would wait for a
    writer forever), a device (``/dev/zero`` never ends), a socket; a link is followed to what
    it names. *name* is how messages name the file (default: its path).
    """
    name = name or str(path)
    # O_NONBLOCK: opening a pipe without a writer returns at once instead of waiting.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(name)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                _("not a regular file (a pipe, a device or a socket)"),
                file=name,
                hint=_("name a saved .yaml, .json or .xlsx file"),
            )
        if info.st_size > MAX_INPUT_BYTES:
            raise _too_large(name)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:  # grew while being read
            raise _too_large(name)
        return data
    finally:
        os.close(fd)


def _too_large(name: str) -> InputError:
    return InputError(
        _("larger than {size} MB").format(size=MAX_INPUT_BYTES // (1024 * 1024)),
        file=name,
        hint=_("split the projects into several files (docgen batch reads folders)"),
    )


def load_text(text: str, name: str = "<input>") -> list[SourceProject]:
    """Return the projects in YAML or JSON *text*; *name* is used in messages."""
    if name.endswith(".json"):
        return _json_projects(text, name)
    projects: list[SourceProject] = []
    for document in EventBuilder(name).documents(text):
        for data, lines in _split(document):
            projects.append(SourceProject(name, len(projects), data, lines))
    if not projects:
        raise InputError(
            _("holds no project"), file=name, hint=_("write one project's keys (年度, 项目名称, …)")
        )
    return projects


def _split(document: Document) -> Iterator[tuple[Any, dict[DataPath, int]]]:
    """Yield (data, lines) per project: the items of a list, or the document itself."""
    if not isinstance(document.value, list):
        yield document.value, document.lines
        return
    per_item: dict[int, dict[DataPath, int]] = {}
    for path, line in document.lines.items():
        if path and isinstance(path[0], int):
            per_item.setdefault(path[0], {})[path[1:]] = line
    for i, item in enumerate(document.value):
        yield item, per_item.get(i, {})


def _json_projects(text: str, name: str) -> list[SourceProject]:
    """Return the projects of JSON *text*: values from ``json``, lines only when needed."""
    value = _parse_json(text, name)
    if _deeper_than(value, MAX_DEPTH):
        raise _located_too_deep(text, name)
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InputError(_("holds no project"), file=name)

    if isinstance(value, list):
        walked = JsonText(text)  # shared: the items are walked to once in all
        return [
            SourceProject(name, i, item, JsonLines(walked, (i,))) for i, item in enumerate(items)
        ]
    return [SourceProject(name, 0, value, JsonLines(text))]


def _deeper_than(value: Any, limit: int) -> bool:
    """Return whether *value* nests more than *limit* lists and mappings.

    ``json`` bounds nesting only by the interpreter's recursion limit, which Python 3.12 and
    later no longer apply to its C parser: the limit is checked here, without recursion.
    """
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _located_too_deep(text: str, name: str) -> InputError:
    """Return the error for JSON nested too deep, with its line where YAML can find it."""
    try:
        EventBuilder(name).documents(text)
    except InputError as exc:
        if exc.line is not None and exc.message == too_deep(name).message:
            return exc
    return too_deep(name)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_json(text: str, name: str) -> Any:
    """Return the data of JSON *text*: exact decimals, duplicate keys refused."""
    try:
        return json.loads(text, parse_float=checked_decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("JSON syntax error: {problem} (column {column})").format(
                problem=exc.msg, column=exc.colno
            ),
            file=name,
            line=exc.lineno,
            hint=_("check commas, quotes and brackets near that line"),
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            _('duplicate key "{key}"').format(key=exc.args[0]),
            file=name,
            line=_duplicate_line(text, exc.args[0]),
        ) from None
    except RecursionError:
        raise too_deep(name) from None
    except ValueError:
        raise _too_long(name) from None


def _duplicate_line(text: str, key: str) -> Location | None:
    """Return the line of the second occurrence of *key* within one JSON object."""
    try:
        EventBuilder("").documents(text)
    except InputError as exc:
        return exc.line if key in exc.message else None
    return None


def _too_long(name: str) -> InputError:
    return InputError(
        _("a number is too long, too large or too small"),
        file=name,
        hint=_("write amounts as plain numbers"),
    )
