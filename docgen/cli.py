"""The ``docgen`` command line: a thin shell over the pipeline and the renderer."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import ExitStack
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from docgen import __version__
from docgen.batch import Options, run_batch
from docgen.batch_report import (
    BatchProgress,
    PdfProgress,
    print_report,
    report_json,
    write_combined,
    write_summary,
)
from docgen.check_report import project_json, score_notes
from docgen.cli_import import register as register_import
from docgen.cli_templates import diff, templates_app
from docgen.console import EXIT_FAILED, EXIT_OK, HELP_LAYOUT, emit, err, guard, out
from docgen.convert import FORMATS as CONVERT_FORMATS
from docgen.convert import convert as convert_file
from docgen.convert import read_projects, write_projects
from docgen.engine import CheckedProject, Engine, NamePlan, RunSettings, Unreadable
from docgen.errors import HINT_AFTER, DocgenError, Finding, Severity, TemplateProblem
from docgen.i18n import _
from docgen.model.project import Form, Rounding, scoring_names
from docgen.model.schema import project_schema
from docgen.output import write_atomic
from docgen.pdf import (
    PdfConversionError,
    convert_to_pdf,
    font_substitutions,
    require_soffice,
    substitution_warning,
    warm_note,
)
from docgen.render.documents import KINDS, Kind, Renderer, get_kind
from docgen.rules.evaluate import RuleOptions
from docgen.rules.rulesets import scoring_named
from docgen.sources.discover import discover
from docgen.workers import shared_pool

app = typer.Typer(
    help=_("Generate 财政项目支出绩效自评 documents from project data (YAML, JSON or Excel)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    **HELP_LAYOUT,
)


class RoundingChoice(str, Enum):
    """Rounding conventions as the command line names them."""

    standard = "standard"
    truncate = "truncate"
    half_up = "half-up"
    标准 = "标准"
    截断 = "截断"
    四舍五入 = "四舍五入"


Files = Annotated[
    list[str],
    typer.Argument(
        help=_(
            "Project files (.yaml, .yml, .json, .xlsx), folders (searched recursively for "
            "YAML and JSON) or patterns such as 'dept/**/*.yaml'."
        ),
        show_default=False,
    ),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        exists=True,
        file_okay=False,
        dir_okay=True,
        help=_(
            "Folder with your templates (table.docx / 自评表.docx, report.docx / 自评报告.docx). "
            "Default: $DOCGEN_TEMPLATES, a templates/ folder beside the data, the built-in ones."
        ),
    ),
]
PdfOption = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help=_(
            "Also write a PDF of each document, beside it (needs LibreOffice; many "
            "documents per LibreOffice run)."
        ),
    ),
]
RoundingOption = Annotated[
    RoundingChoice | None,
    typer.Option(
        "--rounding",
        help=_(
            "Override every file's 舍入规则: 标准 or standard (执行率 truncated, 得分 rounded; "
            "the default), 截断 or truncate (both truncated), 四舍五入 or half-up (both rounded)."
        ),
    ),
]

ScoringOption = Annotated[
    str | None,
    typer.Option(
        "--scoring",
        metavar="RULES",
        help=_(
            "Score the indicators by a named rule set, overriding every file's 评分规则: {names}."
        ).format(names=scoring_names()),
        show_default=False,
    ),
]
FormOption = Annotated[
    Form | None,
    typer.Option(
        "--form",
        help=_(
            "The 自评表 edition for every project, over each file's 表样: 2022 (the 2022 form: "
            "a 绩效指标 column, 分值, no 评分等级 row) or 2023 (the 2023/2024 form). Default: the "
            "file's 表样, else by 年度 (2022 and earlier: 2022)."
        ),
        show_default=False,
    ),
]
OverCompletionOption = Annotated[
    str | None,
    typer.Option(
        "--over-completion",
        metavar="PERCENT",
        help=_(
            "Under a rule set, the 完成率 from which an exceeded target asks for its cause "
            "in 偏差原因分析及改进措施. Default: the template's 超额完成阈值, else 130."
        ),
        show_default=False,
    ),
]


def _rules(
    rounding: RoundingChoice | None, scoring: str | None, over_completion: str | None
) -> RuleOptions:
    """Return the run's rule options from the command line; a bad value is a usage error."""
    try:
        chosen = scoring_named(scoring) if scoring is not None else None
    except DocgenError as exc:
        message = f"{exc.message}{_(HINT_AFTER)}{exc.hint}"
        raise typer.BadParameter(message, param_hint="--scoring") from None
    threshold = None
    if over_completion is not None:
        try:
            threshold = Decimal(over_completion.strip().removesuffix("%"))
        except InvalidOperation:
            threshold = None
        if threshold is None or not threshold.is_finite() or not 100 < threshold <= 10000:
            raise typer.BadParameter(
                _("expected a percentage above 100, e.g. 130; got {value}").format(
                    value=repr(over_completion)
                ),
                param_hint="--over-completion",
            )
    return RuleOptions(Rounding(rounding.value) if rounding else None, chosen, threshold)


