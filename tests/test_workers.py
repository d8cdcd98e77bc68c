"""The limits a worker puts on a render are told in the language of the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import assert_clean_failure, docgen, folder_with_template, hostile_docx
from tests.test_hostile import SLOW


@pytest.mark.parametrize(
    ("language", "stopped", "hint"),
    [
        ("zh", "已超过时间限制，1 秒后被停止", "DOCGEN_RENDER_TIMEOUT 可设定时限"),
        (
            "en",
            "stopped after 1 s: it took longer than the time limit",
            "DOCGEN_RENDER_TIMEOUT sets the limit",
        ),
    ],
)
def test_a_render_past_the_time_limit_is_told_in_the_language_of_the_run(
    tmp_path: Path, language: str, stopped: str, hint: str
) -> None:
    folder_with_template(tmp_path / "slow", hostile_docx(tag=SLOW))
    result = docgen(tmp_path, "render", "slow/dept", "-k", "table", "-o", "out", timeout=60,
                    DOCGEN_RENDER_TIMEOUT="1", DOCGEN_LANG=language)  # fmt: skip
    assert_clean_failure(result, f"slow/dept/p.yaml: 信息化运维项目: {stopped}", hint)
