"""The layers of README's ARCHITECTURE section, checked: each dependency stays in its layer.

A module that breaks a rule fails here with its name; the few places not yet moved where
they belong are listed by name (``NOT_YET``), so that no new one can appear unnoticed.
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "docgen"

# Which of docgen's modules may import a library: its layer, by module path prefix.
OWNERS = {
    "docxtpl": ("render/",),
    "jinja2": ("render/",),
    "lxml": ("ooxml/",),
    "zipfile": ("ooxml/",),
    "openpyxl": ("excel/",),
    "fastapi": ("service/",),
    "starlette": ("service/",),
    "uvicorn": ("service/", "cli.py"),
    "typer": ("cli.py", "cli_templates.py", "cli_import.py"),
    "rich": ("cli.py", "cli_templates.py", "cli_import.py", "console.py", "batch_report.py"),
    "pdfplumber": ("importing/pdf.py",),
    "pdfminer": ("importing/pdf.py",),
}
# Places that still touch package XML or zips outside their layer: none any more (issue 12).
NOT_YET: dict[str, set[str]] = {}
# What the pure layers may import of docgen itself.
PURE = {
    "model/": {"docgen.model", "docgen.errors", "docgen.i18n"},
    "rules/": {"docgen.rules", "docgen.model", "docgen.errors", "docgen.i18n"},
}


def modules() -> list[tuple[str, set[str]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
        found.append((path.relative_to(PACKAGE).as_posix(), imported))
    return found


MODULES = modules()


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_library_is_used_by_its_layer_only(library: str) -> None:
    users = {
        name
        for name, imported in MODULES
        if any(i == library or i.startswith(library + ".") for i in imported)
    }
    outside = {u for u in users if not u.startswith(OWNERS[library])}
    assert outside <= NOT_YET.get(library, set()), (
        f"{library} is imported outside its layer by {sorted(outside - NOT_YET[library])}"
        if library in NOT_YET
        else f"{library} is imported outside its layer by {sorted(outside)}"
    )


@pytest.mark.parametrize("layer", sorted(PURE))
def test_pure_layers_import_no_input_output(layer: str) -> None:
    for name, imported in MODULES:
        if name.startswith(layer):
            own = {i for i in imported if i.startswith("docgen")}
            allowed = PURE[layer]
            wrong = {i for i in own if not any(i == a or i.startswith(a + ".") for a in allowed)}
            assert not wrong, f"{name} imports {sorted(wrong)}"
            io = {"os", "pathlib", "io", "zipfile", "lxml", "openpyxl", "yaml", "json"}
            assert not {i.split(".")[0] for i in imported} & io, f"{name} does I/O"


def test_the_namespace_is_defined_once() -> None:
    url = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    defining = [p for p in PACKAGE.rglob("*.py") if f'"{url}"' in p.read_text(encoding="utf-8")]
    assert [p.relative_to(PACKAGE).as_posix() for p in defining] == ["ooxml/xml.py"]