def _print_finding(finding: Finding) -> None:
    colour = "red" if finding.severity is Severity.ERROR else "yellow"
    err.print(Text(str(finding), style=colour))


def _checked(
    inputs: list[str], engine: Engine, report: bool = True, rendering: bool = True
) -> Iterator[CheckedProject | Unreadable]:
    """Yield each project checked, or what made an input unreadable (printed if *report*)."""
    files, problems = engine.files(inputs)
    for problem in problems:
        if report:
            err.print(Text(str(problem), style="red"))
        yield Unreadable(problem.file or "", problem)
    announce_templates(engine.renderer, engine.settings.kind_list, files, builtin=rendering)
    for item in engine.check_files(files):
        if isinstance(item, Unreadable) and report:
            if item.bug is not None:
                _internal(item.file, item.bug)
            else:
                err.print(Text(str(item.error), style="red"))
        yield item


def announce_templates(
    renderer: Renderer, kinds: list[Kind], files: list[Path], builtin: bool = True
) -> None:
    """Print which template each kind uses and where it comes from, once per template.

    A ``templates/`` folder beside someone's data is used automatically, so it is never
    used unseen: every template's origin is printed before anything is rendered. Without
    *builtin* (``check``, which renders nothing), only templates other than docgen's own.
    """
    seen: set[tuple[str, Path | None]] = set()
    places: list[Path | None] = [*files] or [None]
    for path in places:
        for kind in kinds:
            try:
                refs = [renderer.ref(kind, path)]
                if kind.key == "table" and renderer.form is None:
                    refs.append(renderer.ref(kind, path, Form.F2022))
            except TemplateProblem:
                continue  # reported with the project; a missing --templates folder is raised
            for ref in refs:
                if ref is not refs[0] and ref.path is None:
                    continue  # the built-in 2022 edition: docgen's own, as the default one
                if (kind.key, ref.path) not in seen and (builtin or ref.path is not None):
                    seen.add((kind.key, ref.path))
                    err.print(
                        _("{kind} template: {where}").format(kind=kind.label, where=ref.where)
                    )


def _internal(where: str, exc: BaseException) -> None:
    """Report an unexpected exception without a traceback (unless DOCGEN_DEBUG is set)."""
    if os.environ.get("DOCGEN_DEBUG"):
        traceback.print_exception(exc)
    err.print(
        Text(
            _(
                "{where}: internal error: {error}\n"
                "  this is a bug in docgen; run again with DOCGEN_DEBUG=1 for details and report it"
            ).format(where=where, error=f"{type(exc).__name__}: {exc}"),
            style="red",
        )
    )


@app.command(help=_("Validate project files without rendering; exit status 1 when any has errors."))
def check(
    files: Files,
    rounding: RoundingOption = None,
    scoring: ScoringOption = None,
    over_completion: OverCompletionOption = None,
    templates: TemplatesOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help=_(
                "Print the findings, the computed figures and each score's rule as JSON on stdout."
            ),
        ),
    ] = False,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help=_(
                "Check for these document kinds only (their templates' rules; the 自评报告's "
                "gaps are reported only when it is among them). Default: all."
            ),
        ),
    ] = None,
) -> None:
    """Validate project files without rendering; exit status 1 when any has errors."""
    rules = _rules(rounding, scoring, over_completion)
    engine = Engine(RunSettings(templates, _kinds(kind), rules))

    def run() -> int:
        failed = projects = warnings = 0
        by_file: dict[str, dict[str, Any]] = {}
        for item in _checked(files, engine, not as_json, rendering=False):
            if isinstance(item, Unreadable):
                failed += 1
                entry = by_file.setdefault(item.file, _file_entry(item.file))
                entry["errors"].append(item.error.to_json())
                continue
            projects += 1
            warnings += len(item.warnings)
            failed += bool(item.errors)
            if as_json:
                entry = by_file.setdefault(item.source.file, _file_entry(item.source.file))
                entry["projects"].append(project_json(item))
                continue
            for finding in item.findings:
                _print_finding(finding)
            for note in score_notes(item):
                err.print(note)
        summary = _(
            "{projects} project(s) checked, {failed} with errors, {warnings} warning(s)"
        ).format(projects=projects, failed=failed, warnings=warnings)
        if as_json:
            counts = {"projects": projects, "failed": failed, "warnings": warnings}
            out.print_json(data={"ok": not failed, **counts, "files": list(by_file.values())})
        else:
            err.print(summary)
        return EXIT_FAILED if failed else EXIT_OK

    raise typer.Exit(guard(run))


