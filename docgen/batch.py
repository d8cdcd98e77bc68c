"""Many projects at once: parallel workers, resumable, atomic, with a failure report.

The runner takes project files, hands them to workers of any ``concurrent.futures``-style
executor (processes by default), and collects one ``ProjectResult`` per project in input order.
Each worker prepares the templates once and renders every project of its files; documents are
written under temporary names and renamed, so an interrupted run never leaves a truncated
.docx.  A manifest in the output folder remembers what each project's documents were made
from (a hash of its data, the templates and docgen's version): a re-run skips them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.engine import CheckedProject, Engine, NamePlan, RunSettings, ValidProject
from docgen.errors import DocgenError, InvalidProjectError, OutputError, Severity
from docgen.i18n import _
from docgen.output import remove_stale_temporaries, write_atomic
from docgen.render.documents import KINDS
from docgen.rules.evaluate import RuleOptions
from docgen.sources.loader import load_file
from docgen.worker_limits import RENDER_TIMEOUT, WORKER_MEMORY, limit_memory, time_limit

MANIFEST = ".docgen-manifest.jsonl"
FAILURES = "failures.json"
FILES_PER_TASK = 4


@dataclass(frozen=True)
class Options:
    """What every worker needs to know about the run."""

    output: str
    settings: RunSettings = field(default_factory=RunSettings)
    """The run's templates, kinds and rules (``--templates``, ``--kind``, ``--rounding`` …)."""
    force: bool = False
    prune: bool = False
    """Remove the documents of earlier runs that no project makes any more."""
    shown: tuple[tuple[str, str], ...] = ()
    """(path, name) of files that messages and reports name otherwise (a service's uploads)."""

    @property
    def kinds(self) -> tuple[str, ...]:
        """Return the keys of the kinds the run writes."""
        return self.settings.kinds

    @property
    def engine(self) -> Engine:
        """Return the engine for this run (one per process: templates cached)."""
        return _engine(self.settings)

    def name_of(self, path: str) -> str:
        """Return how reports name the input file *path*."""
        return dict(self.shown).get(path, path)


@lru_cache(maxsize=8)
def _engine(settings: RunSettings) -> Engine:
    return Engine(settings)


@dataclass(frozen=True)
class ProjectResult:
    """The outcome for one project (or for a file that could not be read)."""

    file: str
    file_index: int
    index: int
    project: str
    status: str  # "written", "skipped" or "failed"
    outputs: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()  # SHA-256 of each output's bytes, as written
    errors: tuple[str, ...] = ()
    problems: tuple[dict[str, Any], ...] = ()
    """The errors as structured findings (file, line, field, severity, message, hint)."""
    warnings: tuple[str, ...] = ()
    key: str = ""
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return whether the project's documents exist and are current."""
        return self.status != "failed"


Known = dict[tuple[str, int], tuple[str, tuple[str, ...], tuple[str, ...]]]
"""What earlier runs rendered: (file, project index) → (key, output names, their hashes)."""


@dataclass(frozen=True)
class _Task:
    files: tuple[tuple[int, str], ...]
    options: Options
    known: Known


