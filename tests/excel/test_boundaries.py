"""docgen/excel depends on the model, the errors, the loader's types and ooxml; not the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import docgen

PACKAGE = Path(docgen.__file__).parent
ALLOWED = (
    "docgen.excel",
    "docgen.model",
    "docgen.errors",
    "docgen.i18n",  # messages in the user's language
    "docgen.sources.loader",  # SourceProject, DataPath, WORKBOOK_SUFFIXES
    "docgen.sources.yaml_events",  # the input limits every reader shares
    "docgen.ooxml",
)


def imports(folder: Path) -> dict[str, set[str]]:
    """Return the docgen modules that each module below *folder* imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = {n for n in names if n.startswith("docgen")}
    return found


def test_excel_imports_only_the_layers_below_it() -> None:
    found = imports(PACKAGE / "excel")
    for user in ("reader.py", "writer.py", "placement.py", "guide.py", "tables.py"):
        assert "docgen.excel.layout" in found[f"excel/{user}"], user  # the one description
    for module, names in found.items():
        outside = {n for n in names if not n.startswith(ALLOWED)}
        assert not outside, f"{module} imports {outside}"


def test_the_model_and_the_rules_do_not_import_excel() -> None:
    for layer in ("model", "rules"):
        for module, names in imports(PACKAGE / layer).items():
            assert not any(n.startswith("docgen.excel") for n in names), module