def _file_entry(file: str) -> dict[str, Any]:
    return {"file": file, "errors": [], "projects": []}


@app.command(help=_("Render one document per project and kind into the output folder."))
def render(
    files: Files,
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("Folder for the documents."))
    ] = Path("out"),
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help=_("Document kind to write: {kinds}; repeat for several. Default: all.").format(
                kinds=", ".join(f"{k} ({v.label})" for k, v in KINDS.items())
            ),
        ),
    ] = None,
    rounding: RoundingOption = None,
    scoring: ScoringOption = None,
    over_completion: OverCompletionOption = None,
    templates: TemplatesOption = None,
    pdf: PdfOption = False,
    form: FormOption = None,
) -> None:
    """Render one document per project and kind into the output folder."""

    rules = _rules(rounding, scoring, over_completion)
    settings = RunSettings(templates, _kinds(kind), rules, form)
    engine = Engine(settings)

    def run() -> int:
        if pdf:
            require_soffice()  # say so before rendering anything
        failed = written = 0
        names = NamePlan()
        documents: list[Path] = []
        for item in _checked(files, engine):
            if isinstance(item, Unreadable):
                failed += 1
                continue
            for finding in item.findings:
                _print_finding(finding)
            valid = item.valid
            if valid is None:
                skipped = _("skipped {project}: fix the errors above").format(project=item.label)
                err.print(Text(skipped, style="red"))
                failed += 1
                continue
            # The names are planned before anything renders: a clash is numbered, never lost.
            targets = [output / names.claim(name) for name in engine.filenames(valid)]
            try:
                for doc_kind, target in zip(settings.kind_list, targets, strict=True):
                    write_atomic(target, engine.render(valid, doc_kind, shared_pool()))
                    out.print(_("wrote {path}").format(path=target))
                    documents.append(target)
                    written += 1
            except DocgenError as exc:
                err.print(Text(f"{item.source.file}: {item.label}: {exc}", style="red"))
                failed += 1
            except Exception as exc:  # a bug of ours: report it, go on with the next project
                _internal(f"{item.source.file}: {item.label}", exc)
                failed += 1
        pdf_failed = _write_pdfs(documents, output, jobs=1) if pdf else 0
        err.print(
            _("{written} document(s) written to {output}, {failed} project(s) failed").format(
                written=written, output=output, failed=failed
            )
        )
        return EXIT_FAILED if failed or pdf_failed else EXIT_OK

    raise typer.Exit(guard(run))


def _kinds(names: list[str] | None) -> tuple[str, ...]:
    """Return the kinds ``--kind`` names (all by default); an unknown one is a usage error."""
    try:
        return tuple(get_kind(k).key for k in names) if names else tuple(KINDS)
    except DocgenError as exc:
        raise typer.BadParameter(exc.message, param_hint="--kind") from None


def _write_pdfs(documents: list[Path], output: Path, jobs: int, quiet: bool = False) -> int:
    """Convert *documents* to PDF in *output*; print what was written; return the failures."""
    if not documents:
        return 0
    if not quiet:
        note = warm_note()
        if note:
            err.print(note)
        err.print(
            _("converting {count} document(s) to PDF with LibreOffice …").format(
                count=len(documents)
            )
        )
    try:
        with PdfProgress(err, len(documents), quiet) as progress:
            pdfs = convert_to_pdf(documents, output, jobs=jobs, on_progress=progress)
        failed = 0
    except PdfConversionError as exc:
        err.print(Text(f"{Severity.ERROR.label}: {exc}", style="red"))
        pdfs, failed = exc.converted, len(exc.failed)
    warning = None if quiet else substitution_warning(font_substitutions(documents))
    if warning:
        err.print(Text(warning, style="yellow"))
    if not quiet:
        for path in pdfs:
            out.print(_("wrote {path}").format(path=path))
    return failed


