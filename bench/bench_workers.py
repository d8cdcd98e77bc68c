"""What the killable workers cost: one document rendered in-process vs in a warm worker.

    .venv/bin/python bench/bench_workers.py [--documents 300]

Renders seed 002's first project (a 28-indicator 自评表) and the seed's 自评价报告 with the
built-in templates, first in this process (``Renderer.render``), then through a warm
``WorkerPool`` of one process (``Renderer.render_in``: the project is pickled to the worker,
the .docx bytes come back), and prints the time per document of each and the difference.
It also times a worker's start (fork server, docgen imported, templates prepared) and the
replacement of a worker killed at its time limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.pipeline import check_file  # noqa: E402
from docgen.render.documents import KINDS, Renderer  # noqa: E402
from docgen.worker_limits import WorkTimeout  # noqa: E402
from docgen.workers import WorkerPool  # noqa: E402


def _spin(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def per_document(render, count: int) -> float:  # type: ignore[no-untyped-def]
    """Return the median of five runs of *count* renders, in ms per document."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(count):
            render()
        runs.append((time.perf_counter() - started) / count * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=300)
    args = parser.parse_args()
    (item, *_) = check_file(ROOT / "data" / "seed002_shanghai_yibao_2024.yaml")
    assert item.project is not None and item.evaluation is not None
    project, evaluation = item.project, item.evaluation
    renderer = Renderer()
    for name, kind in (("自评表", KINDS["table"]), ("自评报告", KINDS["report"])):
        renderer.render(kind, project, evaluation)
        local = per_document(lambda k=kind: renderer.render(k, project, evaluation), args.documents)
        started = time.perf_counter()
        pool = WorkerPool(1, warm=False)
        renderer.render_in(pool, kind, project, evaluation)
        cold = (time.perf_counter() - started) * 1000
        worker = per_document(
            lambda k=kind, p=pool: renderer.render_in(p, k, project, evaluation), args.documents
        )
        print(
            f"{name}: in-process {local:.2f} ms/doc, warm worker {worker:.2f} ms/doc "
            f"(+{worker - local:.2f} ms); first render, with the worker's start: {cold:.0f} ms"
        )
        pool.close()
    pool = WorkerPool(1)
    renderer.render_in(pool, KINDS["table"], project, evaluation)
    started = time.perf_counter()
    try:
        pool.run(_spin, 60, timeout=0.5)
    except WorkTimeout:
        stopped = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    renderer.render_in(pool, KINDS["table"], project, evaluation)
    replaced = (time.perf_counter() - started) * 1000
    print(f"a task over a 500 ms limit: stopped after {stopped:.0f} ms; "
          f"the next render (replacement worker) took {replaced:.0f} ms")  # fmt: skip
    pool.close()


if __name__ == "__main__":
    main()
