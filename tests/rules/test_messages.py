"""What a user reads of the rule sets, in Chinese by default and in English on request."""

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
                "未知的评分规则 '10号'",
                "请用 财预〔2020〕10号 (czy2020-10) 或 财预〔2021〕101号 (czy2021-101)",
            ],
        ),
        (
            "en",
            [
                "unknown 评分规则 '10号'",
                "use 财预〔2020〕10号 (czy2020-10) or 财预〔2021〕101号 (czy2021-101)",
            ],
        ),
    ],
)
def test_an_unknown_scoring_name_is_refused_in_the_users_language(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen(
        "check", "p.yaml", "--scoring", "10号", cwd=tmp_path, env={"DOCGEN_LANG": language}
    )
    assert result.returncode == 2
    said = " ".join(result.stderr.replace("│", " ").split())  # click may box and wrap it
    assert all(part in said for part in expected), said
