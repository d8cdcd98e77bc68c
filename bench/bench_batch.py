"""Benchmark: ``docgen batch`` as a user runs it, against the plain docxtpl loop.

    .venv/bin/python bench/bench_batch.py                          # 1,000 and 10,000 projects
    .venv/bin/python bench/bench_batch.py --sizes 200 --formats yaml   # a quick look

For each input format (YAML, JSON) and size, the same generated projects (``bench/projects.py``:
texts up to 600 characters, 5–60 indicators, 10 projects a file) are rendered twice, in one run:

- **docgen**: the command ``docgen batch IN -o OUT --jobs N --quiet`` as a subprocess, from the
  work folder with relative paths: both documents, 汇总.xlsx, failures.json and the manifest.
- **plain loop**: docxtpl used the usual way — load the template, render, save, per document —
  over the same files and the same two templates, on a ``multiprocessing`` pool of the SAME N
  processes (a file per task); each project is read and checked by docgen first, as docgen does.
  With ``--plain-sample K`` it renders only the first K of the projects (the same for every
  size: its cost per document does not depend on how many there are) and the ratio compares
  documents per second; the table says so.

Peak RSS is sampled from /proc while each command runs: the main process, and the largest of
its workers.  The stage breakdown then times, in this one process over a sample, what a batch
does per project (parse, check, the context and the template per kind, zip, write) and the
summary workbook, to explain where the time goes.  Output is Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.projects import PROJECTS_PER_FILE, generate  # noqa: E402
from docgen.pipeline import check_source  # noqa: E402
from docgen.sources.loader import load_file  # noqa: E402

DOCGEN = Path(sys.executable).with_name("docgen")
SAMPLE_INTERVAL = 0.25


@dataclass
class Run:
    """One measured command: seconds, documents, peak RSS of the main process and a worker."""

    seconds: float
    documents: int
    main_mb: float
    worker_mb: float

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds

    @property
    def ms_per_doc(self) -> float:
        return self.seconds / self.documents * 1000


# --- peak memory from /proc -----------------------------------------------------------------


def _hwm_mb(pid: int) -> float:
    """Return a process's peak resident set (VmHWM) in MB, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += map(int, children)
        queue += map(int, children)
    return found


def measured(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run *command*; return (seconds, peak RSS of its main process, of its largest child)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    main = worker = 0.0
    while process.poll() is None:
        main = max(main, _hwm_mb(process.pid))
        worker = max([worker, *(_hwm_mb(child) for child in _descendants(process.pid))])
        time.sleep(SAMPLE_INTERVAL)
    seconds = time.perf_counter() - start
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited with {process.returncode}:\n"
            f"{stderr.decode()[-2000:]}{stdout.decode()[-2000:]}"
        )
    return seconds, main, worker


# --- the plain docxtpl loop ------------------------------------------------------------------


def plain_templates(folder: Path) -> dict[str, Path]:
    """Return the built-in templates as docxtpl itself can render them: without docgen's own
    structural tags (``{% vmerge %}`` merges, ``{% keepnext %}`` page rules), which plain
    docxtpl does not know."""
    templates = {}
    for kind in ("table", "report"):
        source = ROOT / "templates" / f"{kind}.docx"
        target = folder / f"plain_{kind}.docx"
        with (
            zipfile.ZipFile(source) as zin,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout,
        ):
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/document.xml":
                    data = re.sub(rb"\{%\s*(vmerge|keepnext)\b[^%]*%\}", b"", data)
                zout.writestr(info, data)
        templates[kind] = target
    return templates


def plain_file(task: tuple[str, str, dict[str, str]]) -> int:
    """Render one file's projects, both documents, the usual docxtpl way; return the count."""
    from docxtpl import DocxTemplate

    from docgen.render.documents import KINDS, template_context
    from docgen.render.environment import make_environment
    from docgen.render.templates import find, load

    path, out, templates = task
    env = make_environment()
    # The same variables docgen gives its templates (the built-in configs' words included).
    configs = {kind: load(find(kind)) for kind in templates}
    count = 0
    for source in load_file(path):
        item = check_source(source)
        assert item.project is not None and item.evaluation is not None, item.findings
        for kind, template in templates.items():
            document = DocxTemplate(template)
            context = template_context(configs[kind], KINDS[kind], item.project, item.evaluation)
            document.render(context, env)
            document.save(Path(out) / f"{Path(path).stem}_{source.index}_{kind}.docx")
            count += 1
    return count


