"""The benchmarks run, at their smallest size, so that they cannot rot (no figure is checked)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_batch_prints_the_readme_tables(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_batch.py"), "--sizes", "10",
         "--formats", "yaml", "json", "--stage-sample", "10", "--jobs", "2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("`python bench/bench_batch.py --sizes 10"), lines[0]
    assert "load average at start" in lines[0]
    rows = [line for line in lines if re.match(r"\| (YAML|JSON) \| 10 \| 20 \|", line)]
    assert len(rows) == 2, result.stdout
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 10
        assert re.fullmatch(r"\d+\.\d×", cells[8]), cells  # the ratio
        assert re.fullmatch(r"\d+ / \d+ MB", cells[9]), cells  # peak RSS, main / worker
    stages = {line.split("|")[1].strip() for line in lines if line.startswith("| ")}
    for stage in ("parse", "check", "render 自评表", "render 自评报告", "zip 自评表", "write",
                  "summary", "total"):  # fmt: skip
        assert stage in stages, result.stdout
    assert list(tmp_path.iterdir()) == [], "the benchmark works in a temporary folder"


def test_bench_batch_can_time_the_plain_loop_on_a_sample(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_batch.py"), "--sizes", "20",
         "--formats", "json", "--plain-sample", "10", "--stage-sample", "5", "--jobs", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("| JSON | 20 | 40 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[6].endswith("s (20 docs)"), cells  # the plain loop rendered the sample only
    assert re.fullmatch(r"\d+\.\d×", cells[8]), cells


def test_bench_pdf_times_the_command_with_and_without_pdf(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_pdf.py"), "--documents", "4", "--jobs", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("| 4 | 1 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "warm, through UNO", cells  # CI installs python3-uno
    assert cells[3].endswith(" s") and cells[4].endswith(" s"), cells
    assert float(cells[5]) > 0 and float(cells[6]) > 0, cells
    assert list(tmp_path.iterdir()) == [], "the benchmark works in a temporary folder"
