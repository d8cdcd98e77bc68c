"""What a template author reads, in Chinese by default and in English on request.

Each class of message of the render layer is read through the real ``docgen`` command, from
the author's own folder: a tag that does not parse, a construct the sandbox forbids, a limit
a template hits in its trial render, a bad value in a template's config (with the config's
file and line), and a templates folder that is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands import run_docgen
from tests.conftest import MINIMAL
from tests.hostile import hostile_docx

ZH = {"DOCGEN_LANG": "zh"}
EN = {"DOCGEN_LANG": "en"}


def checked(tmp_path: Path, tag: str, env: dict[str, str]) -> str:
    """Return what ``docgen templates check`` says of the 自评表 with *tag* in its first cell."""
    (tmp_path / "table.docx").write_bytes(hostile_docx(tag=tag))
    result = run_docgen("templates", "check", "table.docx", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            ZH,
            [
                "table.docx: 表格 1 第 1 行第 2 列“{{ 项目名称 | }}”: 错误: {{ 项目名称 | }} 有语法错误：",
                "改法: 请检查标签的拼写、括号和引号",
                "table.docx 中有 1 个问题",
            ],
        ),
        (
            EN,
            [
                'table.docx: table 1, row 1, column 2 "{{ 项目名称 | }}": error: syntax error in '
                "{{ 项目名称 | }}: ",
                "fix: check the tag's spelling, brackets and quotes",
                "1 problem(s) in table.docx",
            ],
        ),
    ],
)
def test_a_syntax_error_is_located_in_the_users_language(
    tmp_path: Path, env: dict[str, str], expected: list[str]
) -> None:
    said = checked(tmp_path, "{{ 项目名称 | }}", env)
    assert all(line in said for line in expected), said


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            ZH,
            [
                "表格 1 第 1 行第 2 列“{{ 项目名称.__class__ }}”",
                "'__class__'：模板不能访问 Python 内部",
                "改法: 请删除；沙箱反正会拒绝它",
            ],
        ),
        (
            EN,
            [
                'table 1, row 1, column 2 "{{ 项目名称.__class__ }}"',
                "'__class__': templates cannot reach Python internals",
                "fix: remove it; the sandbox refuses it anyway",
            ],
        ),
    ],
)
def test_a_forbidden_construct_is_refused_in_the_users_language(
    tmp_path: Path, env: dict[str, str], expected: list[str]
) -> None:
    said = checked(tmp_path, "{{ 项目名称.__class__ }}", env)
    assert all(line in said for line in expected), said


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            ZH,
            "错误: 用示例数据试生成失败：table.docx: 表格 1 第 1 行第 2 列“{{ range(10**9)|list }}”: "
            "无法生成：range() 的 1,000,000,000 项超出了 docgen 的上限 100,000 项",
        ),
        (
            EN,
            "error: trial render with sample data failed: table.docx: table 1, row 1, column 2 "
            '"{{ range(10**9)|list }}": cannot render: range() of 1,000,000,000 items exceeds '
            "docgen's limit of 100,000 items",
        ),
    ],
)
def test_a_limit_the_trial_render_hits_is_explained(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    assert expected in checked(tmp_path, "{{ range(10**9)|list }}", env)


def with_config(tmp_path: Path, config: str) -> Path:
    """Return a folder ``templates/`` with the 自评表 and its YAML config *config*."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "table.docx").write_bytes(hostile_docx())
    (folder / "table.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            ZH,
            "templates/table.yaml:2: 模板配置有误：舍入规则：未知的值 '去尾'；请用 标准、截断 或 四舍五入",
        ),
        (
            EN,
            "templates/table.yaml:2: bad template config: 舍入规则: unknown value '去尾'; "
            "use 标准, 截断 or 四舍五入",
        ),
    ],
)
def test_a_bad_template_config_names_its_line_and_the_choices(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    with_config(tmp_path, "数字格式: 常规\n舍入规则: 去尾\n")
    check = run_docgen("templates", "check", "templates/table.docx", cwd=tmp_path, env=env)
    assert check.returncode == 1
    assert f"templates/table.docx: {'错误' if env is ZH else 'error'}: {expected}" in check.stderr
    render = run_docgen("render", "p.yaml", "-k", "table", "-o", "out", cwd=tmp_path, env=env)
    assert render.returncode == 1
    assert expected in render.stderr
    assert "Traceback" not in render.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (ZH, "模板配置有误：预算执行律：未知的键 '预算执行律'；是否想写 '预算执行率'？"),
        (
            EN,
            "bad template config: 预算执行律: unknown key '预算执行律'; did you mean '预算执行率'?",
        ),
    ],
)
def test_a_misspelt_config_key_gets_a_guess(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    with_config(tmp_path, "预算执行律: 完成\n")
    result = run_docgen("templates", "check", "templates/table.docx", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (ZH, "nope: DOCGEN_TEMPLATES 指定的模板文件夹：文件夹不存在"),
        (EN, "nope: templates folder given by DOCGEN_TEMPLATES: no such folder"),
    ],
)
def test_a_missing_templates_folder_is_said_in_the_users_language(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen(
        "render", "p.yaml", "-o", "out", cwd=tmp_path, env={**env, "DOCGEN_TEMPLATES": "nope"}
    )
    assert result.returncode == 1
    assert expected in result.stderr


def test_the_variables_reference_is_written_in_the_users_language(tmp_path: Path) -> None:
    chinese = run_docgen("templates", "variables", cwd=tmp_path, env=ZH)
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("# 模板变量\n")
    assert "| `money` | 输出金额，带千位分隔符并保留两位小数：7711.175 → ``7,711.18``。 |" in (
        chinese.stdout
    )
    assert "| `用语.来源行得分` | `来源行得分` | `-` | （空白） |" in chinese.stdout
    english = run_docgen("templates", "variables", cwd=tmp_path, env=EN)
    assert english.stdout.startswith("# Template variables\n")  # docs/variables.md is this one
    assert "| variable | type | example |" in english.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            ZH,
            [
                "自评表模板：templates/table.docx，在数据旁的 templates 中找到",
                "自评报告模板：内置 report.docx",
            ],
        ),
        (
            EN,
            [
                "自评表 template: templates/table.docx, found beside the data in templates",
                "自评报告 template: built-in report.docx",
            ],
        ),
    ],
)
def test_where_each_template_comes_from_is_said_in_the_users_language(
    tmp_path: Path, env: dict[str, str], expected: list[str]
) -> None:
    with_config(tmp_path, "数字格式: 常规\n")
    result = run_docgen("render", "p.yaml", "-o", "out", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert all(line in result.stderr for line in expected), result.stderr
