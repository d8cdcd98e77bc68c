"""Turn raw project data into a ``Project``, or into findings that say where and what."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen.errors import Finding, Severity
from docgen.i18n import _
from docgen.model.base import inner_model
from docgen.model.indicators import flatten_indicators
from docgen.model.project import FIELD_LABELS, Indicator, Project, scoring_names
from docgen.sources.loader import DataPath, SourceProject

KNOWN_KEYS = sorted({*FIELD_LABELS.values(), *FIELD_LABELS})


def to_project(source: SourceProject) -> tuple[Project | None, list[Finding]]:
    """Return the validated project of *source*, or ``None`` and its located findings."""
    if not isinstance(source.data, Mapping):
        finding = Finding(
            Severity.ERROR,
            (),
            _("a project must be a mapping of keys (年度, 项目名称, …), not {what}").format(
                what=_kind(source.data)
            ),
        )
        return None, [finding.located(source.file, source.line)]
    try:
        return Project.model_validate(source.data), []
    except ValidationError as exc:
        return None, [_finding(source, error) for error in exc.errors(include_url=False)]


def _finding(source: SourceProject, error: ErrorDetails) -> Finding:
    in_file = raw_path(source.data, tuple(error["loc"]))
    display = label_path(in_file)
    last = str(label_path(tuple(error["loc"]))[-1]) if error["loc"] else ""
    finding = Finding(Severity.ERROR, display, _message(error, last))
    return finding.located(source.file, source.line_of(in_file))


def raw_path(
    data: Any, loc: tuple[int | str, ...], model: type[BaseModel] | None = Project
) -> DataPath:
    """Return the path inside the file of a model location (nested 绩效指标 unfolded).

    *loc* may use English names or the form's labels; the result uses the file's own keys.
    Names are looked up in the model at each level, since one English name can stand for
    different labels in different places (``actual`` is 实际完成情况 in 年度总体目标 and
    实际完成值 in an indicator).
    """
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, Mapping):
            key, model = _key_in(node, part, model)
            if key is None:
                return (*path, *loc[i:])
            path.append(key)
            node = node[key]
            if key in ("绩效指标", "indicators") and isinstance(node, Mapping):
                rows = flatten_indicators(node)
                index = loc[i + 1] if i + 1 < len(loc) else None
                if isinstance(index, int) and index < len(rows):
                    row, origin = rows[index]
                    return (*path, *origin, *raw_path(row, loc[i + 2 :], Indicator))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        else:
            return (*path, *loc[i:])
    return tuple(path)


def _key_in(
    node: Mapping[str, Any], part: int | str, model: type[BaseModel] | None
) -> tuple[str | None, type[BaseModel] | None]:
    """Return the key of *node* that stands for field *part* of *model*, and its model."""
    fields = model.model_fields.items() if model is not None else ()
    match = next(((n, f) for n, f in fields if part in (n, f.alias)), None)
    if match is None:
        return (str(part), None) if part in node else (None, None)
    name, field = match
    for key in (part, name, field.alias):
        if key is not None and key in node:
            return str(key), inner_model(field.annotation)
    return None, None


def label_path(path: DataPath) -> DataPath:
    """Return *path* with each field named by the form's label, following the models.

    English names become labels (``funds.current`` → ``项目资金.当年财政拨款``); group keys of
    nested indicators and unknown keys stay as they are.
    """
    model: type[BaseModel] | None = Project
    labelled: list[str | int] = []
    for part in path:
        if isinstance(part, int) or model is None:
            labelled.append(part)
            continue
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            labelled.append(part)
            model = Indicator if part in ("绩效指标", "indicators") else None
            continue
        labelled.append(field.alias or part)
        model = inner_model(field.annotation)
    return tuple(labelled)


def _keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """Return the keys (labels and English names) that the mapping at *loc* may hold."""
    model: type[BaseModel] | None = Project
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        model = inner_model(field.annotation) if field is not None else None
    if model is None:
        return KNOWN_KEYS
    return sorted({key for name, f in model.model_fields.items() for key in (name, f.alias) if key})


def _message(error: ErrorDetails, last: str) -> str:
    kind = error["type"]
    loc = error["loc"]
    value = error.get("input")
    if kind == "missing":
        return _("{field} is missing; add {field}: …").format(field=last)
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(str(loc[-1]), _keys_at(loc[:-1]), n=1, cutoff=0.5)
        key = repr(str(loc[-1]))
        if guess:
            return _("unknown key {key}; did you mean {guess}?").format(
                key=key, guess=repr(guess[0])
            )
        return _("unknown key {key}; remove it or fix its spelling").format(key=key)
    if kind in ("decimal_parsing", "decimal_type", "int_parsing", "int_type", "float_parsing"):
        return _("expected a number, got {value}; write digits only, e.g. 326.01").format(
            value=_shown(value)
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = error.get("ctx", {})
        limit = bound.get("ge", bound.get("le"))
        shown = f"{limit:,f}" if isinstance(limit, Decimal) else f"{limit:,}"
        text = (
            _("{field} must be at least {limit}, got {value}")
            if kind == "greater_than_equal"
            else _("{field} must be at most {limit}, got {value}")
        )
        return text.format(field=last, limit=shown, value=value)
    if kind == "decimal_max_places":
        return _(
            "{field} {value} has more than two decimals; the form prints two, round it"
        ).format(field=last, value=value)
    if kind == "finite_number":
        return _("{field} must be a finite number, got {value}").format(field=last, value=value)
    if kind == "int_from_float":
        return _("expected a whole number, got {value}").format(value=_shown(value))
    if kind == "enum" and last == "评分规则":
        return _("unknown 评分规则 {value}; use {names}").format(
            value=repr(value), names=scoring_names()
        )
    if kind in ("enum", "literal_error"):
        expected = str(error.get("ctx", {}).get("expected", ""))
        return _("unknown {field} {value}; use {names}").format(
            field=last, value=repr(value), names=expected.replace(" or ", _(" or "))
        )
    if kind in ("bool_parsing", "bool_type"):
        return _("{field} takes yes or no (true / false), got {value}").format(
            field=last, value=_shown(value)
        )
    if kind in ("string_type", "str_type"):
        return _("{field} takes a text, got {what}").format(field=last, what=_kind(value))
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        limit = error.get("ctx", {}).get("max_length", 0)
        return _(
            "{field} is {length} characters long; at most {limit} fit the form: shorten it"
        ).format(field=last, length=f"{len(value):,}", limit=f"{limit:,}")
    if kind == "string_too_short" or (kind == "too_short" and not value):
        return _("{field} is empty; fill it in").format(field=last)
    text = error["msg"]
    if kind in ("model_type", "dict_type", "list_type"):
        return _("{problem}, got {what}").format(problem=text, what=_kind(value))
    return (
        _("{problem} (got {value})").format(problem=text, value=_shown(value))
        if value is not None and not isinstance(value, Mapping)
        else text
    )


def _shown(value: Any, limit: int = 80) -> str:
    """Return *value* as a message shows it: its repr, cut short when long."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return _("{start}… ({length} characters)").format(
        start=text[: limit - 1], length=f"{len(text):,}"
    )


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    return _("the value {value}").format(value=_shown(value))