def _stale_pdfs(documents: list[Path]) -> list[Path]:
    """Return the documents whose PDF is missing or older than the document."""
    stale = []
    for docx in documents:
        pdf = docx.with_suffix(".pdf")
        if not pdf.exists() or pdf.stat().st_mtime < docx.stat().st_mtime:
            stale.append(docx)
    return stale


def _executor_for(address: str, stack: ExitStack) -> Executor:
    """Return the executor an ``--executor`` address names (``dask://HOST:PORT``)."""
    if not address.startswith("dask://"):
        raise typer.BadParameter(_("use dask://HOST:PORT"), param_hint="--executor")
    try:
        from distributed import Client
    except ImportError:
        raise typer.BadParameter(
            _("Dask is not installed; pip install 'jixiao-docgen[dask]'"), param_hint="--executor"
        ) from None
    try:
        client = Client(  # type: ignore[no-untyped-call]
            "tcp://" + address.removeprefix("dask://"), timeout=10
        )
    except OSError as exc:
        raise typer.BadParameter(
            _("cannot reach {address}: {error}").format(address=address, error=exc),
            param_hint="--executor",
        ) from None
    stack.callback(client.close)
    return client.get_executor()  # type: ignore[no-any-return,no-untyped-call]


@app.command(
    help=_("Render a department's or a district's projects: parallel, resumable, with reports.")
)
def batch(
    inputs: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("Folder for the documents."))],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help=_("Worker processes. Default: all cores.")),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help=_("Document kind(s) to write. Default: all.")),
    ] = None,
    rounding: RoundingOption = None,
    scoring: ScoringOption = None,
    over_completion: OverCompletionOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Render every project, even unchanged ones."))
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help=_(
                "Remove the documents that earlier runs wrote for projects since renamed "
                "or removed."
            ),
        ),
    ] = False,
    combine: Annotated[
        bool,
        typer.Option(
            "--combine",
            help=_(
                "Also write one document per kind with every project in input order "
                "(汇总_自评表.docx, 汇总_自评报告.docx)."
            ),
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("Print only failures."))] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the results as JSON on stdout."))
    ] = False,
    executor: Annotated[
        str | None,
        typer.Option("--executor", help=_("Run on a Dask cluster: dask://HOST:PORT.")),
    ] = None,
    templates: TemplatesOption = None,
    pdf: PdfOption = False,
    form: FormOption = None,
) -> None:
    """Render a department's or a district's projects: parallel, resumable, with reports."""
    rules = _rules(rounding, scoring, over_completion)
    settings = RunSettings(templates, _kinds(kind), rules, form)
    kinds = settings.kinds
    stack = ExitStack()
    pool = _executor_for(executor, stack) if executor else None

    def run() -> int:
        with stack:
            return run_batch_command()

    def run_batch_command() -> int:
        if pdf:
            require_soffice()  # say so before rendering anything
        engine = Engine(settings)
        files, problems = engine.files(inputs)
        for problem in problems:
            err.print(Text(str(problem), style="red"))
        announce_templates(engine.renderer, settings.kind_list, files)
        options = Options(str(output), settings, force, prune)
        workers = jobs or os.cpu_count() or 1
        with BatchProgress(err, len(files), quiet or as_json) as progress:
            report = run_batch(files, options, executor=pool, jobs=workers, on_result=progress)
        summary: Path | None = None
        combined: list[Path] = []
        try:  # a report that cannot be written (a full disk) never hides the others
            summary = write_summary(report)
            combined = write_combined(report, kinds) if combine else []
        except DocgenError as exc:
            report.problems.append(str(exc))
        pdf_failed = 0
        if pdf:  # PDFs of new or changed documents: resumable like the documents
            documents = [output / name for r in report.results if r.ok for name in r.outputs]
            stale = _stale_pdfs(documents + combined)
            pdf_failed = _write_pdfs(stale, output, jobs=workers, quiet=quiet or as_json)
        if as_json:
            out.print_json(data=report_json(report, summary, combined, problems))
        else:
            print_report(err, report, summary, combined, problems, quiet)
        failed = report.failures or problems or pdf_failed or report.problems
        return EXIT_FAILED if failed else EXIT_OK

    raise typer.Exit(guard(run))


