"""A batch's PDF conversion reports in the language of the run: progress, fonts, summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.pdf import font_substitutions
from tests.commands import run_docgen
from tests.conftest import ROOT
from tests.test_pdf import require_tools

SEED = ROOT / "data" / "seed001_minhang_weijian_2023.yaml"
LINES = {
    "zh": ("PDF 13/13 份文档", "提醒: PDF 中用替代字体代替了文档指定的字体：", "已生成 13 个"),
    "en": (
        "PDF 13/13 documents",
        "warning: the PDFs use substitutes for fonts that the documents name: ",
        "13 written",
    ),
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_batch_pdf_reports_in_the_language_of_the_run(tmp_path: Path, language: str) -> None:
    require_tools()
    progress, fonts, summary = LINES[language]
    (tmp_path / "data").mkdir()
    shutil.copy(SEED, tmp_path / "data" / SEED.name)
    result = run_docgen(
        "batch", "data", "-o", "out", "--pdf", "--kind", "自评表", "--jobs", "2",
        cwd=tmp_path, timeout=600, env={"DOCGEN_LANG": language},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert progress in lines, result.stderr
    assert any(line.startswith(summary) for line in lines + result.stdout.splitlines())
    if font_substitutions(sorted((tmp_path / "out").glob("*.docx"))):
        assert any(line.startswith(fonts) for line in lines), result.stderr
