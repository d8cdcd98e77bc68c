"""docgen batch: parallel, resumable, atomic, reported — run through the CLI and the API."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.batch import Options, run_batch
from docgen.cli import app
from docgen.engine import RunSettings
from docgen.sources.discover import discover
from tests.conftest import DATA, MINIMAL, SHARED
from tests.render.docx_reading import open_docx

runner = CliRunner()


def batch(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *args])
    return result.exit_code, result.stdout, result.stderr


def docx_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.docx") if not p.name.startswith("汇总_"))


def test_batch_writes_documents_summary_and_an_empty_failure_report(tmp_path: Path) -> None:
    code, _, err = batch(str(DATA), "-o", str(tmp_path), "-j", "2")
    assert code == 0, err
    assert len(docx_names(tmp_path)) == 34
    assert json.loads((tmp_path / "failures.json").read_text(encoding="utf-8")) == []
    assert "17 written, 0 unchanged (skipped), 0 failed" in err
    assert "written  " in err  # plain log lines when not on a terminal

    sheet = load_workbook(tmp_path / "汇总.xlsx")["汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "项目名称", "年度", "主管部门", "实施单位")
    by_name = {row[1]: row for row in rows[1:-1]}
    assert len(by_name) == 17
    assert by_name["信息化运维项目"][5:12] == (326.01, 326.01, 162.3, 49.78, 4.98, 94.98, "优")
    assert by_name["闵行区“一站式”医疗救助系统(2022运维)"][6] == 7.0  # 70,000 元 in 万元
    assert rows[-1][0] == "合计" and rows[-1][1] == "17 个项目"
    assert sheet.freeze_panes == "C2"


def test_a_rerun_skips_unchanged_projects_and_force_renders_all(tmp_path: Path) -> None:
    source = tmp_path / "in"
    shutil.copytree(DATA, source)
    out = tmp_path / "out"
    assert batch(str(source), "-o", str(out))[0] == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}

    code, _, err = batch(str(source), "-o", str(out))
    assert code == 0 and "0 written, 17 unchanged (skipped)" in err
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")} == stamps

    seed000 = source / "seed000_minhang_yibao_2022.yaml"
    seed000.write_text(
        seed000.read_text(encoding="utf-8").replace("准确有效", "准确、有效"), encoding="utf-8"
    )
    code, _, err = batch(str(source), "-o", str(out))
    assert code == 0 and "1 written, 16 unchanged (skipped)" in err

    code, _, err = batch(str(source), "-o", str(out), "--force")
    assert code == 0 and "17 written, 0 unchanged (skipped)" in err


def test_one_bad_project_is_reported_and_the_rest_rendered(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    bad = MINIMAL.replace("项目名称: 信息化运维项目", "项目名称: 坏项目").replace(
        "得分: 40}", "得分: 41}"
    )
    (inputs / "b.yaml").write_text(bad, encoding="utf-8")
    (inputs / "c.yaml").write_text("年度: [\n", encoding="utf-8")
    code, _, err = batch(str(inputs), "-o", str(tmp_path / "out"), "-k", "table")
    assert code == 1
    assert docx_names(tmp_path / "out") == ["2024_信息化运维项目_自评表.docx"]
    failures = json.loads((tmp_path / "out" / "failures.json").read_text(encoding="utf-8"))
    assert [(Path(f["file"]).name, f["project"]) for f in failures] == [
        ("b.yaml", "坏项目"),
        ("c.yaml", ""),
    ]
    # Structured as check --json gives them: file, line, field, severity, message, hint.
    first, second = failures[0]["errors"][0], failures[1]["errors"][0]
    assert first["field"] == "绩效指标[1].得分" and "得分 41 exceeds 分值 40" in first["message"]
    assert first["line"] is not None and first["severity"] == "error"
    assert "YAML syntax error" in second["message"] and second["file"].endswith("c.yaml")
    assert "FAILED " in err and "1 written, 0 unchanged (skipped), 2 failed" in err


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        jobs = "1" if folder == "one" else "2"
        assert batch(str(DATA), "-o", str(tmp_path / folder), "-j", jobs, "--combine", "-q")[0] == 0
    names = sorted(p.name for p in (tmp_path / "one").iterdir() if not p.name.startswith("."))
    assert names == sorted(
        p.name for p in (tmp_path / "two").iterdir() if not p.name.startswith(".")
    )
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )


def test_combine_puts_every_project_in_input_order_on_new_pages(tmp_path: Path) -> None:
    code, _, err = batch(
        str(DATA / "seed001_minhang_weijian_2023.yaml"), "-o", str(tmp_path), "--combine"
    )
    assert code == 0, err
    combined = open_docx((tmp_path / "汇总_自评表.docx").read_bytes())
    titles = [t.rows[0].cells[-1].text for t in combined.tables[::2]]
    assert len(titles) == 13 and titles[0] == "卫生银联专线"
    assert len(combined.sections) == 13
    report = open_docx((tmp_path / "汇总_自评报告.docx").read_bytes())
    assert sum(p.style.name == "Title" for p in report.paragraphs) == 13
    validator = SHARED / "tools" / "ooxml_validate.py"
    if validator.exists():
        result = subprocess.run(
            [sys.executable, str(validator), *map(str, tmp_path.glob("汇总_*.docx"))],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout


def test_projects_with_the_same_output_name_get_numbered_in_input_order(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (inputs / "b.yaml").write_text(MINIMAL.replace("监督检查所", "信息中心"), encoding="utf-8")
    out = tmp_path / "out"
    assert batch(str(inputs), "-o", str(out), "-k", "table", "-j", "2")[0] == 0
    assert docx_names(out) == [
        "2024_信息化运维项目_自评表.docx",
        "2024_信息化运维项目_自评表_2.docx",
    ]
    first = open_docx((out / "2024_信息化运维项目_自评表.docx").read_bytes()).tables[0]
    second = open_docx((out / "2024_信息化运维项目_自评表_2.docx").read_bytes()).tables[0]
    assert first.rows[1].cells[-1].text == "上海市医疗保障局监督检查所"
    assert second.rows[1].cells[-1].text == "上海市医疗保障局信息中心"


def test_json_output_is_machine_readable(tmp_path: Path) -> None:
    code, out, _ = batch(
        str(DATA / "seed002_shanghai_yibao_2024.yaml"), "-o", str(tmp_path), "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert result["counts"] == {"written": 2, "skipped": 0, "failed": 0}
    assert [p["project"] for p in result["projects"]] == [
        "信息化运维项目",
        "医疗保险执行情况监督检查费",
    ]
    assert result["projects"][0]["summary"]["总分"] == "94.98"


def _many_projects(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        text = MINIMAL.replace("信息化运维项目", f"信息化运维项目{i:03d}")
        (folder / f"p{i:03d}.yaml").write_text(text, encoding="utf-8")


def _kill_orphans(marker: str) -> None:
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if marker in command and entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


def test_a_killed_run_leaves_no_truncated_document_and_resumes(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    _many_projects(inputs, 400)
    command = [
        sys.executable,
        "-m",
        "docgen",
        "batch",
        str(inputs),
        "-o",
        str(out),
        "-j",
        "2",
        "-q",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL) if False else process.send_signal(signal.SIGKILL)
    process.wait()
    for worker in subprocess.run(
        ["pgrep", "-f", str(out)], capture_output=True, text=True
    ).stdout.split():
        os.kill(int(worker), signal.SIGKILL)  # the orphaned pool workers
    written = list(out.glob("*.docx"))
    assert 40 <= len(written) < 800, "the run was not interrupted mid-way"
    for path in written:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path

    code, _, err = batch(str(inputs), "-o", str(out))
    assert code == 0, err
    assert len(docx_names(out)) == 800
    assert list(out.glob(".docgen-*.tmp")) == []
    assert "unchanged (skipped)" in err and not err.startswith("0 written")


def test_the_api_takes_any_executor(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    files, _ = discover([DATA])
    with ThreadPoolExecutor(max_workers=2) as pool:
        options = Options(str(tmp_path), RunSettings(kinds=("table",)))
        report = run_batch(files, options, executor=pool)
    assert report.counts() == {"written": 17, "skipped": 0, "failed": 0}


@pytest.mark.filterwarnings("ignore")  # Dask's own deprecation and resource warnings
def test_batch_runs_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=None,
        protocol="tcp://",
        host="127.0.0.1",
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        code, _, err = batch(str(DATA), "-o", str(tmp_path / "dask"), "--executor", address)
    assert code == 0, err
    assert "17 written" in err
    assert batch(str(DATA), "-o", str(tmp_path / "local"), "-j", "1")[0] == 0
    for path in (tmp_path / "local").glob("*.docx"):
        assert path.read_bytes() == (tmp_path / "dask" / path.name).read_bytes()
