"""`docgen batch` as a user runs it: output folders, resuming, damaged and stale outputs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.batch import MANIFEST
from tests.commands import run_docgen
from tests.conftest import DATA, MINIMAL


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("output", ["taken", "taken/sub"])
def test_an_output_that_cannot_be_a_folder_is_a_clean_error(folder: Path, output: str) -> None:
    (folder / "taken").write_text("not a folder")
    result = run_docgen("batch", "p.yaml", "-o", output, cwd=folder)
    assert result.returncode == 1
    assert f"\nerror: {output}: cannot write the documents" in "\n" + result.stderr
    assert "internal error" not in result.stderr
    assert (folder / "taken").read_text() == "not a folder"


def test_a_torn_manifest_line_is_ignored_and_its_project_rendered_again(folder: Path) -> None:
    assert run_docgen("batch", "p.yaml", "-o", "out", cwd=folder).returncode == 0
    manifest = folder / "out" / MANIFEST
    line = manifest.read_bytes()
    torn = line[: line.index("信".encode()) + 1]  # cut inside a UTF-8 character
    manifest.write_bytes(torn)
    result = run_docgen("batch", "p.yaml", "-o", "out", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"written": 1, "skipped": 0, "failed": 0}
    again = run_docgen("batch", "p.yaml", "-o", "out", "--json", cwd=folder)
    assert json.loads(again.stdout)["counts"]["skipped"] == 1


def test_a_damaged_output_is_rendered_again(folder: Path) -> None:
    assert run_docgen("batch", "p.yaml", "-o", "out", cwd=folder).returncode == 0
    table = folder / "out" / "2024_信息化运维项目_自评表.docx"
    good = table.read_bytes()
    table.write_bytes(good[: len(good) // 2])  # truncated since
    result = run_docgen("batch", "p.yaml", "-o", "out", "--json", cwd=folder)
    assert json.loads(result.stdout)["counts"] == {"written": 1, "skipped": 0, "failed": 0}
    assert table.read_bytes() == good
    with zipfile.ZipFile(table) as document:
        assert document.testzip() is None


def test_documents_of_a_renamed_project_are_reported_then_pruned(folder: Path) -> None:
    assert run_docgen("batch", "p.yaml", "-o", "out", cwd=folder).returncode == 0
    renamed = MINIMAL.replace("项目名称: 信息化运维项目", "项目名称: 信息化运维项目二期")
    (folder / "p.yaml").write_text(renamed, encoding="utf-8")
    result = run_docgen("batch", "p.yaml", "-o", "out", cwd=folder)
    assert result.returncode == 0
    assert "2 old document(s)" in result.stderr and "--prune removes them" in result.stderr
    assert (folder / "out" / "2024_信息化运维项目_自评表.docx").exists()
    pruned = run_docgen("batch", "p.yaml", "-o", "out", "--prune", "--force", cwd=folder)
    assert pruned.returncode == 0
    assert "removed 2 old document(s)" in pruned.stderr
    assert not (folder / "out" / "2024_信息化运维项目_自评表.docx").exists()
    assert (folder / "out" / "2024_信息化运维项目二期_自评表.docx").exists()


def test_a_control_character_in_a_file_name_reaches_the_summary_safely(folder: Path) -> None:
    odd = "a\x07b.yaml"
    (folder / odd).write_text(MINIMAL.replace("信息化运维项目", "另一个项目"), encoding="utf-8")
    result = run_docgen("batch", odd, "-o", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(folder / "out" / "汇总.xlsx").active
    assert sheet.cell(row=2, column=sheet.max_column).value == "a\ufffdb.yaml"


def test_bidi_controls_never_reach_an_output_name(folder: Path) -> None:
    spoof = MINIMAL.replace("项目名称: 信息化运维项目", "项目名称: 项目\u202excod.exe")
    (folder / "p.yaml").write_text(spoof, encoding="utf-8")
    assert run_docgen("render", "p.yaml", "-o", "out", cwd=folder).returncode == 0
    names = sorted(p.name for p in (folder / "out").iterdir())
    assert names == ["2024_项目_xcod.exe_自评报告.docx", "2024_项目_xcod.exe_自评表.docx"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_a_device_is_refused_without_reading_it(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    result = run_docgen("batch", "pipe.yaml", "zero.yaml", "p.yaml", "-o", "out", cwd=folder,
                        timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "pipe.yaml: not a regular file" in result.stderr
    assert "zero.yaml: not a regular file" in result.stderr
    assert (folder / "out" / "2024_信息化运维项目_自评表.docx").exists()


def test_the_examples_still_resume(tmp_path: Path) -> None:
    first = run_docgen("batch", str(DATA), "-o", "out", "--json", cwd=tmp_path)
    again = run_docgen("batch", str(DATA), "-o", "out", "--json", cwd=tmp_path)
    counts = json.loads(again.stdout)["counts"]
    assert counts["skipped"] == json.loads(first.stdout)["counts"]["written"] > 0


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a folder on a 150 KB file system: room for a few documents, not for all, and
    then for failures.json (the documents are about 40 KB each, 10 blocks of 4 KB)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=150k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs as root and must mount a small tmpfs: {mounted.stderr!r}")
        pytest.skip("mounting a small file system needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_reports_every_project_and_still_tries_the_reports(
    tiny_disk: Path, tmp_path: Path
) -> None:
    result = run_docgen("batch", str(DATA), "-o", "out", "--jobs", "1", cwd=tiny_disk)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "No space left on device" in result.stderr
    lines = result.stderr.splitlines()
    fates = [line for line in lines if line.startswith(("written ", "failed ", "skipped "))]
    assert len(fates) == 17  # every project of data/, written or not
    assert any(line.startswith("failed ") for line in fates)
    counts = lines[-1]
    assert re.fullmatch(r"\d+ written, 0 unchanged \(skipped\), \d+ failed", counts), counts
    failures = json.loads((tiny_disk / "out" / "failures.json").read_text(encoding="utf-8"))
    assert failures and all("No space left" in f["errors"][0]["message"] for f in failures)
