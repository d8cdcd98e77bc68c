"""Read project files (YAML or JSON) into plain data, remembering each value's line.

A file holds one project (a mapping), a list of projects, or several YAML documents.
Numbers with a fraction become ``Decimal`` exactly as typed (``162.30`` stays 162.30).

YAML is parsed by libyaml (PyYAML's C parser) into nodes that carry their line; docgen builds
the data from the nodes itself, with YAML 1.2 core-schema scalars: ``yes``, ``on``, ``010`` and
``1:30`` are text or decimal numbers, never the surprises of YAML 1.1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from docgen.errors import InputError

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    class _Composer(_Parser, BaseResolver):
        """libyaml parser and composer; no implicit tags (docgen resolves scalars)."""

        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            BaseResolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Composer(Reader, Scanner, Parser, Composer, BaseResolver):  # type: ignore[no-redef]
        """Pure-Python parser and composer; no implicit tags."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            BaseResolver.__init__(self)


DataPath = tuple[str | int, ...]

SUFFIXES = (".yaml", ".yml", ".json")
MAX_DEPTH = 64
MAX_VALUES = 200_000

# YAML 1.2 core schema, for plain (unquoted) scalars.
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_INT_BASED = re.compile(r"0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
_STR_TAG = "tag:yaml.org,2002:str"
_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
         "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:null",
         "tag:yaml.org,2002:bool"}  # fmt: skip


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
    builder = _Builder(name)
    if name.endswith(".json"):
        data = _parse_json(text, name)
        nodes = _compose(text, name, quiet=True)
        pairs = [(data, nodes[0] if len(nodes) == 1 else None)]
    else:
        pairs = [(None, node) for node in _compose(text, name)]
    projects: list[SourceProject] = []
    for data, node in pairs:
        for item, lines in builder.split(data, node):
            projects.append(SourceProject(name, len(projects), item, lines))
    if not projects:
        raise InputError(
            "holds no project", file=name, hint="write one project's keys (年度, 项目名称, …)"
        )
    return projects


def _compose(text: str, name: str, quiet: bool = False) -> list[Node]:
    """Return the documents of *text* as YAML nodes (``quiet``: [] instead of errors)."""
    try:
        loader = _Composer(text)
        try:
            nodes = []
            while loader.check_node():
                node = loader.get_node()
                if node is not None:
                    nodes.append(node)
            return nodes
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if quiet:
            return []
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise InputError(
            f"YAML syntax error: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            hint="check indentation and quoting; quote values that start with "
            "= ≥ ≤ > < [ { : # & * ! | % @",
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        if quiet:
            return []
        if isinstance(exc, RecursionError):
            raise _too_deep(name) from None
        raise InputError(f"YAML syntax error: {exc}", file=name) from None


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
        return json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON syntax error: {exc.msg} (column {exc.colno})",
            file=name,
            line=exc.lineno,
            hint="check commas, quotes and brackets near that line",
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            f'duplicate key "{exc.args[0]}"', file=name, line=_duplicate_line(text, exc.args[0])
        ) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError:
        raise _too_long(name) from None


def _duplicate_line(text: str, key: str) -> int | None:
    """Return the line of the second occurrence of *key* within one JSON object."""
    try:
        (node,) = _compose(text, "", quiet=True)
        _Builder("").build(node, (), {}, set())
    except InputError as exc:
        return exc.line
    except ValueError:
        return None
    return None


def _too_long(name: str) -> InputError:
    return InputError(
        "a number has thousands of digits", file=name, hint="write amounts as plain numbers"
    )


def _too_deep(name: str) -> InputError:
    return InputError(f"nested more than {MAX_DEPTH} levels deep", file=name)


class _Builder:
    """Build plain data and a line map from YAML nodes, within size limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def split(self, data: Any, node: Node | None) -> Iterator[tuple[Any, dict[DataPath, int]]]:
        """Yield (data, lines) per project of one document.

        *data* is the document's value when it was read otherwise (JSON); the node then only
        supplies lines.  Without *data*, the node supplies both.
        """
        lines: dict[DataPath, int] = {}
        built = self.build(node, (), lines, set()) if node is not None else None
        value = built if data is None else data
        if isinstance(value, list):
            for i, item in enumerate(value):
                item_lines = {path[1:]: line for path, line in lines.items() if path[:1] == (i,)}
                yield item, item_lines
        else:
            yield value, lines

    def build(
        self, node: Node, path: DataPath, lines: dict[DataPath, int], ancestors: set[int]
    ) -> Any:
        """Return the value of *node* as plain dicts, lists, str, int and Decimal."""
        self.count += 1
        if self.count > MAX_VALUES:
            raise InputError(
                f"too large: more than {MAX_VALUES:,} values (YAML aliases expanded)",
                file=self.name,
            )
        if len(path) > MAX_DEPTH:
            raise _too_deep(self.name)
        lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _TAGS:
            raise self._error(node, f"YAML tag {node.tag} is not supported; remove it")
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in ancestors:
            raise self._error(node, "a YAML alias refers to a value that contains it")
        ancestors = ancestors | {id(node)}
        if isinstance(node, SequenceNode):
            return [
                self.build(item, (*path, i), lines, ancestors) for i, item in enumerate(node.value)
            ]
        assert isinstance(node, MappingNode)
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self._error(key_node, "a key must be plain text, not a list or mapping")
            key = key_node.value
            if key == "<<" and not key_node.style:
                merged.update(self._merge(value_node, path, ancestors))
                continue
            if key in result:
                raise self._error(key_node, f'duplicate key "{key}"')
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key), lines, ancestors)
        for key, value in merged.items():
            if key not in result:
                lines.setdefault((*path, key), node.start_mark.line + 1)
                result[key] = value
        return result

    def _merge(self, node: Node, path: DataPath, ancestors: set[int]) -> dict[str, Any]:
        """Return the keys that ``<<: *anchor`` (or a list of anchors) merges in."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, MappingNode):
                raise self._error(source, "<< must refer to a mapping")
            value = self.build(source, path, {}, ancestors)
            merged.update(value)
        return merged

    def _scalar(self, node: ScalarNode) -> Any:
        """Return a scalar's value: quoted and block text as is, plain text by YAML 1.2."""
        text: str = node.value
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "str":
            return text if node.style else self._plain(node, text)  # plain style: None or ""
        value = self._plain(node, text)  # an explicit tag: !!int, !!float, !!bool, !!null
        wanted: dict[str, type | tuple[type, ...]] = {
            "int": int,
            "float": (int, Decimal),
            "bool": bool,
            "null": type(None),
        }
        if not isinstance(value, wanted[kind]) or (kind != "bool" and isinstance(value, bool)):
            raise self._error(node, f"{text!r} is not a {kind}")
        return Decimal(value) if kind == "float" and isinstance(value, int) else value

    def _plain(self, node: ScalarNode, text: str) -> Any:
        if _NULL.fullmatch(text):
            return None
        if _TRUE.fullmatch(text):
            return True
        if _FALSE.fullmatch(text):
            return False
        try:
            if _INT.fullmatch(text):
                return int(text)
            if _INT_BASED.fullmatch(text):
                return int(text, 0)
            if _FLOAT.fullmatch(text) or text.lower() in _SPECIAL:
                return Decimal(_SPECIAL.get(text.lower(), text))
        except ValueError:  # an integer longer than Python converts
            raise self._error(node, "a number has thousands of digits") from None
        return text

    def _error(self, node: Node, message: str) -> InputError:
        return InputError(message, file=self.name, line=node.start_mark.line + 1)
