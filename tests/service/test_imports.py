"""``POST /v1/imports``: last year's form back as JSON (warnings as problem items) or a file."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import docx
import httpx
import openpyxl

from docgen.model.project import Project
from tests.conftest import DATA
from tests.importing.compare import facts, projects
from tests.importing.forms import Style, build

SEED002 = projects(DATA / "seed002_shanghai_yibao_2024.yaml")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form(tmp_path: Path, cut_figure: bool = False) -> bytes:
    path = build(SEED002, Style(), tmp_path / "去年.docx")
    if cut_figure:
        document = docx.Document(str(path))
        document.tables[0].rows[11].cells[5].text = "五"
        document.save(str(path))
    return path.read_bytes()


def test_a_form_comes_back_as_json_with_exact_numbers(client: httpx.Client, tmp_path: Path) -> None:
    response = client.post("/v1/imports", files={"file": ("去年.docx", _form(tmp_path), DOCX)})
    assert response.status_code == 200, response.text
    body = json.loads(response.text, parse_float=Decimal)
    assert body["warnings"] == []
    got = [Project.model_validate(p) for p in body["projects"]]
    assert [facts(p) for p in got] == [facts(p) for p in SEED002]
    assert '"执行率": 49.78' in response.text and '"得分": 4.98' in response.text


def test_warnings_are_problem_items_with_their_cell(client: httpx.Client, tmp_path: Path) -> None:
    data = _form(tmp_path, cut_figure=True)
    response = client.post("/v1/imports", files={"file": ("去年.docx", data, DOCX)})
    assert response.status_code == 200
    assert response.headers["x-docgen-warnings"] == "1"
    [warning] = response.json()["warnings"]
    assert warning["file"] == "去年.docx"
    assert warning["line"] == "table 1 row 12 column 6"
    assert warning["field"] == "绩效指标[1].分值"
    assert warning["severity"] == "warning"
    assert "'五' is not a number" in warning["message"]


def test_next_year_as_a_workbook(client: httpx.Client, tmp_path: Path) -> None:
    response = client.post(
        "/v1/imports",
        params={"next_year": "true", "format": "xlsx"},
        files={"file": ("去年.docx", _form(tmp_path), DOCX)},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in book["项目"][1]]
    first = [cell.value for cell in book["项目"][2]]
    assert first[header.index("年度")] == 2025
    assert first[header.index("当年财政拨款·全年执行数")] is None
    rows = book["绩效指标"]
    names = [cell.value for cell in rows[1]]
    assert rows[2][names.index("年度指标值")].value == "≥0.00(%)"
    assert rows[2][names.index("实际完成值")].value is None


def test_a_file_that_is_no_form_is_a_located_422(client: httpx.Client) -> None:
    response = client.post(
        "/v1/imports", files={"file": ("x.pdf", b"%PDF-1.4 no", "application/pdf")}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["file"] == "x.pdf"
    assert "cannot read the PDF" in error["message"]


def test_the_web_page_offers_last_years_form_as_yaml(client: httpx.Client, tmp_path: Path) -> None:
    assert 'href="/web/import"' in client.get("/").text
    page = client.get("/web/import")
    assert page.status_code == 200 and 'accept=".docx,.pdf"' in page.text
    response = client.post(
        "/web/import",
        data={"next_year": "1", "format": "yaml"},
        files={"file": ("去年.docx", _form(tmp_path, cut_figure=True), DOCX)},
    )
    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8")
    # the page is Chinese: the location too
    assert text.startswith(
        "# 去年.docx:表 1 第 12 行 第 6 列: 提醒: 绩效指标[1].分值: '五' 不是数字"
    )
    assert "年度: 2025" in text and "实际完成值" not in text
    refused = client.post(
        "/web/import", files={"file": ("a.pdf", b"%PDF-1.4 x", "application/pdf")}
    )
    assert refused.status_code == 422
    assert "无法导入" in refused.text and "无法读取 PDF" in refused.text