def plain_main(args: argparse.Namespace) -> int:
    """The plain loop as its own command (measured like docgen's): a pool of --jobs processes."""
    out = Path(args.plain_out)
    out.mkdir(parents=True, exist_ok=True)
    templates = {k: str(v) for k, v in plain_templates(out).items()}
    files = sorted(str(p) for p in Path(args.plain_in).iterdir() if p.is_file())
    with Pool(args.jobs) as pool:
        count = sum(pool.imap_unordered(plain_file, [(f, str(out), templates) for f in files]))
    print(count)
    return 0


# --- the stage breakdown ---------------------------------------------------------------------


def stages(files: list[Path], work: Path) -> dict[str, float]:
    """Return ms per project of each stage of a batch, timed in this process over *files*."""
    from docgen.batch import ProjectResult
    from docgen.excel.summary import build_summary
    from docgen.ooxml.zipwriter import Entry, write_zip
    from docgen.output import write_atomic
    from docgen.render.documents import KINDS, Renderer, template_context
    from docgen.render.prepared import RENDERED_LEVEL

    renderer = Renderer()
    for kind in KINDS.values():
        renderer.template(kind).prepared  # noqa: B018 — prepared once, as each worker does
    times = dict.fromkeys(
        ["parse", "check", *(f"render {k.label}" for k in KINDS.values()),
         *(f"zip {k.label}" for k in KINDS.values()), "write", "summary"], 0.0,
    )  # fmt: skip
    projects = 0
    results = []
    out = work / "stages"
    out.mkdir(exist_ok=True)
    clock = time.perf_counter
    for path in files:
        start = clock()
        sources = load_file(path)
        times["parse"] += clock() - start
        for source in sources:
            start = clock()
            item = check_source(source)
            times["check"] += clock() - start
            assert item.project is not None and item.evaluation is not None
            for kind in KINDS.values():
                start = clock()
                loaded = renderer.template(kind, None, renderer.edition(item.project))
                context = template_context(loaded, kind, item.project, item.evaluation)
                parts = loaded.prepared.render_parts(context)
                middle = clock()
                static = loaded.prepared._static
                data = write_zip(
                    Entry.deflated(name, parts[name], RENDERED_LEVEL) if name in parts
                    else static[name]
                    for name in loaded.prepared.package.names()
                )  # fmt: skip
                end = clock()
                times[f"render {kind.label}"] += middle - start
                times[f"zip {kind.label}"] += end - middle
                start = clock()
                write_atomic(out / kind.filename(item.project), data, durable=False)
                times["write"] += clock() - start
            projects += 1
            results.append(
                ProjectResult(
                    str(path), 0, source.index, item.label, "written",
                    outputs=(f"{item.project.name}.docx",),
                    summary=_summary(item),
                )
            )  # fmt: skip
    start = clock()
    build_summary(_Report(results))
    times["summary"] = clock() - start
    return {name: seconds / projects * 1000 for name, seconds in times.items()}


def _summary(item: Any) -> dict[str, Any]:
    """Return the figures 汇总.xlsx shows of a project (as a batch's worker reports them)."""
    project, ev = item.project, item.evaluation
    return {
        "年度": project.year, "项目名称": project.name, "主管部门": project.department,
        "实施单位": project.implementing_unit, "金额单位": project.amount_unit,
        "年初预算数": str(ev.total.initial), "全年预算数": str(ev.total.budget),
        "全年执行数": str(ev.total.executed), "执行率": str(ev.rate),
        "资金得分": str(ev.funds_score), "总分": str(ev.total_score),
        "评分等级": str(ev.grade), "评分规则": None,
    }  # fmt: skip


@dataclass
class _Report:
    results: list[Any]

    @property
    def failures(self) -> list[Any]:
        return []


