"""JSON's lines, found on demand (``JsonLines``), are the lines YAML's events give JSON text."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docgen.sources.json_lines import JsonLines, JsonText
from docgen.sources.loader import _split, load_file
from docgen.sources.yaml_events import EventBuilder
from tests.commands import run_docgen
from tests.conftest import DATA


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(value)


def _layouts(projects: list[Any]) -> dict[str, str]:
    """Return the seeds' projects as JSON written the ways people and programs write it."""
    return {
        "indented list": json.dumps(projects, ensure_ascii=False, indent=2, default=_number),
        "one line": json.dumps(projects, ensure_ascii=False, default=_number),
        "escaped, tabs": json.dumps(projects, indent="\t", default=_number),
        "one project": json.dumps(projects[0], ensure_ascii=False, indent=4, default=_number),
        "spaces everywhere": json.dumps(projects, ensure_ascii=False, indent=1, default=_number)
        .replace(": ", " :  ")
        .replace(",\n", "\n,\r\n"),
    }


SEEDS = [p.data for path in sorted(DATA.glob("*.yaml")) for p in load_file(path)]


@pytest.mark.parametrize("layout", list(_layouts(SEEDS[:1])))
def test_every_path_has_the_line_yaml_gives_it(layout: str) -> None:
    text = _layouts(SEEDS)[layout]
    (document,) = EventBuilder("p.json").documents(text)
    expected = list(_split(document))
    assert len(expected) == (1 if layout == "one project" else len(SEEDS))
    walked = JsonText(text)  # shared by the projects of a file, as the loader does
    for index, (_data, lines) in reversed(list(enumerate(expected))):  # the last first
        found = JsonLines(walked, () if layout == "one project" else (index,))
        assert lines, "YAML found no lines"
        for path, line in reversed(lines.items()):
            assert found[path] == line, (index, path)


def test_a_path_the_text_lacks_has_no_line_and_its_parent_does() -> None:
    text = '[\n {"年度": 2024,\n  "绩效指标": [\n   {"名称": "a"}\n  ]\n }\n]'
    lines = JsonLines(text, (0,))
    assert ("绩效指标", 5) not in lines and ("无此项",) not in lines
    assert ("绩效指标", 0, "名称") in lines and lines[("绩效指标", 0, "名称")] == 4
    assert lines[()] == 2 and lines[("绩效指标",)] == 3
    assert ("年度", 0) not in lines  # a number has no items
    assert set(lines) == {("绩效指标", 0, "名称"), ("绩效指标",), ()}  # those found
    assert JsonLines(text, (1,)).get(()) is None


def test_a_file_of_many_projects_is_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each project asks for its lines in turn; stepping over the projects before it each
    # time would make a file of 10,000 projects cost 50 million steps.
    text = json.dumps([{"年度": 2024, "项目名称": f"项目{i}"} for i in range(2000)], indent=1)
    steps = 0
    step_over = JsonText._after

    def counted(self: JsonText, at: int) -> int:
        nonlocal steps
        steps += 1
        return step_over(self, at)

    monkeypatch.setattr(JsonText, "_after", counted)
    walked = JsonText(text)
    lines = [JsonLines(walked, (i,))[("项目名称",)] for i in range(2000)]
    assert lines == [4 * i + 4 for i in range(2000)]
    assert steps <= 2 * 2000  # each project stepped over once, and each one's 年度


def test_long_numbers_are_stepped_over_without_being_converted() -> None:
    text = '[{"a": ' + "9" * 4000 + ', "b": 1e999999999}, {"c": 1}]'
    assert JsonLines(text, (1,))[("c",)] == 1
    assert JsonLines(text, (0,))[("b",)] == 1


def test_a_json_projects_finding_names_its_line(tmp_path: Path) -> None:
    project = dict(SEEDS[0])
    indicators = [dict(row) for row in project["绩效指标"]]
    indicators[2]["得分"] = indicators[2]["分值"] + 5  # scores above its 分值: an error
    other = {**project, "绩效指标": indicators, "项目名称": "第二个项目"}
    text = json.dumps([project, other], ensure_ascii=False, indent=2, default=_number)
    (tmp_path / "两个项目.json").write_text(text, encoding="utf-8")
    (document,) = EventBuilder("").documents(text)
    line = list(_split(document))[1][1][("绩效指标", 2, "得分")]
    result = run_docgen("check", "两个项目.json", cwd=tmp_path)
    assert result.returncode == 1
    assert f"两个项目.json:{line}: error: 绩效指标[2].得分" in result.stderr
