"""Build plain data and a line map from YAML parser events, one pass, no recursion.

libyaml's parser (PyYAML's C extension) produces events; this module builds dicts, lists,
str, int, bool, None and ``Decimal`` from them with an explicit stack, so nesting depth, the
number of values (YAML aliases expanded) and self-referring aliases are checked before they
can exhaust the stack or the memory.  Scalars follow the YAML 1.2 core schema: ``yes``, ``on``,
``010`` and ``1:30`` are text or decimal numbers, never YAML 1.1's surprises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from yaml import events

from docgen.errors import InputError
from docgen.i18n import _

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import Loader as _Parser  # type: ignore[assignment]

DataPath = tuple[str | int, ...]

_SCALAR, _ALIAS = events.ScalarEvent, events.AliasEvent
_DOCUMENT_START, _DOCUMENT_END = events.DocumentStartEvent, events.DocumentEndEvent
_SEQUENCE_START, _SEQUENCE_END = events.SequenceStartEvent, events.SequenceEndEvent
_MAPPING_START, _MAPPING_END = events.MappingStartEvent, events.MappingEndEvent

MAX_DEPTH = 64
MAX_VALUES = 200_000
MAX_EXPONENT = 100
"""No figure on these forms is beyond 10¹⁰⁰ or below 10⁻¹⁰⁰; such a number is refused as read
(``1e999999999`` would otherwise make whole-number conversions run for hours)."""


def checked_decimal(text: str) -> Decimal:
    """Return *text* as a Decimal; raise ``ValueError`` beyond ±``MAX_EXPONENT`` magnitude."""
    value = Decimal(text)
    if value.is_finite() and value and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError(_("{text} is too large or too small a number").format(text=repr(text)))
    return value


# The YAML 1.2 core schema, for plain (unquoted) scalars.
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_INT_BASED = re.compile(r"0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# Only a plain scalar starting with one of these can be anything but text.
_SPECIAL_STARTS = frozenset("~nNtTfF0123456789+-.")
_SPECIAL = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
_CORE = "tag:yaml.org,2002:"
_KINDS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, Decimal),
    "bool": bool,
    "null": type(None),
}


@dataclass
class Document:
    """One YAML document: its value and the line of every path in it."""

    value: Any
    lines: dict[DataPath, int]


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    path: DataPath
    anchor: str | None
    is_map: bool = False
    size: int = 1
    key: str | None = None
    key_line: int = 0
    merges: list[Any] = field(default_factory=list)


def _line(event: Any) -> int:
    """Return the 1-based line where *event* starts."""
    return int(event.start_mark.line) + 1


class EventBuilder:
    """Turn the YAML text of one file into documents, within limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def documents(self, text: str) -> list[Document]:
        """Return every non-empty document of *text*; raise ``InputError`` on bad YAML."""
        parser = _Parser(text)
        try:
            return self._run(parser)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            if "nesting depth" in problem:  # libyaml's own depth limit, stricter in some releases
                raise too_deep(self.name, line) from None
            raise InputError(
                _("YAML syntax error: {problem}").format(problem=problem),
                file=self.name,
                line=line,
                hint=_(
                    "check indentation and quoting; quote values that start with "
                    "= ≥ ≤ > < [ { : # & * ! | % @"
                ),
            ) from None
        except yaml.YAMLError as exc:
            message = _("YAML syntax error: {problem}").format(problem=exc)
            raise InputError(message, file=self.name) from None
        finally:
            parser.dispose()

    def _run(self, parser: Any) -> list[Document]:
        found: list[Document] = []
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int] | None] = {}
        lines: dict[DataPath, int] = {}
        root: list[Any] = []
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is _SCALAR:
                top = stack[-1] if stack else None
                if top is not None and top.is_map:
                    if top.key is None:
                        self._key(top, event.value, event)
                        continue
                    if event.anchor is None and event.tag is None:  # the common case, inline
                        text = event.value
                        if not event.style and (not text or text[0] in _SPECIAL_STARTS):
                            text = self._plain(event, text)
                        self.count += 1
                        if self.count > MAX_VALUES:
                            self._count(0)
                        key, top.key = top.key, None
                        top.size += 1
                        if key == "<<":
                            top.merges.append(text)
                        else:
                            where_key = (*top.path, key)  # mypy misreads d[(*a, b)] for 3.10
                            lines[where_key] = top.key_line
                            top.value[key] = text  # type: ignore[call-overload]
                        continue
                value = self._scalar(event)
                self._anchor(anchors, event.anchor, value, 1)
                self._add(stack, root, lines, value, 1, event)
            elif kind is _DOCUMENT_START:
                anchors, lines, root = {}, {}, []
            elif kind is _DOCUMENT_END:
                if root and root[0] is not None:
                    found.append(Document(root[0], lines))
            elif kind is _ALIAS:
                if event.anchor not in anchors:
                    raise self._error(event, _("unknown alias *{name}").format(name=event.anchor))
                target = anchors[event.anchor]
                if target is None:
                    raise self._error(event, _("a YAML alias refers to a value that contains it"))
                value, size = target
                self._count(size)
                if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                    raise self._error(event, _("a key must be plain text, not an alias"))
                self._add(stack, root, lines, value, size, event)
            elif kind is _SEQUENCE_START or kind is _MAPPING_START:
                is_list = kind is _SEQUENCE_START
                self._check_tag(event, "seq" if is_list else "map")
                if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                    raise self._error(event, _("a key must be plain text, not a list or mapping"))
                if len(stack) >= MAX_DEPTH:
                    raise too_deep(self.name, _line(event))
                self._count(1)
                path = self._child_path(stack)
                lines.setdefault(path, _line(event))
                if event.anchor is not None:
                    anchors[event.anchor] = None  # in progress: an alias to it now is a cycle
                container: dict[str, Any] | list[Any] = [] if is_list else {}
                stack.append(_Frame(container, path, event.anchor, is_map=not is_list))
            elif kind is _SEQUENCE_END or kind is _MAPPING_END:
                frame = stack.pop()
                if isinstance(frame.value, dict):
                    self._merge(frame, lines)
                self._anchor(anchors, frame.anchor, frame.value, frame.size)
                self._add(stack, root, lines, frame.value, frame.size, event, placed=True)
        return found

    def _child_path(self, stack: list[_Frame]) -> DataPath:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        return (*top.path, top.key or "")

    def _key(self, frame: _Frame, key: str, event: Any) -> None:
        if key in frame.value and not (key == "<<" and not event.style):
            raise self._error(event, _('duplicate key "{key}"').format(key=key))
        frame.key = key
        frame.key_line = _line(event)

    def _add(
        self,
        stack: list[_Frame],
        root: list[Any],
        lines: dict[DataPath, int],
        value: Any,
        size: int,
        event: Any,
        placed: bool = False,
    ) -> None:
        """Put a finished value into its parent (``placed``: its line is already recorded)."""
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.value, list):
            if not placed:
                where_key = (*top.path, len(top.value))  # mypy misreads d[(*a, b)] for 3.10
                lines[where_key] = _line(event)
            top.value.append(value)
            return
        key = top.key
        assert key is not None
        top.key = None
        if key == "<<":
            top.merges.append(value)
            return
        where_key = (*top.path, key)  # mypy misreads d[(*a, b)] for 3.10
        lines[where_key] = top.key_line
        top.value[key] = value

    def _merge(self, frame: _Frame, lines: dict[DataPath, int]) -> None:
        """Add the keys of ``<<: *anchor`` (or a list of anchors) that the mapping lacks."""
        assert isinstance(frame.value, dict)
        for merged in frame.merges:
            sources = merged if isinstance(merged, list) else [merged]
            for source in sources:
                if not isinstance(source, dict):
                    raise InputError(_("<< must refer to a mapping"), file=self.name)
                for key, value in source.items():
                    if key not in frame.value:
                        frame.value[key] = value
                        lines.setdefault((*frame.path, key), lines.get(frame.path, 0))

    def _anchor(
        self, anchors: dict[str, tuple[Any, int] | None], name: str | None, value: Any, size: int
    ) -> None:
        if name is not None:
            anchors[name] = (value, size)

    def _count(self, size: int) -> None:
        self.count += size
        if self.count > MAX_VALUES:
            raise InputError(
                _("too large: more than {count} values (YAML aliases expanded)").format(
                    count=f"{MAX_VALUES:,}"
                ),
                file=self.name,
            )

    def _check_tag(self, event: Any, kind: str) -> None:
        tag = event.tag
        if tag not in (None, "!", _CORE + kind):
            raise self._error(
                event, _("YAML tag {tag} is not supported; remove it").format(tag=tag)
            )

    def _scalar(self, event: Any) -> Any:
        """Return a scalar's value: quoted and block text as is, plain text by YAML 1.2."""
        self._count(1)
        text: str = event.value
        tag = event.tag
        if tag in (None, "!"):
            return self._plain(event, text) if not event.style else text
        kind = tag[len(_CORE) :] if tag.startswith(_CORE) else ""
        if kind not in _KINDS:
            raise self._error(
                event, _("YAML tag {tag} is not supported; remove it").format(tag=tag)
            )
        if kind == "str":
            return text
        value = self._plain(event, text)
        if not isinstance(value, _KINDS[kind]) or (kind != "bool" and isinstance(value, bool)):
            raise self._error(event, _("{text} is not a {kind}").format(text=repr(text), kind=kind))
        return Decimal(value) if kind == "float" and isinstance(value, int) else value

    def _plain(self, event: Any, text: str) -> Any:
        if text and text[0] not in _SPECIAL_STARTS:
            return text  # a word: not a number, bool or null
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
        except ValueError:  # an integer longer than Python converts
            raise self._error(event, _("a number has thousands of digits")) from None
        if _FLOAT.fullmatch(text) or text.lower() in _SPECIAL:
            try:
                return checked_decimal(_SPECIAL.get(text.lower(), text))
            except ValueError:
                message = _("{text} is too large or too small a number").format(text=repr(text))
                raise self._error(event, message) from None
        return text

    def _error(self, event: Any, message: str) -> InputError:
        return InputError(message, file=self.name, line=_line(event))


def too_deep(name: str, line: int | None = None) -> InputError:
    """Return the error for a document nested deeper than docgen (or libyaml) allows."""
    return InputError(
        _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
        file=name,
        line=line,
        hint=_("a project file needs a few levels; write lists and mappings flatter"),
    )
