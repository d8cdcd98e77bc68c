"""Benchmark: docgen batch against the usual docxtpl loop, and docgen at scale.

    .venv/bin/python bench/bench_batch.py                 # sample + 1,000 + 10,000 projects
    .venv/bin/python bench/bench_batch.py --scales 1000   # quicker

Projects are generated from the examples in data/ (names, figures and 5–60 indicators varied
with a fixed seed).  Three measurements:

1. **Side by side, 自评表 only, same projects and template.**  The plain loop is docxtpl used
   the usual way — load the template, render, save, per document — in one process, with the
   same context docgen builds.  docgen runs ``docgen batch`` (all cores).  Both outputs are
   compared cell by cell (docgen's merged cells unfolded), and one docgen output is opened by
   LibreOffice when ``soffice`` is installed.
2. **Scale**: ``docgen batch`` on 1,000 and 10,000 projects, both documents each, in a fresh
   process per scale so that peak RSS is that run's own (main process and each worker).

It prints docs/s, ms/doc and peak RSS for each, and the speed-up of docgen over the loop.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from docx import Document  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from docgen.batch import Options, run_batch  # noqa: E402
from docgen.pipeline import check_source  # noqa: E402
from docgen.rules.targets import target_met  # noqa: E402
from docgen.sources.loader import load_file  # noqa: E402

PROJECTS_PER_FILE = 10


def _examples() -> list[dict[str, Any]]:
    projects = []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        for source in load_file(path):
            item = check_source(source)
            assert item.project is not None, item.findings
            projects.append(item.project.model_dump(mode="json", exclude_none=True))
    return projects


def _vary(base: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """Return a new project: another name, scaled figures, 5 to 60 indicators."""
    project = json.loads(json.dumps(base))
    project.pop("总分", None)
    project.pop("评分等级", None)
    project.pop("自评报告", None)
    project["项目名称"] = f"{base['项目名称']}（样本{number:05d}）"
    funds = project["项目资金"]
    for key in ("执行率", "得分", "年度资金总额"):
        funds.pop(key, None)
    factor = Decimal(rng.randint(50, 400)) / 100
    line = funds["当年财政拨款"]
    budget = (Decimal(line["全年预算数"]) * factor).quantize(Decimal("0.01"))
    line["年初预算数"] = line["全年预算数"] = str(budget)
    line["全年执行数"] = str(
        (budget * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01"))
    )
    # Rows that met their target with full marks: the generated projects check clean.
    rows = [
        row
        for row in project["绩效指标"]
        if row.get("得分", row["分值"]) == row["分值"]
        and target_met(row["年度指标值"], row["实际完成值"]) is not False
    ]
    count = rng.randint(5, 60)
    indicators = [dict(rows[i % len(rows)]) for i in range(count)]
    indicators.sort(key=lambda r: (r["一级指标"], r["二级指标"]))  # keep groups together
    weight = (Decimal(90) / count).quantize(Decimal("0.01"))
    for i, row in enumerate(indicators):
        row["三级指标"] = f"{row['三级指标']}{i + 1}"
        row["分值"] = str(weight if i < count - 1 else Decimal(90) - weight * (count - 1))
        row["得分"] = row["分值"]
        row.pop("偏差原因分析及改进措施", None)
    project["绩效指标"] = indicators
    return project


def generate(count: int, folder: Path, seed: int = 20261123, fmt: str = "json") -> list[Path]:
    """Write *count* generated projects into *folder*, 10 per file; return the files."""
    rng = random.Random(seed)
    bases = _examples()
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, count, PROJECTS_PER_FILE):
        chunk = [
            _vary(bases[n % len(bases)], n, rng)
            for n in range(start, min(start + PROJECTS_PER_FILE, count))
        ]
        path = folder / f"projects_{start // PROJECTS_PER_FILE:05d}.{fmt}"
        if fmt == "json":
            text = json.dumps(chunk, ensure_ascii=False, indent=1)
        else:
            text = yaml.safe_dump(chunk, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _plain_template(folder: Path) -> Path:
    """Return the built-in 自评表 as docxtpl itself can render it (no docgen merge tag)."""
    source = ROOT / "templates" / "table.docx"
    target = folder / "plain_table.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"{% vmerge %}", b"")
            zout.writestr(info, data)
    return target


def plain_loop(files: list[Path], out: Path, template: Path) -> tuple[int, float]:
    """Render every project's 自评表 the usual docxtpl way; return (documents, seconds)."""
    from docxtpl import DocxTemplate

    from docgen.render.context import table_context
    from docgen.render.environment import make_environment

    out.mkdir(parents=True, exist_ok=True)
    env = make_environment()
    count = 0
    start = time.perf_counter()
    for path in files:
        for source in load_file(path):
            item = check_source(source)
            assert item.project is not None and item.evaluation is not None
            document = DocxTemplate(template)
            document.render(table_context(item.project, item.evaluation), env)
            document.save(out / f"{count:05d}.docx")
            count += 1
    return count, time.perf_counter() - start


