"""``docgen templates …`` and ``docgen diff``: working with templates and golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from docgen.console import EXIT_FAILED, EXIT_OK, HELP_LAYOUT, emit, err, guard, out
from docgen.errors import DocgenError, InputError
from docgen.i18n import _
from docgen.model.project import Form
from docgen.ooxml.describe import describe, normalised_parts, unified
from docgen.output import write_atomic
from docgen.render.check import Problem, check_template, declared_kind
from docgen.render.documents import KINDS, get_kind
from docgen.render.templates import builtin_file, builtin_name, file_names, find, search_path
from docgen.render.variables import variables_markdown
from docgen.workers import shared_pool

templates_app = typer.Typer(
    help=_("List, copy and check templates; write the variables reference."),
    no_args_is_help=True,
    **HELP_LAYOUT,
)

KindArgument = Annotated[str, typer.Argument(help=_("自评表 (table) or 自评报告 (report)."))]
TemplatesDir = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        exists=True,
        file_okay=False,
        dir_okay=True,
        help=_("Your templates folder (default: $DOCGEN_TEMPLATES)."),
    ),
]


def _kind(name: str) -> str:
    try:
        return get_kind(name).key
    except DocgenError as exc:
        raise typer.BadParameter(exc.message) from None


@templates_app.command(
    "list",
    help=_("Show which template each document kind uses, and every candidate with its origin."),
)
def list_templates(
    templates: TemplatesDir = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help=_("A project file: also look in a templates/ folder beside it.")
        ),
    ] = None,
) -> None:
    """Show which template each document kind uses, and every candidate with its origin."""

    def run() -> int:
        if data is not None and not data.is_file():
            raise InputError(
                _("no such project file"), file=str(data), hint=_("check the --data path")
            )
        for kind in KINDS.values():
            editions: list[Form | None] = [None, Form.F2022] if kind.key == "table" else [None]
            for form in editions:
                _list_kind(kind.key, kind.label, form, templates, data)
        return EXIT_OK

    raise typer.Exit(guard(run))


def _list_kind(
    kind: str, label: str, form: Form | None, templates: Path | None, data: Path | None
) -> None:
    """Print the candidates of one kind (and 自评表 edition), marking the one used."""
    used = find(kind, templates, data, form)
    candidates = [
        (folder / name, origin)
        for origin, folder in search_path(templates, data)
        for name in file_names(kind, form)
        if (folder / name).is_file()
    ]
    edition = {None: "", Form.F2022: _(", 2022 edition"), Form.F2023: _(", 2023 edition")}[form]
    if kind == "table" and form is None:
        edition = _(", 2023/2024 edition")
    out.print(f"{label} ({kind}{edition}):")
    for path, origin in candidates:
        mark = _("✓ used") if used.path == path else _("(shadowed)")
        out.print(f"  {mark:10} {path}  [{origin}]")
    mark = _("✓ used") if used.path is None else _("(fallback)")
    builtin, origin = _("built-in {name}").format(name=builtin_name(kind, form)), _("built-in")
    out.print(f"  {mark:10} {builtin}  [{origin}]")


@templates_app.command(
    "init",
    help=_("Copy a built-in template (and its config) into a folder, ready to edit in Word."),
)
def init(
    kind: KindArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("Folder to copy into."))] = Path(
        "templates"
    ),
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite existing files."))] = False,
    form: Annotated[
        Form | None,
        typer.Option(
            "--form",
            help=_(
                "The 自评表 edition to copy: 2023 (table.docx, the default) or 2022 "
                "(table-2022.docx)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy a built-in template (and its config) into a folder, ready to edit in Word."""
    key = _kind(kind)
    if form is not None and key != "table":
        raise typer.BadParameter(_("only the 自评表 has editions"), param_hint="--form")
    edition = form if form is Form.F2022 else None

    def run() -> int:
        data, config = builtin_file(key, edition)
        target = output / builtin_name(key, edition)
        files = [(target, data)]
        if config is not None:
            files.append((target.with_suffix(".yaml"), config.encode("utf-8")))
        existing = [path for path, _content in files if path.exists()]
        if existing and not force:
            raise InputError(
                _("{path} exists").format(path=existing[0]),
                hint=_("use --force to overwrite, or choose another -o"),
            )
        for path, content in files:
            write_atomic(path, content)
            out.print(_("wrote {path}").format(path=path))
        err.print(_("edit {path} in Word, then: docgen templates check {path}").format(path=target))
        return EXIT_OK

    raise typer.Exit(guard(run))


@templates_app.command(
    "check", help=_("Report every problem of a template; exit status 1 when it has errors.")
)
def check(
    template: Annotated[Path, typer.Argument(help=_("The .docx template to check."))],
    data: Annotated[
        Path | None, typer.Option("--data", help=_("Also render this project file as a trial."))
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help=_("自评表 or 自评报告 (default: from the template's config).")),
    ] = None,
) -> None:
    """Report every problem of a template; exit status 1 when it has errors."""

    def run() -> int:
        key = _kind(kind) if kind else declared_kind(template)
        try:  # in a worker: a template that loops or eats memory is stopped
            problems = shared_pool().run(check_template, template, key, data)
        except DocgenError as exc:
            problems = [
                Problem(
                    None,
                    _("the check {problem}").format(problem=exc.message),
                    exc.hint or "",
                )
            ]
        for problem in problems:
            style = "red" if problem.severity == "error" else "yellow"
            err.print(Text(f"{template}: {problem}", style=style))
        errors = sum(p.severity == "error" for p in problems)
        if errors:
            message = _("{count} problem(s) in {template}").format(count=errors, template=template)
            err.print(Text(message, style="red"))
            return EXIT_FAILED
        passed = _("{template}: OK ({kind})").format(template=template, kind=KINDS[key].label)
        err.print(Text(passed, style="green"))
        return EXIT_OK

    raise typer.Exit(guard(run))


@templates_app.command(
    "variables", help=_("Print every variable a template can use, with its type and an example.")
)
def variables(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("Write to this file (docs/variables.md).")),
    ] = None,
) -> None:
    """Print every variable a template can use, with its type and an example."""

    def run() -> int:
        return emit(variables_markdown() + "\n", output)

    raise typer.Exit(guard(run))


def diff(
    before: Annotated[Path, typer.Argument(help=_("The expected document (e.g. a golden file)."))],
    after: Annotated[Path, typer.Argument(help=_("The document to compare with it."))],
    xml: Annotated[
        bool, typer.Option("--xml", help=_("Compare the normalised XML of the parts instead."))
    ] = False,
) -> None:
    """Compare two .docx semantically; exit status 0 when the same, 1 when different."""

    def run() -> int:
        read = normalised_parts if xml else describe
        try:
            a, b = read(before.read_bytes(), str(before)), read(after.read_bytes(), str(after))
        except OSError as exc:
            message = _("cannot read: {reason}").format(reason=exc.strerror)
            raise InputError(message, file=exc.filename) from None
        lines = unified(a, b, str(before), str(after))
        for line in lines:
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else None
            out.print(Text(line, style=style or ""))
        if lines:
            err.print(_("{before} and {after} differ").format(before=before, after=after))
            return EXIT_FAILED
        err.print(_("{before} and {after} are the same").format(before=before, after=after))
        return EXIT_OK

    raise typer.Exit(guard(run))
