"""One core: every front end runs the same pipeline and gives the same answer.

One project and one template whose own 舍入规则 (截断) is what makes the project's stated
资金得分 right: ``docgen check``, ``render``, ``batch``, ``templates check --data``, the API's
``/v1/check``, ``/v1/documents`` and ``/v1/batches`` all accept it and, where they render,
write the same bytes. (Before the one core, the service ignored the template's 舍入规则 and
answered 422; ``templates check --data`` did too.)
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from docgen.engine import Engine, NamePlan, RunSettings
from tests.commands import run_docgen
from tests.conftest import MINIMAL, ROOT

# 162.30 / 326.01 = 49.78 %; its 资金得分 is 4.978: 4.98 rounded, 4.97 truncated (截断).
STATED = MINIMAL.replace(
    "  当年财政拨款: {年初预算数: 326.01, 全年预算数: 326.01, 全年执行数: 162.30}\n",
    "  当年财政拨款: {年初预算数: 326.01, 全年预算数: 326.01, 全年执行数: 162.30}\n  得分: 4.97\n",
)
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="舍入规则">'
    "<vt:lpwstr>截断</vt:lpwstr></property></Properties>"
)


def truncating_template() -> bytes:
    """Return the built-in 自评表 template with 舍入规则 截断 in its custom properties."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(ROOT / "templates" / "table.docx") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "docProps/custom.xml":
                target.writestr(info, source.read(info))
        target.writestr("docProps/custom.xml", CUSTOM)
    return buffer.getvalue()


def make_work(tmp_path: Path) -> Path:
    """Write the truncating template as ``tpl/`` and the project as ``dept/p.yaml``."""
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "table.docx").write_bytes(truncating_template())
    (tmp_path / "dept").mkdir()
    (tmp_path / "dept" / "p.yaml").write_text(STATED, encoding="utf-8")
    return tmp_path


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return make_work(tmp_path)


def test_the_project_is_wrong_by_the_default_rules(work: Path) -> None:
    result = run_docgen("check", "dept/p.yaml", cwd=work)
    assert result.returncode == 1
    assert "项目资金.得分" in result.stderr and "stated 4.97" in result.stderr


def test_every_command_line_front_end_follows_the_templates_rounding(work: Path) -> None:
    check = run_docgen("check", "--templates", "tpl", "dept/p.yaml", cwd=work)
    assert check.returncode == 0, check.stderr
    assert "1 project(s) checked, 0 with errors" in check.stderr

    render = run_docgen("render", "dept", "--templates", "tpl", "-k", "table", "-o", "r", cwd=work)
    assert render.returncode == 0, render.stderr
    batch = run_docgen("batch", "dept", "--templates", "tpl", "-k", "table", "-o", "b", cwd=work)
    assert batch.returncode == 0, batch.stderr
    (rendered,) = (work / "r").glob("*.docx")
    assert (work / "b" / rendered.name).read_bytes() == rendered.read_bytes()

    trial = run_docgen("templates", "check", "tpl/table.docx", "--data", "dept/p.yaml", cwd=work)
    assert trial.returncode == 0, trial.stdout + trial.stderr


def test_output_names_are_made_unique_one_way() -> None:
    plan = NamePlan()
    names = [
        "2024_a_自评表.docx",
        "2024_a_自评表.docx",
        "2024_a_自评表.docx",
        "2024_a_自评表_2.docx",
    ]
    assert [plan.claim(n) for n in names] == [
        "2024_a_自评表.docx",
        "2024_a_自评表_2.docx",
        "2024_a_自评表_3.docx",
        "2024_a_自评表_2_2.docx",
    ]


def test_a_clash_is_numbered_alike_by_render_and_batch(work: Path) -> None:
    shutil.copy(work / "dept" / "p.yaml", work / "dept" / "q.yaml")
    args = ["--templates", "tpl", "-k", "table"]
    assert run_docgen("render", "dept", *args, "-o", "r", cwd=work).returncode == 0
    assert run_docgen("batch", "dept", *args, "-o", "b", cwd=work).returncode == 0
    names = sorted(p.name for p in (work / "r").glob("*.docx"))
    assert names == sorted(p.name for p in (work / "b").glob("*.docx"))
    assert names == ["2024_信息化运维项目_自评表.docx", "2024_信息化运维项目_自评表_2.docx"]


def test_only_a_checked_project_without_errors_renders(tmp_path: Path) -> None:
    engine = Engine(RunSettings(kinds=("table",)))
    (good,) = engine.check_text(MINIMAL, "good.yaml")
    (bad,) = engine.check_text(
        MINIMAL.replace("分值: 50, 得分: 50", "分值: 50, 得分: 60"), "b.yaml"
    )
    assert good.valid is not None and bad.valid is None
    assert engine.filenames(good.valid) == ["2024_信息化运维项目_自评表.docx"]
    assert engine.render(good.valid, engine.settings.kind_list[0])[:2] == b"PK"


def test_uploaded_bytes_are_named_as_the_user_named_them(tmp_path: Path) -> None:
    engine = Engine()
    with pytest.raises(Exception) as caught:
        engine.check_bytes(b"PK\x03\x04 not really a workbook", "部门/填报.xlsx")
    assert str(caught.value).startswith("部门/填报.xlsx: not an Excel workbook (.xlsx)")
    book = (ROOT / "data" / "seed001_minhang_weijian_2023.xlsx").read_bytes()
    items = engine.check_bytes(book, "上传/seed001.xlsx")
    assert len(items) == 13 and {i.source.file for i in items} == {"上传/seed001.xlsx"}
    assert all(i.data_file is None for i in items)
