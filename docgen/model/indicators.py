"""The two input shapes of 绩效指标: flat rows, or rows nested by 一级 → 二级 group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Path = tuple[str | int, ...]

LEVEL1 = ("一级指标", "level1")
LEVEL2 = ("二级指标", "level2")


def flatten_indicators(value: Any) -> list[tuple[Any, Path]]:
    """Return the indicator rows of *value* with each row's path inside 绩效指标.

    A list is already flat: row *i* comes from path ``(i,)``.  A mapping nests rows as
    ``{一级指标: {二级指标: [rows]}}``; each row gets its group names filled in and comes from
    path ``(一级, 二级, i)``.  Anything else is returned as one opaque row so that
    validation reports its type at the field itself.
    """
    if isinstance(value, list):
        return [(row, (i,)) for i, row in enumerate(value)]
    if not isinstance(value, Mapping):
        return [(value, ())]
    rows: list[tuple[Any, Path]] = []
    for level1, groups in value.items():
        if not isinstance(groups, Mapping):
            rows.append((groups, (level1,)))
            continue
        for level2, items in groups.items():
            if not isinstance(items, list):
                rows.append((items, (level1, level2)))
                continue
            for i, row in enumerate(items):
                rows.append((_with_groups(row, level1, level2), (level1, level2, i)))
    return rows


def _with_groups(row: Any, level1: Any, level2: Any) -> Any:
    if not isinstance(row, Mapping):
        return row
    filled = dict(row)
    for keys, group in ((LEVEL1, level1), (LEVEL2, level2)):
        if not any(key in filled for key in keys):
            filled[keys[0]] = group
    return filled
