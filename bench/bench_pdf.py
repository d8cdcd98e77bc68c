"""Benchmark: documents per second converted to PDF by LibreOffice.

    .venv/bin/python bench/bench_pdf.py [--jobs 2]

Renders every example in data/ (both documents) and converts them all with docgen's converter
(one LibreOffice process per job, up to 200 documents each); prints docs/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.pdf import convert_to_pdf, require_soffice  # noqa: E402
from docgen.pipeline import check_file  # noqa: E402
from docgen.render.documents import KINDS, render_document  # noqa: E402


def main() -> int:
    """Render the examples, convert them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    require_soffice()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        documents = []
        for path in sorted((ROOT / "data").glob("*.yaml")):
            for item in check_file(path):
                assert item.project is not None and item.evaluation is not None
                for kind in KINDS.values():
                    target = folder / f"{len(documents):03d}.docx"
                    target.write_bytes(render_document(kind, item.project, item.evaluation))
                    documents.append(target)
        start = time.perf_counter()
        pdfs = convert_to_pdf(documents, folder / "pdf", jobs=args.jobs)
        seconds = time.perf_counter() - start
    print(
        f"{len(pdfs)} documents to PDF with {args.jobs} LibreOffice process(es): "
        f"{seconds:.1f} s, {len(pdfs) / seconds:.1f} docs/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
