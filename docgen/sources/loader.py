"""Read project files (YAML or JSON) into plain data, remembering each value's line.

A file holds one project (a mapping), a list of projects, or several YAML documents.
Numbers with a fraction become ``Decimal`` exactly as typed (``162.30`` stays 162.30).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from docgen.errors import InputError

DataPath = tuple[str | int, ...]

SUFFIXES = (".yaml", ".yml", ".json")
MAX_DEPTH = 64
MAX_VALUES = 200_000


class _DecimalConstructor(RoundTripConstructor):
    """Round-trip constructor that reads YAML floats as exact ``Decimal``."""

    def construct_yaml_float(self, node: Any) -> Decimal:  # type: ignore[override]
        text = str(self.construct_scalar(node)).replace("_", "").strip()
        special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
        try:
            return Decimal(special.get(text.lower(), text))
        except InvalidOperation:
            raise ConstructorError(
                None, None, f"{text!r} is not a decimal number", node.start_mark
            ) from None


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
    if name.endswith(".json"):
        pairs = _parse_json(text, name)
    else:
        pairs = [(doc, doc) for doc in _parse_yaml(text, name)]
    projects: list[SourceProject] = []
    flattener = _Flattener(name)
    for document, marks in pairs:
        for data, lines in flattener.split(document, marks):
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
        language = "JSON" if name.endswith(".json") else "YAML"
        raise InputError(
            f"{language} syntax error: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            hint="check indentation and quoting; quote values that start with "
            "= ≥ ≤ > < [ { : # & * ! | % @",
        ) from None
    except YAMLError as exc:
        raise InputError(f"YAML syntax error: {exc}", file=name) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError:  # an integer longer than Python converts
        raise _too_long(name) from None


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_json(text: str, name: str) -> list[tuple[Any, Any]]:
    """Return (data, marks) per document: values from ``json``, lines from a YAML reading."""
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON syntax error: {exc.msg} (column {exc.colno})",
            file=name,
            line=exc.lineno,
            hint="check commas, quotes and brackets near that line",
        ) from None
    except _DuplicateKey as exc:
        _parse_yaml(text, name)  # YAML names the duplicate's line, if it can
        raise InputError(f"duplicate key {exc.args[0]!r}", file=name) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError:
        raise _too_long(name) from None
    # JSON is YAML too: reading it that way gives the line of every value.
    try:
        marks = _yaml().load(text)
    except (YAMLError, RecursionError, ValueError):
        marks = None  # valid JSON that YAML cannot read: no line numbers then
    return [(data, marks)]


def _too_long(name: str) -> InputError:
    return InputError(
        "a number has thousands of digits", file=name, hint="write amounts as plain numbers"
    )


def _too_deep(name: str) -> InputError:
    return InputError(f"nested more than {MAX_DEPTH} levels deep", file=name)


class _Flattener:
    """Turn parsed documents into plain data and a line map, within size limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def split(self, document: Any, marks: Any) -> Iterator[tuple[Any, dict[DataPath, int]]]:
        """Yield (data, lines) per project of one document."""
        if isinstance(document, list):
            for i, item in enumerate(document):
                lines: dict[DataPath, int] = {}
                item_marks = marks[i] if isinstance(marks, list) and i < len(marks) else None
                data = self.plain(item, item_marks, (), lines, set())
                if isinstance(marks, CommentedSeq):
                    lines[()] = marks.lc.item(i)[0] + 1
                yield data, lines
        else:
            lines = {}
            data = self.plain(document, marks, (), lines, set())
            if isinstance(marks, CommentedMap) and marks.lc.line is not None:
                lines.setdefault((), marks.lc.line + 1)
            yield data, lines

    def plain(
        self,
        node: Any,
        marks: Any,
        path: DataPath,
        lines: dict[DataPath, int],
        ancestors: set[int],
    ) -> Any:
        """Return *node* as plain dicts, lists, str, int and Decimal, filling *lines*."""
        self.count += 1
        if self.count > MAX_VALUES:
            raise InputError(
                f"too large: more than {MAX_VALUES:,} values (YAML aliases expanded)",
                file=self.name,
            )
        if len(path) > MAX_DEPTH:
            raise _too_deep(self.name)
        if isinstance(node, (dict, list)):
            if id(node) in ancestors:
                raise InputError(
                    "a YAML alias refers to a value that contains it",
                    file=self.name,
                    line=lines.get(path),
                )
            ancestors = ancestors | {id(node)}
        if isinstance(node, dict):
            result = {}
            for key, value in node.items():
                child = (*path, str(key))
                line = _key_line(marks, key)
                if line is not None:
                    lines[child] = line
                child_marks = marks.get(key) if isinstance(marks, dict) else None
                result[str(key)] = self.plain(value, child_marks, child, lines, ancestors)
            return result
        if isinstance(node, list):
            items = []
            for i, value in enumerate(node):
                child = (*path, i)
                if isinstance(marks, CommentedSeq) and i < len(marks):
                    lines[child] = marks.lc.item(i)[0] + 1
                child_marks = marks[i] if isinstance(marks, list) and i < len(marks) else None
                items.append(self.plain(value, child_marks, child, lines, ancestors))
            return items
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, str):
            return str(node)
        if isinstance(node, int):
            return int(node)
        return node


def _key_line(marks: Any, key: Any) -> int | None:
    """Return the line of *key* in a mapping, or of the mapping (keys merged in with ``<<``)."""
    if not isinstance(marks, CommentedMap):
        return None
    try:
        return int(marks.lc.key(key)[0]) + 1
    except (KeyError, TypeError, AttributeError):
        return int(marks.lc.line) + 1 if marks.lc.line is not None else None
