"""How a batch shows itself: progress while it runs, the report and files after."""

from __future__ import annotations

import threading
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from docgen.batch import BatchReport, ProjectResult
from docgen.errors import InputError, Severity
from docgen.excel.summary import SUMMARY, build_summary
from docgen.i18n import N_, _
from docgen.ooxml.combine import combine
from docgen.output import write_atomic
from docgen.render.documents import KINDS

STYLE = {"written": "green", "skipped": "dim", "failed": "red"}
STATUS_WORDS = {"written": N_("written"), "skipped": N_("skipped"), "failed": N_("failed")}


class BatchProgress:
    """A progress bar on a terminal, one log line per project otherwise."""

    def __init__(self, console: Console, files: int, quiet: bool) -> None:
        self.console = console
        self.quiet = quiet
        self.files_seen: set[int] = set()
        self.bar: Progress | None = None
        if console.is_terminal and not quiet:
            self.bar = Progress(
                TextColumn("[bold]docgen batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(
                    _("files · {projects} projects").format(projects="{task.fields[projects]}")
                ),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.task = self.bar.add_task("batch", total=files, projects=0)
        self.projects = 0

    def __enter__(self) -> BatchProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, result: ProjectResult) -> None:
        self.projects += 1
        if self.bar is not None:
            new_file = result.file_index not in self.files_seen
            self.files_seen.add(result.file_index)
            self.bar.update(self.task, advance=1 if new_file else 0, projects=self.projects)
        elif not self.quiet:
            where = f"{result.file}: {result.project}" if result.project else result.file
            status = _(STATUS_WORDS[result.status])
            self.console.print(Text(f"{status:8} {where}", style=STYLE[result.status]))


class PdfProgress:
    """A progress bar while LibreOffice converts, on a terminal; a line per tenth otherwise.

    Called from the converter's worker threads with the number of documents just finished.
    """

    def __init__(self, console: Console, total: int, quiet: bool) -> None:
        self.console = console
        self.total = total
        self.quiet = quiet
        self.done = 0
        self.lock = threading.Lock()
        self.bar: Progress | None = None
        if console.is_terminal and not quiet:
            self.bar = Progress(
                TextColumn("[bold]PDF"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(_("documents")),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.task = self.bar.add_task("pdf", total=total)

    def __enter__(self) -> PdfProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, finished: int) -> None:
        with self.lock:
            before, self.done = self.done, self.done + finished
            if self.bar is not None:
                self.bar.update(self.task, completed=self.done)
            elif not self.quiet and self.total >= 10:
                step = -(-self.total // 10)
                if before // step != self.done // step or self.done == self.total:
                    self.console.print(
                        _("PDF {done}/{total} documents").format(done=self.done, total=self.total)
                    )


def write_summary(report: BatchReport) -> Path:
    """Write ``汇总.xlsx`` into the batch's output folder and return its path."""
    path = report.output / SUMMARY
    write_atomic(path, build_summary(report))
    return path


def write_combined(report: BatchReport, kinds: tuple[str, ...]) -> list[Path]:
    """Write one document per kind with every project's document in input order."""
    written = []
    for position, key in enumerate(kinds):
        paths = [
            report.output / result.outputs[position]
            for result in report.results
            if result.ok and len(result.outputs) > position
        ]
        if not paths:
            continue
        target = report.output / f"汇总_{KINDS[key].label}.docx"
        write_atomic(target, combine(paths))
        written.append(target)
    return written


def print_report(
    console: Console,
    report: BatchReport,
    summary: Path | None,
    combined: list[Path],
    problems: list[InputError],
    quiet: bool,
) -> None:
    """Print the failures, what was written where, and the counts."""
    for failure in report.failures:
        failed = _("FAILED {file}: {project}").format(file=failure.file, project=failure.project)
        console.print(Text(failed, style="bold red"))
        for error in failure.errors:
            console.print(Text("  " + error.replace("\n", "\n  "), style="red"))
    counts = report.counts()
    for problem in report.problems:
        console.print(Text(f"{Severity.ERROR.label}: {problem}", style="red"))
    if not quiet:
        if summary is not None:
            console.print(_("summary: {path}").format(path=summary))
        for path in combined:
            console.print(_("combined: {path}").format(path=path))
        if report.failures:
            console.print(_("failures: {path}").format(path=report.output / "failures.json"))
    if report.stale:
        shown = ", ".join(report.stale[:5]) + (" …" if len(report.stale) > 5 else "")
        if report.pruned:
            console.print(
                _("removed {count} old document(s) of no project now: {names}").format(
                    count=len(report.stale), names=shown
                )
            )
        else:
            console.print(
                Text(
                    _(
                        "{count} old document(s) in {output} are no longer made by "
                        "any project (renamed or removed?): {names}; --prune removes them"
                    ).format(count=len(report.stale), output=report.output, names=shown),
                    style="yellow",
                )
            )
    line = _("{written} written, {skipped} unchanged (skipped), {failed} failed").format(
        written=counts["written"], skipped=counts["skipped"], failed=counts["failed"]
    )
    if problems:
        line += _(", {count} input(s) not found").format(count=len(problems))
    console.print(Text(line, style="red" if report.failures or problems else "green"))


def report_json(
    report: BatchReport, summary: Path | None, combined: list[Path], problems: list[InputError]
) -> dict[str, Any]:
    """Return the machine-readable result of a batch."""
    return {
        "output": str(report.output),
        "counts": report.counts(),
        "projects": [asdict(result) for result in report.results],
        "failures": [asdict(result) for result in report.failures],
        "inputs_not_found": [str(p) for p in problems],
        "summary": str(summary) if summary is not None else None,
        "report_errors": report.problems,
        "combined": [str(p) for p in combined],
        "stale": report.stale,
        "pruned": report.pruned,
    }


__all__ = ["BatchProgress", "print_report", "report_json", "write_combined"]
