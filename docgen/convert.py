"""Convert project files between YAML, JSON and Excel (.xlsx) without losing anything.

The projects are read as raw data (``docgen.sources``), put in the form's order with the form's
labels as keys (``canonical_project``), and written in the output's format:

- YAML: block style, the form's order, exact numbers (``162.30`` stays ``162.30``), text with
  line breaks as ``|`` blocks; several projects as several documents (``---``).
- JSON: UTF-8 text (not ``\\uXXXX``), indented by 2, exact numbers; several projects as a list.
- .xlsx: the data-entry workbook of ``docgen.excel``.

Values are not validated: a half-filled project converts as it is, and ``docgen check`` reports
its problems in either format. A value that a workbook has no column for is refused, naming its
file, line and field, rather than dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import InputError, OutputError
from docgen.excel.placement import UnplaceableError, canonical_project
from docgen.excel.reader import load_workbook_projects
from docgen.excel.writer import write_workbook
from docgen.i18n import _
from docgen.output import write_atomic
from docgen.sources.loader import WORKBOOK_SUFFIXES, SourceProject, load_file
from docgen.sources.validate import label_path, raw_path

__all__ = [
    "FORMATS",
    "convert",
    "read_projects",
    "render_projects",
    "to_json",
    "to_yaml",
    "write_projects",
]

TEXT_FORMATS = (".yaml", ".yml", ".json")
FORMATS = (*TEXT_FORMATS, *WORKBOOK_SUFFIXES)


def read_projects(path: str | Path) -> list[SourceProject]:
    """Return the projects of a YAML, JSON or .xlsx file."""
    if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
        return load_workbook_projects(path)
    return load_file(path)


def convert(input: Path, output: Path) -> None:
    """Convert the projects of *input* into *output*; the suffixes name the formats."""
    write_projects(read_projects(input), output)


def write_projects(sources: Sequence[SourceProject], output: Path) -> None:
    """Write *sources*' projects to *output* (.yaml, .yml, .json or .xlsx), atomically."""
    write_atomic(output, render_projects(sources, output.suffix))


def render_projects(sources: Sequence[SourceProject], suffix: str) -> bytes:
    """Return *sources*' projects in the format a file *suffix* names."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(
            _("cannot write {suffix}").format(suffix=suffix)
            if suffix
            else _("cannot write a file without a suffix"),
            hint=_("name the output .yaml, .yml, .json or .xlsx"),
        )
    if suffix in WORKBOOK_SUFFIXES:
        try:
            return write_workbook([source.data for source in sources])
        except UnplaceableError as exc:
            source = sources[exc.index]
            raise InputError(
                exc.message,
                file=source.file,
                line=source.line_of(raw_path(source.data, exc.path)),
                path=label_path(exc.path),
                hint=exc.hint,
            ) from None
    projects = [canonical_project(source.data) for source in sources]
    text = to_json(projects) if suffix == ".json" else to_yaml(projects)
    return text.encode("utf-8")


# --- YAML ---------------------------------------------------------------------------------

# Plain scalars that docgen's YAML 1.2 reader takes for something else than text: PyYAML (a
# YAML 1.1 writer) quotes the YAML 1.1 ones by itself, but not e.g. 1e3, 0o17 or .NaN.
_NOT_TEXT_IN_YAML_12 = re.compile(
    r"~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.inf|\.nan",
    re.IGNORECASE,
)
_STR, _INT, _FLOAT = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float"))


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, as the examples in data/ are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar(_STR, text, style="|")
    if _NOT_TEXT_IN_YAML_12.fullmatch(text) or text.startswith("="):  # quoted as README advises
        return dumper.represent_scalar(_STR, text, style="'")
    return dumper.represent_scalar(_STR, text)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    if value.is_nan():
        return dumper.represent_scalar(_FLOAT, ".nan")
    if value.is_infinite():
        return dumper.represent_scalar(_FLOAT, "-.inf" if value < 0 else ".inf")
    text = format(value, "f")
    return dumper.represent_scalar(_FLOAT if "." in text else _INT, text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def to_yaml(projects: Sequence[Any]) -> str:
    """Return projects as YAML: one document, or one per project separated by ``---``."""
    return yaml.dump_all(
        list(projects),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold long lines
        indent=2,
    )


# --- JSON ---------------------------------------------------------------------------------


def to_json(projects: Sequence[Any]) -> str:
    """Return projects as JSON: one object, or a list of them; numbers exactly as given."""
    value = projects[0] if len(projects) == 1 else list(projects)
    return _json(value, "") + "\n"


def _json(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = (f"{inner}{_json_key(k)}: {_json(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _json(v, inner) for v in value) + f"\n{indent}]"
    if isinstance(value, Decimal):
        if value.is_finite():
            return format(value, "f")
        return "NaN" if value.is_nan() else ("-Infinity" if value < 0 else "Infinity")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)  # dates and the like: as text


def _json_key(key: Any) -> str:
    return json.dumps(key if isinstance(key, str) else str(key), ensure_ascii=False)
