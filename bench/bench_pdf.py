"""Benchmark: documents per second converted to PDF by docgen's LibreOffice workers.

    .venv/bin/python bench/bench_pdf.py [--documents 200] [--jobs 2] [--recycle-after 200]

Renders generated projects (``bench/projects.py``: both documents, texts up to 600
characters, 5–60 indicators) and converts them with ``PdfConverter`` — one LibreOffice worker
per job, each with its own profile, fed from one queue, its process replaced after
``--recycle-after`` documents — and prints a Markdown row: documents, seconds, documents/s,
LibreOffice processes started, and how the workers were fed: warm LibreOffice through UNO
(``docgen/pdf_bridge.py``), or ``soffice --convert-to`` per chunk (``DOCGEN_PDF_UNO=0``, or
no Python with ``uno``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.projects import generate  # noqa: E402
from docgen.pdf import RECYCLE_AFTER, PdfConverter, require_soffice  # noqa: E402
from docgen.pipeline import check_source  # noqa: E402
from docgen.render.documents import KINDS, render_document  # noqa: E402
from docgen.sources.loader import load_file  # noqa: E402


def main() -> int:
    """Render the projects, convert them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--recycle-after", type=int, default=RECYCLE_AFTER)
    args = parser.parse_args()
    require_soffice()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        documents: list[Path] = []
        for path in generate(-(-args.documents // 2), folder / "in"):
            for source in load_file(path):
                item = check_source(source)
                assert item.project is not None and item.evaluation is not None
                for kind in KINDS.values():
                    target = folder / "docx" / kind.filename(item.project)
                    target.parent.mkdir(exist_ok=True)
                    target.write_bytes(render_document(kind, item.project, item.evaluation))
                    documents.append(target)
        documents = documents[: args.documents]
        converter = PdfConverter(args.jobs, recycle_after=args.recycle_after)
        start = time.perf_counter()
        pdfs = converter.convert(documents, folder / "pdf")
        seconds = time.perf_counter() - start
    mode = "warm, through UNO" if converter.warm_used else "soffice --convert-to per chunk"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"`python bench/bench_pdf.py {' '.join(sys.argv[1:])}`".replace(" `", "`")
        + f" — {os.cpu_count()} cores, load average at the end {load}\n\n"
        "| documents | workers | recycled after | workers fed | seconds | documents/s "
        "| LibreOffice starts |\n"
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: |\n"
        f"| {len(pdfs)} | {args.jobs} | {args.recycle_after} | {mode} | {seconds:.1f} | "
        f"{len(pdfs) / seconds:.1f} | {converter.processes_started} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
