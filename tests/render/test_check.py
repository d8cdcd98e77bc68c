"""docgen templates check: broken templates each give the intended report, all in one run."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.errors import TemplateProblem
from docgen.render.check import check_template
from docgen.render.prepared import PreparedTemplate
from docgen.render.sample import sample_context
from tests.conftest import DATA, ROOT

BUILT_IN = ROOT / "templates" / "table.docx"
runner = CliRunner()


def variant(tmp_path: Path, *replacements: tuple[str, str], name: str = "table.docx") -> Path:
    """Return a copy of the built-in 自评表 with its document.xml edited."""
    source = zipfile.ZipFile(BUILT_IN)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replacements:
                    assert old in text, old
                    text = text.replace(old, new, 1)
                data = text.encode("utf-8")
            target.writestr(info, data)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def report(path: Path, data: Path | None = None) -> list[str]:
    return [str(p) for p in check_template(path, "table", data)]


def test_the_built_in_templates_are_clean() -> None:
    assert report(BUILT_IN, DATA / "seed002_shanghai_yibao_2024.yaml") == []
    assert check_template(ROOT / "templates" / "report.docx", "report") == []


def test_unknown_variable_gets_a_location_and_a_suggestion(tmp_path: Path) -> None:
    path = variant(tmp_path, ("{{ 项目名称 }}", "{{ 项目名城 }}"))
    assert report(path) == [
        "table 1, row 1, column 2 \"{{ 项目名城 }}\": error: unknown variable '项目名城'; "
        "did you mean '项目名称'?\n    fix: see docs/variables.md for every variable a template can use"
    ]


def test_unknown_attribute_in_a_loop_row(tmp_path: Path) -> None:
    path = variant(tmp_path, ("{{ row.三级指标 }}", "{{ row.三级指表 }}"))
    (problem,) = report(path)
    assert problem.startswith(
        'table 2, row 3, column 3 "{{ row.三级指表 }}": error: unknown variable'
    )
    assert "did you mean '三级指标'?" in problem


def test_a_tag_split_across_runs_is_read_whole(tmp_path: Path) -> None:
    split = "{{ 项目</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>名城 }}"
    path = variant(tmp_path, ("{{ 项目名称 }}", split))
    (problem,) = report(path)
    assert (
        'table 1, row 1, column 2 "{{ 项目名城 }}"' in problem
        and "did you mean '项目名称'" in problem
    )
    clean = variant(tmp_path, ("{{ 项目名称 }}", split.replace("名城", "名称")), name="ok.docx")
    assert report(clean) == []


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("{{ 项目名称 }}", "{{ 项目名城 }}"),
        ("{{ 总分|score }}", "{{ 总分|score( }}"),
        ("{{ 主管部门 }}", "{{ 主管部门|scor }}"),
        ("{{ 年度 }}", "{{ 年度"),
        ("财政项目支出绩效自评表", "财政项目支出绩效自评表{ {"),
    )
    problems = report(path)
    assert len(problems) == 5, problems
    assert any("syntax error in {{ 总分|score( }}" in p for p in problems)
    assert any("unknown filter 'scor'; did you mean 'score'?" in p for p in problems)
    assert any("a tag is not closed in this paragraph" in p for p in problems)
    assert any("broken tag '{ {'" in p for p in problems)
    assert any("unknown variable '项目名城'" in p for p in problems)


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (("{%tr endfor %}", "结束"), "{%tr for row in 绩效指标 %} is never closed"),
        (("{%tr endfor %}", "{% endfor %}"), "{% endfor %} closes {%tr for row in 绩效指标 %}, which uses {%tr …%}"),
        (("财政项目支出绩效自评表", "{%tr for x in 绩效指标 %}"), "{%tr … %} outside a table"),
        (("（{{ 年度 }}年度）", "（{{ 年度 }}年度）{% vmerge %}"), "{% vmerge %} outside a table cell"),
        (("{{ 分值合计|score }}", "{% endif %}"), "{% endif %} without a {% if %} before it"),
        (("（{{ 年度 }}年度）", "（{{ 年度 }}年度）{% keepnext %}"), "{% keepnext %} outside a table cell"),
    ],
)  # fmt: skip
def test_loops_and_merges_that_cannot_work(
    tmp_path: Path, replacement: tuple[str, str], message: str
) -> None:
    problems = report(variant(tmp_path, replacement))
    assert any(message in p for p in problems), problems


def test_a_sandbox_escape_is_refused_by_check_and_by_rendering(tmp_path: Path) -> None:
    path = variant(tmp_path, ("{{ 项目名称 }}", "{{ ''.__class__.__mro__ }}"))
    (problem,) = report(path)
    assert "'__class__': templates cannot reach Python internals" in problem
    with pytest.raises(TemplateProblem, match="cannot render"):
        PreparedTemplate(path).render(sample_context("table"))


def test_trial_render_with_data(tmp_path: Path) -> None:
    assert report(BUILT_IN, DATA / "seed001_minhang_weijian_2023.yaml") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("年度: [\n", encoding="utf-8")
    (problem,) = report(BUILT_IN, bad)
    assert "trial render with bad.yaml failed" in problem and "YAML syntax error" in problem


def test_cli_exit_status(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["templates", "check", str(BUILT_IN)])
    assert ok.exit_code == 0 and "OK (自评表)" in ok.stderr
    broken = variant(tmp_path, ("{{ 项目名称 }}", "{{ 项目名城 }}"))
    result = runner.invoke(app, ["templates", "check", str(broken)])
    assert result.exit_code == 1
    assert "1 problem(s)" in result.stderr and "Traceback" not in result.output
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", str(not_docx)])
    assert result.exit_code == 1 and "not a .docx file" in result.stderr


def test_variables_reference_is_current() -> None:
    from docgen.render.variables import variables_markdown

    assert (ROOT / "docs" / "variables.md").read_text(
        encoding="utf-8"
    ) == variables_markdown() + "\n"


def test_tags_in_the_document_properties_are_checked(tmp_path: Path) -> None:
    source = zipfile.ZipFile(BUILT_IN)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace("{{ 项目名称 }}".encode(), "{{ 项目名城 }}".encode())
            target.writestr(info, data)
    path = tmp_path / "table.docx"
    path.write_bytes(buffer.getvalue())
    (problem,) = report(path)
    assert (
        problem.startswith("docProps/core.xml, property ") and "did you mean '项目名称'" in problem
    )