def project_key(item: ValidProject, options: Options) -> str:
    """Return the hash that changes whenever the documents of *item* would change."""
    renderer = options.engine.renderer
    form = renderer.edition(item.project)
    templates = "".join(
        renderer.template(kind, item.data_file, form).fingerprint
        for kind in options.settings.kind_list
    )
    digest = hashlib.sha256(_run_key(options.kinds, options.settings.rules, templates).encode())
    digest.update(json.dumps(item.checked.source.data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _run_key(kinds: tuple[str, ...], rules: RuleOptions, templates: str) -> str:
    """Return what projects with the same templates share: docgen's version, settings."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(f"{kinds}{rules}".encode())
    digest.update(templates.encode())
    return digest.hexdigest()


def _summary(item: ValidProject, options: Options) -> dict[str, Any]:
    """Return the figures of one project for the summary workbook (JSON-safe)."""
    project, ev = item.project, item.evaluation
    renderer = options.engine.renderer
    table = renderer.template(KINDS["table"], item.data_file, renderer.edition(project))
    return {
        "年度": project.year,
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementing_unit,
        "金额单位": project.amount_unit,
        "年初预算数": str(ev.total.initial),
        "全年预算数": str(ev.total.budget),
        "全年执行数": str(ev.total.executed),
        "执行率": str(ev.rate),
        "资金得分": str(ev.funds_score),
        "总分": str(ev.total_score),
        "评分等级": table.config.words()[ev.grade],
        "评分规则": ev.scoring.value if ev.scoring is not None else None,
    }


def _render_project(
    item: CheckedProject, options: Options, known: Known, file_index: int
) -> ProjectResult:
    source = item.source
    result = ProjectResult(source.file, file_index, source.index, item.label, "failed")
    valid = item.valid
    if valid is None:
        return replace(
            result,
            errors=tuple(str(f) for f in item.errors),
            problems=tuple(f.to_json() for f in item.errors),
        )
    key = project_key(valid, options)
    result = replace(
        result,
        key=key,
        warnings=tuple(str(f) for f in item.warnings),
        summary=_summary(valid, options),
    )
    output = Path(options.output)
    previous = known.get((source.file, source.index))
    fresh = not options.force and previous is not None and previous[0] == key
    if fresh and previous is not None and _intact(output, previous[1], previous[2]):
        return replace(result, status="skipped", outputs=previous[1], hashes=previous[2])
    names, hashes = options.engine.filenames(valid), []
    for kind, name in zip(options.settings.kind_list, names, strict=True):
        with time_limit(RENDER_TIMEOUT, kind.label):  # each document its own limit
            data = options.engine.render(valid, kind)
        write_atomic(output / name, data, durable=False)
        hashes.append(hashlib.sha256(data).hexdigest())
    return replace(result, status="written", outputs=tuple(names), hashes=tuple(hashes))


def _intact(folder: Path, names: tuple[str, ...], hashes: tuple[str, ...]) -> bool:
    """Return whether every named output is there with the bytes it was written with.

    A document truncated, damaged or edited since is rendered again. (A clash-renamed
    ``…_2.docx`` has the bytes of its first rendering: names are not part of a document.)
    """
    if not names or len(hashes) != len(names):
        return False
    for name, expected in zip(names, hashes, strict=True):
        try:
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != expected:
                return False
        except OSError:
            return False
    return True


def _run_task(task: _Task) -> list[ProjectResult]:
    """Process the files of one task (in a worker); never raise for a project's problem."""
    results: list[ProjectResult] = []
    engine = task.options.engine
    for file_index, path in task.files:
        name = task.options.name_of(path)
        try:
            sources = load_file(path, name)
            defaults = engine.defaults(Path(path))
        except DocgenError as exc:
            results.append(_failed(name, file_index, 0, "", exc))
            continue
        for source in sources:
            label = _label(source.data, source.index)
            try:
                item = engine.check(source, Path(path), defaults)
                result = _render_project(item, task.options, task.known, file_index)
            except DocgenError as exc:
                result = _failed(name, file_index, source.index, label, exc)
            except MemoryError:  # a worker's address space is limited (DOCGEN_WORKER_MEMORY)
                message = _("ran out of memory (a worker may use {size} MB)").format(
                    size=f"{WORKER_MEMORY // 2**20:,}"
                )
                error = DocgenError(message, file=name, hint=_("raise DOCGEN_WORKER_MEMORY"))
                result = _failed(name, file_index, source.index, label, error)
            except Exception as exc:  # a bug of ours: report it, go on with the next project
                message = _("internal error: {error} (a bug in docgen)").format(
                    error=f"{type(exc).__name__}: {exc}"
                )
                error = DocgenError(message, file=name, hint=_("please report it"))
                result = _failed(name, file_index, source.index, label, error)
            results.append(result)
    return results


def _failed(file: str, file_index: int, index: int, label: str, exc: DocgenError) -> ProjectResult:
    """Return the result of a project (or file) that *exc* stopped, its errors structured."""
    if isinstance(exc, InvalidProjectError):
        problems = tuple(f.to_json() for f in exc.findings if f.severity is Severity.ERROR)
    else:
        problems = (exc.to_json(),)
    return ProjectResult(
        file, file_index, index, label, "failed", errors=(str(exc),), problems=problems
    )


def _label(data: Any, index: int) -> str:
    name = data.get("项目名称") or data.get("name") if isinstance(data, dict) else None
    return str(name) if name else f"project #{index + 1}"


class SerialExecutor(Executor):
    """An executor that runs each task at once in this process (``--jobs 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, as executors do
            future.set_exception(exc)
        return future


def _warm(options: Options) -> None:
    """Limit a worker's memory; prepare the built-in or --templates templates once."""
    limit_memory(WORKER_MEMORY)
    try:
        for kind in options.settings.kind_list:
            options.engine.renderer.template(kind).prepared  # noqa: B018 — compiled, cached
    except DocgenError:
        pass  # reported per project when it is used


def default_executor(jobs: int, options: Options) -> Executor:
    """Return a process pool of *jobs* workers (or a serial executor for one job)."""
    if jobs <= 1:
        return SerialExecutor()
    return ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(options,))


def read_manifest(folder: Path) -> tuple[Known, set[str]]:
    """Return what earlier runs recorded: (file, index) → (key, output names, hashes), and
    the names of documents they found no project makes any more."""
    known: Known = {}
    stale: set[str] = set()
    try:
        lines = (folder / MANIFEST).read_bytes().splitlines()
    except OSError:
        return known, stale
    for line in lines:
        try:  # each line alone: a line torn by an interrupted run (even inside a character)
            entry = json.loads(line.decode("utf-8"))
            if "stale" in entry:
                stale.add(str(entry["stale"]))
                continue
            known[(entry["file"], int(entry["index"]))] = (
                str(entry["key"]),
                tuple(map(str, entry["outputs"])),
                tuple(map(str, entry.get("hashes", ()))),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # then its project is rendered again
    return known, stale


def _entry(result: ProjectResult) -> dict[str, Any]:
    return {"file": result.file, "index": result.index, "key": result.key,
            "outputs": list(result.outputs), "hashes": list(result.hashes)}  # fmt: skip


class Manifest:
    """An append-only record of rendered projects, safe to cut off at any point."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self._handle = self.path.open("a", encoding="utf-8")
        self.error: OSError | None = None  # the first write that failed (a full disk …)

    def record(self, result: ProjectResult) -> None:
        """Remember that *result*'s documents are current (a failed write is kept, not raised:
        the run goes on, and the projects not recorded are rendered again next time)."""
        if self.error is not None:
            return
        try:
            self._handle.write(json.dumps(_entry(result), ensure_ascii=False) + "\n")
            self._handle.flush()
        except OSError as exc:
            self.error = exc

    def close(self) -> None:
        """Close the record."""
        try:
            self._handle.close()
        except OSError as exc:
            self.error = self.error or exc

    def compact(self, results: Iterable[ProjectResult], stale: Iterable[str] = ()) -> None:
        """Rewrite the record with exactly the current projects' entries (and stale names)."""
        self.close()
        lines = [json.dumps(_entry(r), ensure_ascii=False) for r in results if r.ok]
        lines += [json.dumps({"stale": name}, ensure_ascii=False) for name in stale]
        write_atomic(self.path, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))


