from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.sources.loader import load_file, load_text
from tests.commands import run_docgen
from tests.conftest import DATA, MINIMAL


def test_one_mapping_is_one_project() -> None:
    (project,) = load_text(MINIMAL, "p.yaml")
    assert project.data["项目名称"] == "信息化运维项目"
    assert project.line == 1


def test_a_list_holds_several_projects_with_their_start_lines() -> None:
    text = "- " + MINIMAL.replace("\n", "\n  ").rstrip() + "\n- " + MINIMAL.replace("\n", "\n  ")
    projects = load_text(text, "list.yaml")
    assert [p.index for p in projects] == [0, 1]
    assert projects[1].line == MINIMAL.count("\n") + 1


def test_several_yaml_documents_are_several_projects() -> None:
    projects = load_file(DATA / "seed001_minhang_weijian_2023.yaml")
    assert len(projects) == 13
    assert projects[0].data["项目名称"] == "卫生银联专线"


def test_fractions_become_exact_decimals() -> None:
    (project,) = load_text(MINIMAL)
    executed = project.data["项目资金"]["当年财政拨款"]["全年执行数"]
    assert executed == Decimal("162.30") and str(executed) == "162.30"


def test_lines_point_at_keys() -> None:
    (project,) = load_text(MINIMAL)
    assert project.line_of(("绩效指标", 1, "得分")) == 15
    assert project.line_of(("绩效指标", 7, "得分")) == 11  # missing row: its list's line


def test_json_is_read_with_lines(tmp_path: Path) -> None:
    (yaml_project,) = load_text(MINIMAL)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(yaml_project.data, ensure_ascii=False, indent=2, default=str))
    (project,) = load_file(path)
    assert project.data["项目名称"] == "信息化运维项目"
    assert project.line_of(("项目名称",)) == 3


@pytest.mark.parametrize(
    ("text", "name", "line", "message"),
    [
        ("年度: 2024\n项目名称: [unclosed\n", "bad.yaml", 3, "YAML syntax error"),
        ("年度: 2024\n年度: 2025\n", "dup.yaml", 2, 'duplicate key "年度"'),
        ('{"年度": 2024,\n "项目名称": }', "bad.json", 2, "JSON syntax error: "),
        ("", "empty.yaml", None, "holds no project"),
    ],
)
def test_syntax_errors_name_file_and_line(
    text: str, name: str, line: int | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, name)
    assert caught.value.file == name
    assert caught.value.line == line
    assert message in caught.value.message


def test_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "missing.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("项目名称: x".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8") as caught:
        load_file(latin1)
    assert caught.value.hint and "UTF-8" in caught.value.hint


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_file(path)[0].data["年度"] == 2024


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("&a [*a]\n", "self.yaml", "a YAML alias refers to a value that contains it"),
        ("[" * 5000 + "]" * 5000, "deep.json", "nested more than 64 levels deep"),
        ("x: " + "[" * 200 + "]" * 200 + "\n", "deep.yaml", "nested more than 64 levels deep"),
        ("a: " + "9" * 5001 + "\n", "long.yaml", "a number has thousands of digits"),
        ('{"a": ' + "9" * 5001 + "}", "long.json", "a number is too long, too large or too small"),
        (
            "a: !!binary aGVsbG8=\n",
            "tag.yaml",
            "YAML tag tag:yaml.org,2002:binary is not supported",
        ),
        ("a: !custom x\n", "tag.yaml", "YAML tag !custom is not supported"),
        ("a: !!int 1.5\n", "tag.yaml", "'1.5' is not a int"),
        ("[a]: 1\n", "key.yaml", "a key must be plain text"),
    ],
)
def test_hostile_inputs_are_refused_cleanly(text: str, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, name)
    assert message in caught.value.message


def test_an_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(InputError, match="too large: more than 200,000 values"):
        load_text("\n".join(lines) + "\n", "bomb.yaml")


def test_yaml_merge_keys_work_and_keep_lines() -> None:
    text = MINIMAL.replace(
        "  当年财政拨款: {年初预算数: 326.01, 全年预算数: 326.01, 全年执行数: 162.30}",
        "  基准: &base {年初预算数: 326.01, 全年预算数: 326.01}\n  当年财政拨款: {<<: *base, 全年执行数: 162.30}",
    )
    (project,) = load_text(text)
    assert project.data["项目资金"]["当年财政拨款"]["年初预算数"] == Decimal("326.01")
    assert project.line_of(("项目资金", "当年财政拨款", "年初预算数")) == 8


def test_json_duplicate_keys_are_errors_with_lines() -> None:
    with pytest.raises(InputError) as caught:
        load_text('{\n "年度": 2024,\n "年度": 2025\n}', "dup.json")
    assert caught.value.line == 3
    assert 'duplicate key "年度"' in caught.value.message


def test_json_escaped_characters_outside_the_bmp_are_read() -> None:
    (project,) = load_text(json.dumps({"项目名称": "测试𠀀项目"}), "p.json")
    assert project.data["项目名称"] == "测试𠀀项目"


@pytest.mark.parametrize(
    ("scalar", "value"),
    [("yes", "yes"), ("on", "on"), ("010", 10), ("1:30", "1:30"), ("0x1F", 31), ("true", True),
     ("~", None), ("1.50", Decimal("1.50")), ("1e3", Decimal("1e3")), ('"162.30"', "162.30"),
     ("2024-12-31", "2024-12-31"), ("!!float 5", Decimal(5)), ("!!str x", "x")],
)  # fmt: skip
def test_scalars_follow_yaml_1_2(scalar: str, value: object) -> None:
    (project,) = load_text(f"a: {scalar}\n")
    assert project.data["a"] == value
    assert type(project.data["a"]) is type(value)


@pytest.mark.parametrize("text", ["null", "42", '"text"'])
def test_json_that_is_not_a_project_is_reported(text: str) -> None:
    (project,) = load_text(text, "p.json")
    assert project.data == json.loads(text)


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deeply_nested_yaml_is_refused_without_crashing(depth: int) -> None:
    # docgen stops at 64 levels; some libyaml releases stop deep flow collections first.
    # Either way the message is docgen's own and located: the library's wording is not pinned.
    with pytest.raises(InputError, match="nested more than 64 levels deep") as caught:
        load_text("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert caught.value.file == "deep.yaml"
    assert caught.value.line == 1


@pytest.mark.parametrize("depth", [65, 5000, 100_000])
def test_deeply_nested_json_is_refused_on_every_python(depth: int) -> None:
    # json's C parser has no depth limit of its own from Python 3.12 on.
    with pytest.raises(InputError, match="nested more than 64 levels deep") as caught:
        load_text('{"a": ' + "[" * depth + "]" * depth + "}", "deep.json")
    assert caught.value.file == "deep.json"


def test_json_nested_to_the_limit_is_read() -> None:
    (project,) = load_text('{"a": ' + "[" * 63 + "]" * 63 + "}", "deep.json")
    assert isinstance(project.data["a"], list)


def test_deeply_nested_yaml_is_a_clean_error_from_the_command(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run_docgen("check", "deep.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("deep.yaml:1: ")
    assert "nest" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
