"""The committed default templates are exactly what templates/build.py builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    subprocess.run(
        [sys.executable, str(TEMPLATES / "build.py"), str(out)], check=True, capture_output=True
    )
    return out


@pytest.mark.parametrize("name", ["table.docx", "report.docx"])
def test_committed_template_equals_a_fresh_build(built: Path, name: str) -> None:
    # Nobody edits a template without its build script, or the other way round:
    # `make templates` rebuilds them, and the rebuilt files are committed.
    assert (built / name).read_bytes() == (TEMPLATES / name).read_bytes(), (
        f"templates/{name} differs from what templates/build.py builds: run `make templates`"
    )


def test_building_twice_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(TEMPLATES / "build.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("table.docx", "report.docx"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()
