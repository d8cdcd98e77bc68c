"""Read project files (YAML or JSON) into plain data, remembering each value's line.

A file holds one project (a mapping), a list of projects, or several YAML documents.
Numbers with a fraction become ``Decimal`` exactly as typed (``162.30`` stays 162.30).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from docgen.errors import InputError

DataPath = tuple[str | int, ...]

SUFFIXES = (".yaml", ".yml", ".json")


class _DecimalConstructor(RoundTripConstructor):
    """Round-trip constructor that reads YAML floats as exact ``Decimal``."""

    def construct_yaml_float(self, node: Any) -> Decimal:  # type: ignore[override]
        text = str(self.construct_scalar(node)).replace("_", "").strip()
        special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
        return Decimal(special.get(text.lower(), text))


_DecimalConstructor.add_constructor(
    "tag:yaml.org,2002:float", _DecimalConstructor.construct_yaml_float
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DecimalConstructor
    yaml.allow_duplicate_keys = False
    return yaml


@dataclass(frozen=True)
class SourceProject:
    """One project's raw data as read from a file, with the line of every value."""

    file: str
    index: int
    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict)

    @property
    def line(self) -> int | None:
        """Return the line where this project starts."""
        return self.lines.get(())

    def line_of(self, path: DataPath) -> int | None:
        """Return the line of the deepest part of *path* that the file contains."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def load_file(path: str | Path) -> list[SourceProject]:
    """Return the projects in one YAML or JSON file.

    Raises ``InputError`` naming the file and line when it cannot be read or parsed.
    """
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=name, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a project file", file=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start})",
            file=name,
            hint="save the file as UTF-8 (Excel's 'CSV UTF-8' or an editor's UTF-8 option)",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    return load_text(text, name)


def load_text(text: str, name: str = "<input>") -> list[SourceProject]:
    """Return the projects in YAML or JSON *text*; *name* is used in messages."""
    documents = _parse_json(text, name) if name.endswith(".json") else _parse_yaml(text, name)
    projects: list[SourceProject] = []
    for document in documents:
        for data, lines in _split_projects(document):
            projects.append(SourceProject(name, len(projects), data, lines))
    if not projects:
        raise InputError(
            "holds no project", file=name, hint="write one project's keys (年度, 项目名称, …)"
        )
    return projects


def _parse_yaml(text: str, name: str) -> list[Any]:
    try:
        return [doc for doc in _yaml().load_all(text) if doc is not None]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise InputError(
            f"YAML syntax error: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            hint="check indentation and quoting; quote values that start with "
            "= ≥ ≤ > < [ { : # & * ! | % @",
        ) from None
    except YAMLError as exc:
        raise InputError(f"YAML syntax error: {exc}", file=name) from None


def _parse_json(text: str, name: str) -> list[Any]:
    try:
        json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON syntax error: {exc.msg} (column {exc.colno})",
            file=name,
            line=exc.lineno,
            hint="check commas, quotes and brackets near that line",
        ) from None
    # JSON is YAML too: reading it that way keeps the line of every value.
    try:
        return [doc for doc in _yaml().load_all(text) if doc is not None]
    except YAMLError:  # valid JSON that YAML reads differently: no line numbers then
        return [json.loads(text, parse_float=Decimal)]


def _split_projects(document: Any) -> Iterator[tuple[Any, dict[DataPath, int]]]:
    if isinstance(document, list):
        for i, item in enumerate(document):
            lines: dict[DataPath, int] = {}
            data = _plain(item, (), lines)
            if isinstance(document, CommentedSeq):
                lines[()] = document.lc.item(i)[0] + 1
            yield data, lines
    else:
        lines = {}
        data = _plain(document, (), lines)
        if isinstance(document, CommentedMap) and document.lc.line is not None:
            lines.setdefault((), document.lc.line + 1)
        yield data, lines


def _plain(node: Any, path: DataPath, lines: dict[DataPath, int]) -> Any:
    """Return *node* as plain dicts, lists, str, int and Decimal, filling *lines*."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            child = (*path, str(key))
            if isinstance(node, CommentedMap):
                lines[child] = node.lc.key(key)[0] + 1
            result[str(key)] = _plain(value, child, lines)
        return result
    if isinstance(node, list):
        items = []
        for i, value in enumerate(node):
            child = (*path, i)
            if isinstance(node, CommentedSeq):
                lines[child] = node.lc.item(i)[0] + 1
            items.append(_plain(value, child, lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    return node
