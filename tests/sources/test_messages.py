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


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", [
            "p.yaml:3: 错误: 舍入规则: 舍入规则 的值 '去尾' 无法识别；请用 '标准', '截断' 或 '四舍五入'",
            "p.yaml:4: 错误: 评分规则: 未知的评分规则 '十号文'；请用 ",
        ]),
        ("en", [
            "p.yaml:3: error: 舍入规则: unknown 舍入规则 '去尾'; use '标准', '截断' or '四舍五入'",
            "p.yaml:4: error: 评分规则: unknown 评分规则 '十号文'; use ",
        ]),
    ],
)  # fmt: skip
def test_a_value_outside_the_choices_is_refused_in_the_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    (tmp_path / "p.yaml").write_text(
        "年度: 2023\n项目名称: 测试\n舍入规则: 去尾\n评分规则: 十号文\n", encoding="utf-8"
    )
    done = run_docgen("check", "p.yaml", cwd=tmp_path, env={"DOCGEN_LANG": language})
    assert done.returncode == 1
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "Input should be" not in done.stderr  # pydantic's own English
