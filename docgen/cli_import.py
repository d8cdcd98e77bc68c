"""The commands that read filled forms back: ``docgen import`` and ``docgen next-year``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from docgen.console import EXIT_FAILED, EXIT_OK, err, guard
from docgen.convert import FORMATS, read_projects, write_projects
from docgen.errors import DocgenError, Severity
from docgen.i18n import N_, _
from docgen.importing import IMPORT_SUFFIXES, import_file, next_year
from docgen.sources.loader import SourceProject

__all__ = ["register"]

# The commands' help (their docstrings say the same in English, for readers of the code).
IMPORT_HELP = N_(
    "Read filled 自评表 from Word or PDF files into docgen input (YAML, JSON or .xlsx)."
)
NEXT_YEAR_HELP = N_(
    "Carry projects into the next year: 年度 + 1, targets kept, this year's figures cleared."
)

Documents = Annotated[
    list[Path],
    typer.Argument(
        help=_("Filled 自评表: Word (.docx) or PDF files; a file may hold several forms."),
        show_default=False,
    ),
]
Output = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help=_("The docgen input to write: .yaml, .yml, .json or .xlsx (the data-entry workbook)."),
        show_default=False,
    ),
]


def _check_output(output: Path) -> None:
    if output.suffix.lower() not in FORMATS:
        raise typer.BadParameter(
            _("name the output .yaml, .yml, .json or .xlsx"), param_hint="--output"
        )


def _read(files: list[Path], projects_too: bool) -> tuple[list[SourceProject], int]:
    """Return the projects of *files* and how many files failed (their errors printed)."""
    sources: list[SourceProject] = []
    failed = 0
    for path in files:
        try:
            if path.suffix.lower() in IMPORT_SUFFIXES or not projects_too:
                imported = import_file(path)
                for warning in imported.warnings:
                    err.print(Text(str(warning), style="yellow"))
                found = imported.sources()
                err.print(_("read {path}: {count} 自评表").format(path=path, count=len(found)))
            else:
                found = read_projects(path)
        except DocgenError as exc:
            err.print(Text(f"{Severity.ERROR.label}: {exc}", style="red"))
            failed += 1
            continue
        sources.extend(found)
    return sources, failed


def _write(sources: list[SourceProject], failed: int, output: Path) -> int:
    if failed:
        err.print(
            _("{failed} file(s) could not be read; nothing written to {output}").format(
                failed=failed, output=output
            )
        )
        return EXIT_FAILED
    write_projects(sources, output)
    err.print(_("wrote {path} ({count} project(s))").format(path=output, count=len(sources)))
    return EXIT_OK


def _carried(sources: list[SourceProject]) -> list[SourceProject]:
    return [SourceProject(s.file, s.index, next_year(s.data)) for s in sources]


def import_command(
    files: Documents,
    output: Output,
    carry: Annotated[
        bool,
        typer.Option(
            "--next-year",
            help=_("Carry each project into the next year (as `docgen next-year`)."),
        ),
    ] = False,
) -> None:
    """Read filled 自评表 from Word or PDF files into docgen input (YAML, JSON or .xlsx)."""
    _check_output(output)

    def run() -> int:
        sources, failed = _read(files, projects_too=False)
        return _write(_carried(sources) if carry else sources, failed, output)

    raise typer.Exit(guard(run))


def next_year_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help=_("Last year's forms (.docx, .pdf) or project files (.yaml, .yml, .json, .xlsx)."),
            show_default=False,
        ),
    ],
    output: Output,
) -> None:
    """Carry projects into the next year: 年度 + 1, targets kept, this year's figures cleared."""
    _check_output(output)

    def run() -> int:
        sources, failed = _read(files, projects_too=True)
        return _write(_carried(sources), failed, output)

    raise typer.Exit(guard(run))


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``next-year`` to the command line *app*."""
    app.command("import", help=_(IMPORT_HELP))(import_command)
    app.command("next-year", help=_(NEXT_YEAR_HELP))(next_year_command)
