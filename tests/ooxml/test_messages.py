"""What a user reads of packages and their properties, in Chinese and in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands import run_docgen
from tests.conftest import MINIMAL


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh",
            [
                "p.yaml: 信息化运维项目: SOURCE_DATE_EPOCH='bad' 不是一个时间",
                "提示: 请设为自 1970-01-01 UTC 起的整秒数（如 $(date +%s)），或取消设置",
            ],
        ),
        (
            "en",
            [
                "p.yaml: 信息化运维项目: SOURCE_DATE_EPOCH='bad' is not a time",
                "hint: set it to whole seconds since 1970-01-01 UTC (e.g. $(date +%s)), or unset it",
            ],
        ),
    ],
)
def test_a_bad_source_date_epoch_is_explained(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen(
        "render", "p.yaml", "-k", "table", "-o", "out", cwd=tmp_path,
        env={"DOCGEN_LANG": language, "SOURCE_DATE_EPOCH": "bad"},
    )  # fmt: skip
    assert result.returncode == 1
    assert all(line in result.stderr for line in expected), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh",
            [
                "table.docx: 错误: 不是 .docx 文件（不是 zip 压缩包）",
                "改法: 请在 Word 中把模板另存为“Word 文档(*.docx)”",
            ],
        ),
        (
            "en",
            [
                "table.docx: error: not a .docx file (not a zip package)",
                "fix: save the template from Word as 'Word Document (*.docx)'",
            ],
        ),
    ],
)
def test_a_file_that_is_no_word_package_is_refused_in_the_users_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    (tmp_path / "table.docx").write_text("保存成了文本", encoding="utf-8")
    result = run_docgen(
        "templates", "check", "table.docx", cwd=tmp_path, env={"DOCGEN_LANG": language}
    )
    assert result.returncode == 1
    assert all(line in result.stderr for line in expected), result.stderr
