"""Every example in data/, rendered by docgen (Word and PDF) and imported, gives it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.model.project import Form
from tests.commands import run_docgen
from tests.conftest import DATA
from tests.importing.compare import facts, projects

EXAMPLES = sorted(DATA.glob("*.yaml"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder with data/ rendered as 自评表 .docx and PDF, by the real command."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    work = tmp_path_factory.mktemp("round-trip")
    shutil.copytree(DATA, work / "data")
    done = run_docgen("render", "data", "-k", "table", "--pdf", "-o", "out", cwd=work, timeout=900)
    assert done.returncode == 0, done.stderr
    return work


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_every_example_comes_back_equal(rendered: Path, suffix: str) -> None:
    expected = [p for example in EXAMPLES for p in projects(example)]
    by_name = {p.name: p for p in expected}
    documents = sorted(str(p.relative_to(rendered)) for p in (rendered / "out").glob(f"*{suffix}"))
    assert len(documents) == len(expected)
    output = f"back{suffix}.yaml"
    done = run_docgen("import", *documents, "-o", output, cwd=rendered, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    imported = projects(rendered / output)
    assert sorted(p.name for p in imported) == sorted(by_name)
    for project in imported:
        assert facts(project) == facts(by_name[project.name]), project.name
        original = by_name[project.name]
        if original.stated_total is not None:
            assert project.stated_total == original.stated_total
        if original.stated_grade is not None and original.edition is not Form.F2022:
            assert project.stated_grade == original.stated_grade  # (2022: no 评分等级 row)
        assert project.funds.stated_rate == original.funds.stated_rate
    checked = run_docgen("check", "-k", "自评表", output, cwd=rendered)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 with errors, 0 warning(s)" in checked.stdout + checked.stderr


def test_word_and_pdf_import_to_the_same_bytes(rendered: Path) -> None:
    outputs = []
    for suffix in (".docx", ".pdf"):
        documents = sorted(
            str(p.relative_to(rendered)) for p in (rendered / "out").glob(f"*2024*{suffix}")
        )
        name = f"same{suffix}.json"
        assert run_docgen("import", *documents, "-o", name, cwd=rendered).returncode == 0
        outputs.append((rendered / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"\\u' not in outputs[0] and "信息化运维项目".encode() in outputs[0]


def test_the_rounding_is_read_from_the_printed_figures(rendered: Path) -> None:
    done = run_docgen("import", "out", "-o", "x.yaml", cwd=rendered)  # a folder is no document
    assert done.returncode == 1
    documents = sorted(str(p.relative_to(rendered)) for p in (rendered / "out").glob("*.docx"))
    assert run_docgen("import", *documents, "-o", "all.yaml", cwd=rendered).returncode == 0
    text = (rendered / "all.yaml").read_text(encoding="utf-8")
    # seed 001's forms truncate 99.09 % → 9.90; seed 004's round both halves up.
    assert "舍入规则: 截断" in text and "舍入规则: 四舍五入" in text
