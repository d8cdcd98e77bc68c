"""What finding the project files says reads in the user's language (``docgen render X``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands import run_docgen


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", ["nosuchdir: 没有这个文件或文件夹", "提示: 请检查路径"]),
        ("en", ["nosuchdir: no such file or folder", "hint: check the path"]),
    ],
)
def test_a_missing_input_is_reported_in_the_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    done = run_docgen(
        "render", "nosuchdir", "-o", "out", cwd=tmp_path, env={"DOCGEN_LANG": language}
    )
    assert done.returncode == 1
    for text in expected:
        assert text in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", "empty: 此文件夹中没有项目文件（.yaml、.yml、.json）"),
        ("en", "empty: no project files (.yaml, .yml, .json) in this folder"),
    ],
)
def test_an_empty_folder_is_reported_in_the_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    (tmp_path / "empty").mkdir()
    done = run_docgen("check", "empty", cwd=tmp_path, env={"DOCGEN_LANG": language})
    assert done.returncode == 1
    assert expected in done.stderr
