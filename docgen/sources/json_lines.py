"""The line of a value in JSON text, found when a message asks for it.

``json`` gives values without positions.  Reading the whole text again (as YAML, which JSON is)
to learn every value's line cost as much as reading a YAML file, for every JSON file with a
single warning.  ``JsonLines`` finds the one path asked for instead: it walks down the text
along the path, stepping over the values before it with ``json``'s own decoder, and gives the
line YAML would: a key's line for a key, an item's first line for an item of a list.

What one walk learns is kept for the next (``JsonText``): where each path starts, how far
into each list the walks have come, and the line of each place found.  The projects of a
file of 10,000 are walked to once in all, not once each.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping

from docgen.sources.yaml_events import DataPath

_SPACE = re.compile(r"[ \t\n\r]*")
_STRINGS = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
"""Steps over a value: numbers stay text (never converted, whatever their length)."""


class _Absent(Exception):
    """The path is not in the text."""


class JsonText:
    """One JSON file's text, and what walks through it have learned so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[DataPath, tuple[int, int]] = {}
        """Path → where its line is read (its key, or the item) and where its value starts."""
        self._reach: dict[DataPath, tuple[int, int]] = {}
        """List path → the furthest item walked to so far: (its index, where it starts)."""
        self._offsets: list[int] = [0]
        self._lines: list[int] = [1]

    def line(self, path: DataPath) -> int | None:
        """Return the 1-based line of *path*, or ``None`` when the text does not hold it."""
        try:
            where, _value = self._start(path)
        except (ValueError, IndexError, _Absent):
            return None
        return self._line_at(where)

    def _line_at(self, offset: int) -> int:
        """Return the line of *offset*, counting from the nearest place counted before."""
        place = bisect.bisect_right(self._offsets, offset) - 1
        line = self._lines[place] + self.text.count("\n", self._offsets[place], offset)
        self._offsets.insert(place + 1, offset)
        self._lines.insert(place + 1, line)
        return line

    def _start(self, path: DataPath) -> tuple[int, int]:
        found = self._starts.get(path)
        if found is not None:
            return found
        if not path:
            at = self._space(0)
            found = at, at
        else:
            _where, at = self._start(path[:-1])
            step = path[-1]
            if isinstance(step, int):
                item = self._item(path[:-1], at, step)
                found = item, item
            else:
                found = self._entry(at, step)
        self._starts[path] = found
        return found

    def _item(self, parent: DataPath, at: int, index: int) -> int:
        """Return where item *index* of the list *parent*, which starts at *at*, starts."""
        text = self.text
        if text[at] != "[":
            raise _Absent
        first = self._space(at + 1)
        reached, at = self._reach.get(parent, (0, first))
        if reached > index:  # stepped over before, not asked for then: from the first item
            reached, at = 0, first
        while reached < index:
            if text[at] == "]":
                raise _Absent
            at = self._after(at)
            if text[at] != ",":
                raise _Absent
            reached, at = reached + 1, self._space(at + 1)
            if reached > self._reach.get(parent, (0, 0))[0]:
                self._reach[parent] = reached, at
        if text[at] == "]":
            raise _Absent
        return at

    def _entry(self, at: int, key: str) -> tuple[int, int]:
        """Return where *key* of the object at *at* starts, and where its value starts."""
        text = self.text
        if text[at] != "{":
            raise _Absent
        at = self._space(at + 1)
        while text[at] != "}":
            name, after = _STRINGS.raw_decode(text, at)
            value = self._space(self._space(after) + 1)  # after the colon
            if name == key:
                return at, value
            at = self._after(value)
            if text[at] == ",":
                at = self._space(at + 1)
        raise _Absent

    def _after(self, at: int) -> int:
        """Return where the text goes on after the value at *at* (spaces skipped)."""
        _value, end = _STRINGS.raw_decode(self.text, at)
        return self._space(end)

    def _space(self, at: int) -> int:
        return _SPACE.match(self.text, at).end()  # type: ignore[union-attr]


class JsonLines(Mapping[DataPath, int]):
    """The lines of one project of a JSON file, by path, found when first asked for.

    *prefix* is where the project sits in the file: ``(3,)`` for the fourth item of a list
    of projects, ``()`` for a file that is one project.  Iterating gives the paths found so far.
    """

    def __init__(self, text: JsonText | str, prefix: DataPath = ()) -> None:
        self._text = JsonText(text) if isinstance(text, str) else text
        self._prefix = prefix
        self._found: dict[DataPath, int | None] = {}

    def __getitem__(self, path: DataPath) -> int:
        if path not in self._found:
            self._found[path] = self._text.line((*self._prefix, *path))
        line = self._found[path]
        if line is None:
            raise KeyError(path)
        return line

    def __contains__(self, path: object) -> bool:
        try:
            self[path]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[DataPath]:
        return (path for path, line in self._found.items() if line is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


__all__ = ["JsonLines", "JsonText"]