# --- the run ---------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def compare(
    fmt: str, count: int, jobs: int, work: Path, plain_sample: int | None = None
) -> tuple[Run, Run]:
    """Render *count* generated projects with docgen batch and with the plain loop (over the
    first *plain_sample* of them, when given)."""
    folder = work / f"{fmt}_{count}"
    generate(count, folder / "in", fmt)
    seconds, main, worker = measured(
        [str(DOCGEN), "batch", "in", "-o", "out", "--jobs", str(jobs), "--quiet"], folder
    )
    written = sorted((folder / "out").glob("*.docx"))
    for report in ("汇总.xlsx", ".docgen-manifest.jsonl", "failures.json"):
        assert (folder / "out" / report).is_file(), report
    docgen = Run(seconds, len(written), main, worker)
    plain_in = "in"
    if plain_sample is not None and plain_sample < count:
        plain_in = "plain_in"
        (folder / plain_in).mkdir()
        files = sorted((folder / "in").iterdir())[: -(-plain_sample // PROJECTS_PER_FILE)]
        for path in files:
            (folder / plain_in / path.name).write_bytes(path.read_bytes())
    seconds, main, worker = measured(
        [sys.executable, __file__, "--plain-in", plain_in, "--plain-out", "plain",
         "--jobs", str(jobs)],
        folder,
    )  # fmt: skip
    plain = Run(seconds, len(list((folder / "plain").glob("*_*_*.docx"))), main, worker)
    return docgen, plain


def main() -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="numbers of projects (default: 1000 10000)")  # fmt: skip
    parser.add_argument("--formats", nargs="+", choices=("yaml", "json"), default=["yaml", "json"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes of docgen and of the plain loop")  # fmt: skip
    parser.add_argument("--stage-sample", type=int, default=200,
                        help="projects timed stage by stage (default: 200)")  # fmt: skip
    parser.add_argument("--plain-sample", type=int, metavar="K",
                        help="render only the first K projects with the plain loop and compare "
                        "documents per second (default: all of them)")  # fmt: skip
    parser.add_argument("--plain-in", help=argparse.SUPPRESS)
    parser.add_argument("--plain-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_in:
        return plain_main(args)
    command = "python bench/bench_batch.py " + " ".join(sys.argv[1:])
    print(
        f"`{command.strip()}` — {platform.machine()}, {os.cpu_count()} cores, "
        f"{args.jobs} processes each, Python {platform.python_version()}, "
        f"load average at start {_load()}\n"
    )
    print("| input | projects | documents | docgen batch | docs/s | ms/doc | plain loop | "
          "docs/s | ratio | peak RSS main / worker |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as work:
        for count in args.sizes:
            for fmt in args.formats:
                docgen, plain = compare(fmt, count, args.jobs, Path(work), args.plain_sample)
                sampled = min(count, args.plain_sample or count)
                assert docgen.documents == 2 * count, docgen
                assert plain.documents >= 2 * sampled, plain
                plain_time = f"{plain.seconds:.1f} s"
                if plain.documents < docgen.documents:
                    plain_time += f" ({plain.documents:,} docs)"
                print(
                    f"| {fmt.upper()} | {count:,} | {docgen.documents:,} | "
                    f"{docgen.seconds:.1f} s | {docgen.docs_per_second:.0f} | "
                    f"{docgen.ms_per_doc:.2f} | "
                    f"{plain_time} | {plain.docs_per_second:.1f} | "
                    f"{docgen.docs_per_second / plain.docs_per_second:.1f}× | "
                    f"{docgen.main_mb:.0f} / {docgen.worker_mb:.0f} MB |",
                    flush=True,
                )
        sample = min(args.stage_sample, max(args.sizes))
        files = generate(sample, Path(work) / "stage_input", args.formats[0])
        breakdown = stages(files, Path(work))
    total = sum(breakdown.values())
    print(f"\nStages of one project, both documents, in one process ({sample} "
          f"{args.formats[0].upper()} projects):\n")  # fmt: skip
    print("| stage | ms per project | share |\n| --- | ---: | ---: |")
    for name, ms in breakdown.items():
        print(f"| {name} | {ms:.2f} | {ms / total:.0%} |")
    print(f"| total | {total:.2f} | |")
    print(f"\nload average at the end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
