"""Benchmark: PDFs per second, as a user gets them from ``docgen batch --pdf``.

    .venv/bin/python bench/bench_pdf.py [--documents 400] [--jobs 2]

Generates projects (``bench/projects.py``: both documents, texts up to 600 characters, 5–60
indicators, 10 projects a file) and runs, as subprocesses from the work folder with relative
paths, ``docgen batch in -o docx --jobs N --quiet`` and then ``docgen batch in -o pdf --pdf
--jobs N --quiet`` (the same, plus the conversion: one warm LibreOffice worker per job, each
with its own profile, fed from one queue, through UNO — ``docgen/pdf_bridge.py`` — or
``soffice --convert-to`` per chunk with ``DOCGEN_PDF_UNO=0``). It prints a Markdown row: the
documents, both commands' seconds, PDFs per second end to end, and PDFs per second of the
conversion alone (the documents over the difference of the two commands' times).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.projects import generate  # noqa: E402
from docgen.pdf import find_uno_python, require_soffice, warm_workers_off  # noqa: E402

DOCGEN = Path(sys.executable).with_name("docgen")


def timed(command: list[str], cwd: Path) -> float:
    """Run *command* in *cwd*; return its seconds (stop the benchmark if it fails)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {result.returncode}:\n"
                         f"{result.stderr[-2000:]}{result.stdout[-2000:]}")  # fmt: skip
    return seconds


def main() -> int:
    """Generate the projects, run both commands, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--documents", type=int, default=400, help="documents to convert (default: 400)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    require_soffice()
    projects = max(1, args.documents // 2)
    start_load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as work:
        folder = Path(work)
        generate(projects, folder / "in")
        jobs = ["--jobs", str(args.jobs), "--quiet"]
        docx = timed([str(DOCGEN), "batch", "in", "-o", "docx", *jobs], folder)
        both = timed([str(DOCGEN), "batch", "in", "-o", "pdf", "--pdf", *jobs], folder)
        pdfs = len(list((folder / "pdf").glob("*.pdf")))
        assert pdfs == 2 * projects, pdfs
    warm = not warm_workers_off() and find_uno_python() is not None
    mode = "warm, through UNO" if warm else "`soffice --convert-to` per chunk"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"`python bench/bench_pdf.py {' '.join(sys.argv[1:])}`".replace(" `", "`")
        + f" — {os.cpu_count()} cores, load average at start {start_load}, at the end {load}\n\n"
        "| documents | jobs | workers fed | `batch` | `batch --pdf` | PDFs/s end to end "
        "| PDFs/s converting |\n"
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: |\n"
        f"| {pdfs} | {args.jobs} | {mode} | {docx:.1f} s | {both:.1f} s | {pdfs / both:.1f} | "
        f"{pdfs / max(both - docx, 1e-9):.1f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