def _texts(path: Path) -> list[list[str]]:
    """Return each table row's cell texts, vertically merged cells unfolded."""
    document = Document(str(path))
    rows = []
    for table in document.tables:
        above: dict[int, str] = {}
        for tr in table._tbl.tr_lst:
            cells = []
            for column, tc in enumerate(tr.tc_lst):
                merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                if merge is not None and merge.get(qn("w:val")) is None:
                    text = above.get(column, "")
                above[column] = text
                cells.append(text)
            rows.append(cells)
    return rows


def _peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def side_by_side(count: int, work: Path, fmt: str) -> dict[str, Any]:
    """Compare the plain loop and docgen batch on the same projects (自评表 only)."""
    files = generate(count, work / "sample", fmt=fmt)
    plain_out, docgen_out = work / "plain", work / "docgen"
    documents, plain_seconds = plain_loop(files, plain_out, _plain_template(work))
    start = time.perf_counter()
    report = run_batch(files, Options(str(docgen_out), ("table",)), jobs=_jobs())
    docgen_seconds = time.perf_counter() - start
    assert not report.failures, report.failures[:3]
    outputs = [docgen_out / r.outputs[0] for r in report.results]
    mismatches = sum(
        _texts(mine) != _texts(plain_out / f"{i:05d}.docx") for i, mine in enumerate(outputs)
    )
    return {
        "documents": documents,
        "plain_ms_per_doc": plain_seconds / documents * 1000,
        "docgen_ms_per_doc": docgen_seconds / documents * 1000,
        "speedup": plain_seconds / docgen_seconds,
        "content_mismatches": mismatches,
        "libreoffice": _libreoffice_opens(outputs[0], work),
    }


def _libreoffice_opens(path: Path, work: Path) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "not installed"
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(path)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    ok = result.returncode == 0 and (work / (path.stem + ".pdf")).exists()
    return "converted to PDF" if ok else f"failed: {result.stderr[-200:]!r}"


def _jobs() -> int:
    import os

    return os.cpu_count() or 1


def scale(count: int, work: Path, fmt: str) -> dict[str, Any]:
    """Run docgen batch on *count* projects, both documents (call in a fresh process)."""
    files = generate(count, work / "input", fmt=fmt)
    start = time.perf_counter()
    report = run_batch(files, Options(str(work / "out")), jobs=_jobs())
    seconds = time.perf_counter() - start
    assert not report.failures, report.failures[:3]
    documents = 2 * len(report.results)
    own, workers = _peak_rss_mb()
    return {
        "projects": len(report.results),
        "documents": documents,
        "seconds": seconds,
        "docs_per_second": documents / seconds,
        "ms_per_doc": seconds / documents * 1000,
        "peak_rss_main_mb": own,
        "peak_rss_worker_mb": workers,
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=200, help="projects for side by side")
    parser.add_argument("--scales", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--format", choices=("json", "yaml"), default="json",
                        help="input format of the generated projects")  # fmt: skip
    parser.add_argument("--child-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_scale:
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(scale(args.child_scale, Path(work), args.format)))
        return 0
    print(
        f"docgen batch benchmark — {_jobs()} cores, Python {sys.version.split()[0]}, "
        f"{args.format.upper()} input"
    )
    with tempfile.TemporaryDirectory() as work:
        result = side_by_side(args.sample, Path(work), args.format)
    print(
        f"\n自评表, {result['documents']} projects, same template and data:\n"
        f"  plain docxtpl loop : {result['plain_ms_per_doc']:7.2f} ms/doc "
        f"({1000 / result['plain_ms_per_doc']:7.1f} docs/s)\n"
        f"  docgen batch       : {result['docgen_ms_per_doc']:7.2f} ms/doc "
        f"({1000 / result['docgen_ms_per_doc']:7.1f} docs/s)\n"
        f"  speed-up           : {result['speedup']:.1f}×\n"
        f"  content mismatches : {result['content_mismatches']}\n"
        f"  LibreOffice        : {result['libreoffice']}"
    )
    for count in args.scales:
        child = subprocess.run(
            [sys.executable, __file__, "--child-scale", str(count), "--format", args.format],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"\n{figures['projects']:,} projects, both documents ({figures['documents']:,} docs):\n"
            f"  {figures['seconds']:.1f} s, {figures['docs_per_second']:.0f} docs/s, "
            f"{figures['ms_per_doc']:.2f} ms/doc\n"
            f"  peak RSS: main {figures['peak_rss_main_mb']:.0f} MB, "
            f"largest worker {figures['peak_rss_worker_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
