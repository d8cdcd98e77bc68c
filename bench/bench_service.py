"""Load test of the HTTP service on loopback: requests/s and latency for one 自评表.

    .venv/bin/python bench/bench_service.py [--clients 8] [--seconds 30] [--formats docx pdf]

Starts ``docgen serve`` on a free loopback port in its own process, then, per format, runs N
concurrent clients, each posting a 28-indicator project (seed 002) to
``/v1/documents?kind=table&format=…`` in a loop for the given time (bounded in count and time;
loopback only).  Prints a Markdown table: requests, errors, requests/s, p50/p99 latency.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
MAX_REQUESTS_PER_CLIENT = 100_000


def project_body() -> bytes:
    """Return seed 002's first project as JSON."""
    sys.path.insert(0, str(ROOT))
    from docgen.sources.loader import load_file

    data = load_file(ROOT / "data" / "seed002_shanghai_yibao_2024.yaml")[0].data
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def run_load(
    url: str, clients: int, seconds: float, body: bytes, fmt: str = "docx"
) -> dict[str, float]:
    """Post *body* from *clients* threads for *seconds*; return throughput and latency."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= stop:
                    return
                start = time.perf_counter()
                try:
                    response = http.post("/v1/documents", params={"kind": "table", "format": fmt},
                                         content=body, timeout=120,
                                         headers={"content-type": "application/json"})  # fmt: skip
                    magic = b"%PDF" if fmt == "pdf" else b"PK"
                    ok = response.status_code == 200 and response.content.startswith(magic)
                    problem = "" if ok else f"{response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    problem = repr(exc)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "requests_per_second": len(latencies) / wall,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": ordered[max(0, math.ceil(len(ordered) * 0.99) - 1)] * 1000 if ordered else 0.0,
        "first_error": errors[0] if errors else "",
    }  # type: ignore[return-value]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    """Start the service, load it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--formats", nargs="+", choices=("docx", "pdf"), default=["docx", "pdf"])
    args = parser.parse_args()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        results = {
            fmt: run_load(url, args.clients, args.seconds, project_body(), fmt)
            for fmt in args.formats
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"{args.clients} clients × {args.seconds:g} s, POST /v1/documents "
        "(自评表, 28 indicators), load average now "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
        + "\n\n| format | requests | errors | requests/s | p50 | p99 |"
        + "\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )
    for fmt, figures in results.items():
        print(
            f"| {fmt} | {figures['requests']:.0f} | {figures['errors']:.0f} | "
            f"{figures['requests_per_second']:.1f} | {figures['p50_ms']:.0f} ms | "
            f"{figures['p99_ms']:.0f} ms |"
        )
    failed = [f for f in results.values() if f["errors"]]
    for figures in failed:
        print(f"first error: {figures['first_error']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