@dataclass
class BatchReport:
    """Everything a batch run produced, in input order."""

    results: list[ProjectResult]
    output: Path
    stale: list[str] = field(default_factory=list)  # earlier outputs no project makes now
    pruned: bool = False
    problems: list[str] = field(default_factory=list)  # reports that could not be written

    @property
    def failures(self) -> list[ProjectResult]:
        """Return the projects (and files) that failed."""
        return [r for r in self.results if not r.ok]

    def counts(self) -> dict[str, int]:
        """Return how many projects were written, skipped and failed."""
        counts = {"written": 0, "skipped": 0, "failed": 0}
        for result in self.results:
            counts[result.status] += 1
        return counts


def run_batch(
    files: list[Path],
    options: Options,
    executor: Executor | None = None,
    jobs: int = 1,
    on_result: Callable[[ProjectResult], None] | None = None,
) -> BatchReport:
    """Render every project of *files* into ``options.output``; return the report.

    *executor* may be any ``concurrent.futures``-style executor (a process pool, a Dask
    client's executor …); without one, *jobs* worker processes are used.  *on_result* is
    called in this process as each project finishes (for progress display).
    """
    output = Path(options.output)
    _prepare(output)
    remove_stale_temporaries(output)
    previous, stale_before = read_manifest(output)
    known = {} if options.force else previous
    numbered = [(i, str(path)) for i, path in enumerate(files)]
    chunks = [numbered[i : i + FILES_PER_TASK] for i in range(0, len(numbered), FILES_PER_TASK)]
    tasks = [_Task(tuple(chunk), options, _known_for(known, chunk)) for chunk in chunks]
    own = executor is None
    pool = default_executor(jobs, options) if executor is None else executor
    try:
        manifest = Manifest(output)
    except OSError as exc:
        raise _unwritable(output, exc) from None
    results: list[ProjectResult] = []
    try:
        for batch in _completed(pool, tasks, window=max(2, jobs) * 4):
            for result in batch:
                if result.ok:
                    manifest.record(result)
                if on_result is not None:
                    on_result(result)
                results.append(result)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    results.sort(key=lambda r: (r.file_index, r.index))
    results = _settle_name_clashes(results, options, dict(numbered))
    report = BatchReport(results, output, _stale(output, previous, stale_before, results))
    if options.prune:
        for name in report.stale:
            (output / name).unlink(missing_ok=True)
            (output / name).with_suffix(".pdf").unlink(missing_ok=True)
        report.pruned = True
    # The reports first: on a full disk, failures.json says more than a resumable manifest.
    try:
        write_failures(report)
    except DocgenError as exc:
        report.problems.append(str(exc))
    try:
        manifest.compact(results, () if report.pruned else report.stale)
    except (OSError, DocgenError) as exc:
        manifest.error = manifest.error or OSError(str(exc))
    if manifest.error is not None:
        reason = manifest.error.strerror or str(manifest.error)
        report.problems.append(
            _(
                "{path}: cannot record what was written ({reason}): "
                "the next run renders these projects again"
            ).format(path=manifest.path, reason=reason)
        )
    return report


