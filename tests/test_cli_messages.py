"""The last English of ``docgen``'s own commands (``--form``, ``templates``) reads in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands import run_docgen


def test_the_form_option_is_explained_in_chinese(tmp_path: Path) -> None:
    chinese = run_docgen("render", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "zh"})
    assert chinese.returncode == 0
    assert "所有项目使用的自评表版式，优先于各文件的表样" in chinese.stdout
    assert "(czy2020-10)或财预" in "".join(chinese.stdout.replace("│", "").split())  # --scoring
    english = run_docgen("render", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "en"})
    assert "The 自评表 edition for every project" in english.stdout
    assert "(czy2020-10)or财预" in "".join(english.stdout.replace("│", "").split())


@pytest.mark.parametrize(
    ("language", "listed", "refused"),
    [
        ("zh", "自评表 (table，2023/2024 版):", "只有自评表分版式"),
        ("en", "自评表 (table, 2023/2024 edition):", "only the 自评表 has editions"),
    ],
)
def test_templates_speak_the_language(
    tmp_path: Path, language: str, listed: str, refused: str
) -> None:
    env = {"DOCGEN_LANG": language}
    listing = run_docgen("templates", "list", cwd=tmp_path, env=env)
    assert listing.returncode == 0, listing.stderr
    assert listed in listing.stdout
    assert ("内置 table.docx  [内置]" in listing.stdout) == (language == "zh")
    done = run_docgen(
        "templates", "init", "自评报告", "--form", "2022", "-o", "x", cwd=tmp_path, env=env
    )
    assert done.returncode == 2
    assert refused in done.stderr
