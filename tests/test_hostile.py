"""Templates from strangers, through the real ``docgen`` command: each class of attack is
refused with a clear message naming the template and the cell, the exit status is 1, and
the rest of the run goes on (a clean project beside them is still written)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.conftest import MINIMAL
from tests.hostile import assert_clean_failure, docgen, folder_with_template, hostile_docx

CELL = 'table 1, row 1, column 2 "'
CLASSES = {
    "power": ("{{ 10**(10**10) }}", "the result of ** exceeds docgen's limit of 16,384 bits"),
    "loops": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "the number of loop iterations and calls exceeds docgen's limit of 1,000,000 per part",
    ),
    "lipsum": ("{{ lipsum(10**7) }}", "lipsum() of 10,000,000 paragraphs exceeds"),
    "text": ("{{ 'x' * 10**10 }}", "a text or list of 10,000,000,000 characters or items"),
    "list": ("{{ [0] * 10**10 }}", "a text or list of 10,000,000,000 characters or items"),
    "namespace": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}",
        "characters or items exceeds docgen's limit of 10,000,000",
    ),
    "width": ('{{ "{:>999999999}".format(1) }}', "the format width 999,999,999 exceeds"),
    "memory": (
        "{% set ns = namespace(k=[]) %}{% for i in range(9) %}"
        "{% set _ = ns.k.append((range(100000)|list) * 100) %}{% endfor %}",
        "ran out of memory",
    ),
}
CLEAN = MINIMAL.replace("信息化运维项目", "清白项目")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str], float]:
    """One run of ``docgen render`` over a folder per attack, and a clean project."""
    root = tmp_path_factory.mktemp("hostile")
    for name, (tag, _) in CLASSES.items():
        folder_with_template(root / name, hostile_docx(tag=tag))
    (root / "clean").mkdir()
    (root / "clean" / "p.yaml").write_text(CLEAN, encoding="utf-8")
    started = time.monotonic()
    folders = [f"{name}/dept" for name in CLASSES]
    result = docgen(root, "render", *folders, "clean", "-k", "table", "-o", "out",
                    DOCGEN_WORKER_MEMORY="600")  # fmt: skip
    return root, result, time.monotonic() - started


@pytest.mark.parametrize("name", CLASSES)
def test_each_attack_is_a_template_problem_with_its_cell(
    hostile: tuple[Path, CompletedProcess[str], float], name: str
) -> None:
    _, result, _ = hostile
    assert_clean_failure(result)
    line = next(
        line for line in result.stderr.splitlines() if line.startswith(f"{name}/dept/p.yaml")
    )
    assert f"{name}/dept/templates/table.docx: {CELL}" in line, line
    assert CLASSES[name][1] in line, line
    assert (
        f"自评表 template: {name}/dept/templates/table.docx, found beside the data in {name}/dept/templates"
        in result.stderr
    )


def test_the_rest_of_the_run_goes_on(hostile: tuple[Path, CompletedProcess[str], float]) -> None:
    root, result, seconds = hostile
    assert [p.name for p in (root / "out").glob("*.docx")] == ["2024_清白项目_自评表.docx"]
    assert f"1 document(s) written to out, {len(CLASSES)} project(s) failed" in result.stderr
    assert "自评表 template: built-in table.docx" in result.stderr
    assert seconds < 60


@pytest.mark.parametrize("name", ["power"])
def test_templates_check_reports_the_attack(
    hostile: tuple[Path, CompletedProcess[str], float], name: str
) -> None:
    root, _, _ = hostile
    result = docgen(root, "templates", "check", f"{name}/dept/templates/table.docx", timeout=60)
    assert_clean_failure(result, "trial render with sample data failed", CELL, CLASSES[name][1])


SLOW = "{% for i in range(100000) %}{{ ((range(100000)|list) * 10)|sort|first }}{% endfor %}"


def test_a_slow_template_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    folder_with_template(tmp_path / "slow", hostile_docx(tag=SLOW))
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "p.yaml").write_text(CLEAN, encoding="utf-8")
    started = time.monotonic()
    result = docgen(tmp_path, "render", "slow/dept", "clean", "-k", "table", "-o", "out",
                    timeout=60, DOCGEN_RENDER_TIMEOUT="1")  # fmt: skip
    assert_clean_failure(result, "slow/dept/p.yaml: 信息化运维项目: stopped after 1 s")
    assert (tmp_path / "out" / "2024_清白项目_自评表.docx").is_file()
    check = docgen(tmp_path, "templates", "check", "slow/dept/templates/table.docx",
                   timeout=60, DOCGEN_RENDER_TIMEOUT="1")  # fmt: skip
    assert_clean_failure(check, "the check stopped after 1 s")
    batch = docgen(tmp_path, "batch", "slow/dept", "clean", "-k", "table", "-o", "batch",
                   "-j", "2", timeout=60, DOCGEN_RENDER_TIMEOUT="1")  # fmt: skip
    assert_clean_failure(batch)
    (failure,) = json.loads((tmp_path / "batch" / "failures.json").read_text(encoding="utf-8"))
    assert failure["project"] == "信息化运维项目"
    assert "自评表 stopped after 1 s" in failure["errors"][0]["message"]
    assert (tmp_path / "batch" / "2024_清白项目_自评表.docx").is_file()
    assert time.monotonic() - started < 45