def _prepare(output: Path) -> None:
    """Create the output folder, or say plainly why it cannot be one."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / f"{MANIFEST}.probe"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise _unwritable(output, exc) from None


def _unwritable(output: Path, exc: OSError) -> OutputError:
    reason = _("a file of that name exists") if output.is_file() else exc.strerror or str(exc)
    return OutputError(
        _("cannot write the documents into this folder: {reason}").format(reason=reason),
        file=str(output),
        hint=_("name a folder you may write to with -o"),
    )


def _stale(
    output: Path, previous: Known, stale: set[str], results: list[ProjectResult]
) -> list[str]:
    """Return the documents earlier runs wrote that no project of this run makes any more.

    They stay listed in the manifest, run after run, until ``--prune`` removes them.
    """
    current = {name for r in results for name in r.outputs}
    earlier = stale | {name for _key, names, _hashes in previous.values() for name in names}
    plain = {n for n in earlier - current if Path(n).name == n and not n.startswith(".")}
    return sorted(n for n in plain if n.endswith(".docx") and (output / n).is_file())


def _known_for(known: Known, files: list[tuple[int, str]]) -> Known:
    names = {path for _index, path in files}
    return {key: value for key, value in known.items() if key[0] in names}


def _completed(pool: Executor, tasks: list[_Task], window: int) -> Iterator[list[ProjectResult]]:
    """Yield each task's results as it finishes, with at most *window* tasks in flight."""
    pending: set[Future[list[ProjectResult]]] = set()
    queue = iter(tasks)
    for task in queue:
        pending.add(pool.submit(_run_task, task))
        if len(pending) >= window:
            break
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()
            for task in queue:
                pending.add(pool.submit(_run_task, task))
                break


def _settle_name_clashes(
    results: list[ProjectResult], options: Options, paths: dict[int, str]
) -> list[ProjectResult]:
    """Give later projects that share an output name a numbered name, in input order.

    Workers render in parallel, so a clash is seen only here; the names follow the one rule
    (``NamePlan``) that ``docgen render`` and the service follow.
    """
    plan = NamePlan()
    owner: dict[str, ProjectResult] = {}
    settled: list[ProjectResult] = []
    for result in results:
        clashes = [name for name in result.outputs if name in plan.taken]
        if not clashes:
            plan.taken.update(result.outputs)
            owner.update(dict.fromkeys(result.outputs, result))
            settled.append(result)
            continue
        renamed = replace(result, outputs=tuple(plan.claim(n) for n in result.outputs))
        _rerender(renamed, options, set(renamed.outputs), paths)
        owner.update(dict.fromkeys(renamed.outputs, renamed))
        settled.append(renamed)
        for name in clashes:  # the first owner's document may have been overwritten
            _rerender(owner[name], options, {name}, paths)
    return settled


def _rerender(
    result: ProjectResult, options: Options, names: set[str], paths: dict[int, str]
) -> None:
    """Render *result*'s project again into the named outputs (after a clash)."""
    engine, path = options.engine, Path(paths[result.file_index])
    for item in engine.check_file(path, result.file):
        valid = item.valid
        if item.source.index != result.index or valid is None:
            continue
        for kind, name in zip(options.settings.kind_list, result.outputs, strict=True):
            if name in names:
                write_atomic(Path(options.output) / name, engine.render(valid, kind), durable=False)


def write_failures(report: BatchReport) -> Path:
    """Write ``failures.json`` (an empty list when all went well) and return its path."""
    path = report.output / FAILURES
    entries = [
        {"file": r.file, "project": r.project, "index": r.index, "errors": list(r.problems)}
        for r in report.failures
    ]
    write_atomic(path, (json.dumps(entries, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path


__all__ = ["BatchReport", "Options", "ProjectResult", "default_executor", "run_batch"]