@app.command(
    help=_("Print the JSON Schema of project files, for editors' completion and validation.")
)
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write to this file instead of stdout."))
    ] = None,
) -> None:
    """Print the JSON Schema of project files, for editors' completion and validation."""

    def run() -> int:
        return emit(json.dumps(project_schema(), ensure_ascii=False, indent=2) + "\n", output)

    raise typer.Exit(guard(run))


@app.command(
    help=_("Write a data-entry workbook (.xlsx): an empty template, or filled with projects.")
)
def workbook(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help=_(
                "Project files to fill it with (.yaml, .yml, .json, .xlsx), folders or "
                "patterns. Without them, an empty template."
            ),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("The workbook to write (.xlsx)."))
    ] = Path("填报模板.xlsx"),
) -> None:
    """Write a data-entry workbook (.xlsx): an empty template, or filled with projects."""
    if output.suffix.lower() != ".xlsx":
        raise typer.BadParameter(_("name the workbook .xlsx"), param_hint="--output")

    def run() -> int:
        found, problems = discover(files or [])
        for problem in problems:
            err.print(Text(str(problem), style="red"))
        if problems:
            return EXIT_FAILED
        sources = [source for path in found for source in read_projects(path)]
        write_projects(sources, output)
        err.print(_("wrote {path} ({count} project(s))").format(path=output, count=len(sources)))
        return EXIT_OK

    raise typer.Exit(guard(run))


@app.command(
    "convert",
    help=_("Convert project files between YAML, JSON and Excel (.xlsx) without losing anything."),
)
def convert_command(
    source: Annotated[
        Path,
        typer.Argument(help=_("A project file: .yaml, .yml, .json or .xlsx."), show_default=False),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=_("The file to write; its suffix (.yaml, .yml, .json or .xlsx) names the format."),
        ),
    ],
) -> None:
    """Convert project files between YAML, JSON and Excel (.xlsx) without losing anything."""
    if output.suffix.lower() not in CONVERT_FORMATS:
        raise typer.BadParameter(
            _("name the output .yaml, .yml, .json or .xlsx"), param_hint="--output"
        )

    def run() -> int:
        convert_file(source, output)
        err.print(_("wrote {path}").format(path=output))
        return EXIT_OK

    raise typer.Exit(guard(run))


@app.command(
    help=_(
        "Render a document's pages as PNG images (<name>-<page>.png), as LibreOffice lays them out."
    )
)
def preview(
    file: Annotated[
        Path,
        typer.Argument(
            help=_("A .docx (converted with LibreOffice first) or a .pdf."), show_default=False
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("Folder for the PNG pages."))
    ] = Path("preview"),
    dpi: Annotated[int, typer.Option("--dpi", min=10, max=600, help=_("Resolution."))] = 100,
    first: Annotated[int | None, typer.Option("--first", min=1, help=_("First page."))] = None,
    last: Annotated[int | None, typer.Option("--last", min=1, help=_("Last page."))] = None,
) -> None:
    """Render a document's pages as PNG images (<name>-<page>.png), as LibreOffice lays them out."""
    from docgen.preview import render_pages

    def run() -> int:
        for page in render_pages(file, output, dpi=dpi, first=first, last=last):
            out.print(_("wrote {path}").format(path=page))
        return EXIT_OK

    raise typer.Exit(guard(run))


@app.command(help=_("Run the HTTP service and its web page (FastAPI on uvicorn)."))
def serve(
    host: Annotated[str, typer.Option(help=_("Address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help=_("Port to listen on."))] = 8000,
) -> None:
    """Run the HTTP service and its web page (FastAPI on uvicorn)."""
    try:
        import uvicorn

        from docgen.service.app import create_app
    except ImportError:
        err.print(_("the service needs its extra: pip install 'jixiao-docgen[service]'"))
        raise typer.Exit(EXIT_FAILED) from None
    uvicorn.run(create_app(), host=host, port=port, log_level="info")


app.add_typer(templates_app, name="templates")
register_import(app)
app.command(
    "diff", help=_("Compare two .docx semantically; exit status 0 when the same, 1 when different.")
)(diff)


def _version(value: bool) -> None:
    if value:
        out.print(f"docgen {__version__}")
        raise typer.Exit()


@app.callback(help=_("Generate 财政项目支出绩效自评 documents from project data."))
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version.")),
    ] = False,
) -> None:
    """Generate 财政项目支出绩效自评 documents from project data."""


def main() -> None:
    """Run the command line."""
    app()


__all__ = ["app", "main"]
