"""Find the project files named on a command line: files, folders (recursively) or globs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import InputError
from docgen.i18n import _
from docgen.sources.loader import SUFFIXES, WORKBOOK_SUFFIXES

# Folders that never hold a user's projects, and files that are not projects.
_SKIPPED_DIRS = {"__pycache__", "node_modules", "venv", "site-packages"}
_SKIPPED_SUFFIXES = (".schema.json",)
# A templates/ folder beside the data holds templates and their YAML configs, not projects
# (the template file names of docgen.render.templates.FILE_NAMES).
_TEMPLATE_FOLDER = "templates"
_TEMPLATE_FILES = ("table.docx", "自评表.docx", "report.docx", "自评报告.docx")
_GLOB_CHARS = set("*?[")


def _is_project_file(path: Path, workbooks: bool = False) -> bool:
    """Return whether *path* is a project file; workbooks count only when a pattern names them."""
    name = path.name.lower()
    return (
        path.suffix.lower() in (SUFFIXES + WORKBOOK_SUFFIXES if workbooks else SUFFIXES)
        and not name.startswith((".", "~$"))
        and not name.endswith(_SKIPPED_SUFFIXES)
    )


def discover(inputs: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Return the project files of *inputs* in a stable order, and what could not be searched.

    A folder is searched recursively in name order for YAML and JSON files, skipping hidden
    folders and files, tool folders (``__pycache__``, ``node_modules``, virtual environments)
    and ``*.schema.json``.  Workbooks (.xlsx) are read when named or matched by a pattern, so a
    batch's 汇总.xlsx is never taken for project data.
    A pattern with ``*``, ``?`` or ``[`` is expanded (``**`` crosses folders).  A file named
    explicitly is taken whatever its suffix.
    """
    files: list[Path] = []
    problems: list[InputError] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in inputs:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            found = _walk(path, problems)
            if not found:
                problems.append(
                    InputError(
                        _("no project files (.yaml, .yml, .json) in this folder"),
                        file=text,
                        hint=_("check the folder, or name the files"),
                    )
                )
            for item in found:
                add(item)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            matched = [
                Path(m) for m in matches if Path(m).is_file() and _is_project_file(Path(m), True)
            ]
            if not matched:
                problems.append(InputError(_("no project files match this pattern"), file=text))
            for item in matched:
                add(item)
        else:
            problems.append(
                InputError(_("no such file or folder"), file=text, hint=_("check the path"))
            )
    return files, problems


def _walk(folder: Path, problems: list[InputError]) -> list[Path]:
    found: list[Path] = []

    def on_error(error: OSError) -> None:
        problems.append(
            InputError(
                _("cannot search this folder: {reason}").format(reason=error.strerror),
                file=error.filename,
            )
        )

    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and not (Path(root, d) / "pyvenv.cfg").exists()
            and not _is_template_folder(Path(root, d))
        )
        found.extend(Path(root, n) for n in sorted(names) if _is_project_file(Path(root, n)))
    return found


def _is_template_folder(folder: Path) -> bool:
    """Return whether *folder* is a ``templates/`` folder of docgen templates."""
    return folder.name == _TEMPLATE_FOLDER and any(
        (folder / name).is_file() for name in _TEMPLATE_FILES
    )
