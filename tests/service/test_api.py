"""The HTTP API against the running service, every error path included."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import unquote

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from docgen.sources.loader import load_file
from tests.conftest import DATA, MINIMAL, ROOT
from tests.render.test_check import variant
from tests.service.conftest import TOKEN

PROBLEM = "application/problem+json"


def project_json(name: str = "seed002_shanghai_yibao_2024.yaml", index: int = 0) -> dict:
    return json.loads(json.dumps(load_file(DATA / name)[index].data, default=str))


def post_json(client: httpx.Client, path: str, data: object, **params: str) -> httpx.Response:
    return client.post(path, content=json.dumps(data, ensure_ascii=False).encode(),
                       headers={"content-type": "application/json"}, params=params)  # fmt: skip


def test_health_and_schema(client: httpx.Client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    schema = client.get("/v1/schema").json()
    assert {"项目名称", "name"} <= set(schema["$defs"]["Project"]["properties"])
    assert "/v1/documents" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200


def test_documents_returns_the_docx_with_a_safe_name(client: httpx.Client) -> None:
    response = post_json(client, "/v1/documents", project_json(), kind="自评表")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="2024_')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "2024_信息化运维项目_自评表.docx"
    document = Document(io.BytesIO(response.content))
    assert document.tables[0].rows[0].cells[-1].text == "信息化运维项目"


def test_documents_accepts_english_names_and_yaml(client: httpx.Client) -> None:
    response = client.post("/v1/documents", content=MINIMAL.encode(),
                           headers={"content-type": "application/yaml"}, params={"kind": "report"})  # fmt: skip
    assert response.status_code == 200
    assert "自评报告" in unquote(response.headers["content-disposition"])


@pytest.mark.parametrize(
    ("body", "params", "status", "title"),
    [
        ('{"年度": ', {}, 422, "the data cannot be used"),
        ("[]", {}, 422, "the data cannot be used"),
        (json.dumps([{"a": 1}, {"b": 2}]), {}, 422, "one project per request"),
        ('{"年度": 2024}', {}, 422, "invalid project data"),
        ("{}", {"kind": "报表"}, 422, "unknown document kind"),
        ("{}", {"format": "gif"}, 422, "invalid request"),
        ("{}", {"template": "../etc"}, 422, "bad template name"),
        ("{}", {"template": "missing"}, 404, "no such template"),
    ],
)
def test_bad_requests_are_problem_details(
    client: httpx.Client, body: str, params: dict[str, str], status: int, title: str
) -> None:
    response = client.post("/v1/documents", content=body.encode(),
                           headers={"content-type": "application/json"}, params=params)  # fmt: skip
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == title


def test_invalid_data_reports_field_paths(client: httpx.Client) -> None:
    data = project_json()
    data["绩效指标"]["产出指标"]["数量指标"][0]["得分"] = "9"
    response = post_json(client, "/v1/documents", data)
    assert response.status_code == 422
    (error,) = [e for e in response.json()["errors"] if e["path"] == "绩效指标[3].得分"]
    assert "得分 9 exceeds 分值 5" in error["message"]


def test_check_and_documents_take_a_rule_set(client: httpx.Client) -> None:
    data = project_json(index=1)  # 聘用专业人员次数: ≥300, 56 done, 分值 4, typed 1
    report = post_json(client, "/v1/check", data, scoring="财预[2020]10号").json()
    assert report["figures"]["评分规则"] == "财预〔2020〕10号"
    row = next(r for r in report["indicators"] if r["三级指标"] == "聘用专业人员次数")
    assert (row["得分"], row["rule"], row["rule_score"]) == ("1", "typed", "0.75")
    (warning,) = [w for w in report["warnings"] if w["field"] == row_field(report, row)]
    assert "得分 1 differs from 0.75, the figure of 财预〔2020〕10号" in warning["message"]
    assert warning["hint"].startswith("use the rule's figure")
    # under 101号 its 执行率 26.10 % scores the funds 0, not the stated 2.61: an error
    refused = post_json(client, "/v1/documents", data, scoring="czy2021-101")
    assert refused.status_code == 422
    assert any(e["path"] == "项目资金.得分" for e in refused.json()["errors"])
    assert post_json(client, "/v1/documents", data, scoring="czy2020-10").status_code == 200


def row_field(report: dict, row: dict) -> str:
    return f"绩效指标[{row['index']}].得分"


def test_an_unknown_rule_set_is_a_422_naming_the_valid_ones(client: httpx.Client) -> None:
    response = post_json(client, "/v1/check", project_json(), scoring="10号")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == (
        "unknown 评分规则 '10号'; use 财预〔2020〕10号 (czy2020-10) or 财预〔2021〕101号 (czy2021-101)"
    )


def test_check_answers_200_with_the_report(client: httpx.Client) -> None:
    good = post_json(client, "/v1/check", project_json()).json()
    assert (good["ok"], good["errors"]) == (True, [])
    # As `docgen check` says: the 自评报告 of a form-only project would print 无 there.
    assert [w["field"] for w in good["warnings"]] == [
        "自评报告.项目总目标",
        "自评报告.项目实施计划",
    ]
    figures = {"执行率": "49.78", "资金得分": "4.98", "总分": "94.98", "分值合计": "100",
               "评分等级": "优", "舍入规则": "标准", "评分规则": None}  # fmt: skip
    assert figures.items() <= good["figures"].items()
    assert {row["rule"] for row in good["indicators"]} == {"typed"}
    data = project_json()
    data["项目名城"] = "x"
    bad = post_json(client, "/v1/check", data)
    assert bad.status_code == 200
    assert bad.json()["ok"] is False
    assert bad.json()["errors"][0]["message"] == "unknown key '项目名城'; did you mean '项目名称'?"


def test_too_many_indicators_and_too_large_requests(client: httpx.Client, server) -> None:  # type: ignore[no-untyped-def]
    data = project_json()
    rows = data["绩效指标"]["产出指标"]["数量指标"]
    data["绩效指标"]["产出指标"]["数量指标"] = rows * 40
    assert post_json(client, "/v1/documents", data).status_code == 413
    huge = b'{"x": "' + b"a" * (server.settings.max_request_bytes + 10) + b'"}'
    response = client.post("/v1/check", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"a" * 65536

    chunked = client.post(
        "/v1/check", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413


def test_batches_return_documents_summary_and_failures(client: httpx.Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(DATA / "seed002_shanghai_yibao_2024.yaml", "dept/a.yaml")
        archive.writestr("dept/bad.yaml", "年度: [\n")
        archive.writestr("readme.txt", "ignored")
    response = client.post(
        "/v1/batches", files={"file": ("dept.zip", buffer.getvalue(), "application/zip")}
    )
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as result:
        names = set(result.namelist())
        assert {"汇总.xlsx", "failures.json", "2024_信息化运维项目_自评表.docx"} <= names
        failures = json.loads(result.read("failures.json"))
        assert len(failures) == 1 and failures[0]["file"].endswith("bad.yaml")
        sheet = load_workbook(io.BytesIO(result.read("汇总.xlsx")))["汇总"]
        assert sheet.max_row == 1 + 3 + 1  # header, 2 projects + 1 failed, totals


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("x.txt", b"hello", 422),
        ("bomb.zip", None, 413),
        ("tricks.zip", "tricks", 422),
        ("many.yaml", "many", 413),
    ],
)
def test_batch_uploads_are_refused_when_unsafe(
    client: httpx.Client, name: str, content: object, status: int
) -> None:
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("big.yaml", b"0" * (50 * 1024 * 1024))
        content = buffer.getvalue()
    elif content == "tricks":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("../../escape.yaml", MINIMAL)
        content = buffer.getvalue()
    elif content == "many":
        content = ("---\n".join([MINIMAL] * 41)).encode()
    response = client.post("/v1/batches", files={"file": (name, content)})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM


def test_templates_upload_needs_the_token_and_a_clean_template(
    client: httpx.Client, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    good = (ROOT / "templates" / "table.docx").read_bytes()
    files = {"file": ("table.docx", good)}
    form = {"name": "区级", "kind": "自评表"}
    assert client.post("/v1/templates", files=files, data=form).status_code == 401
    wrong = client.post(
        "/v1/templates", files=files, data=form, headers={"authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    auth = {"authorization": f"Bearer {TOKEN}"}
    broken = variant(tmp_path, ("{{ 项目名称 }}", "{{ 项目名城 }}")).read_bytes()
    refused = client.post(
        "/v1/templates", files={"file": ("t.docx", broken)}, data=form, headers=auth
    )
    assert refused.status_code == 422
    assert "unknown variable '项目名城'" in refused.json()["errors"][0]["message"]
    escape = variant(tmp_path, ("{{ 项目名称 }}", "{{ ''.__class__.__mro__ }}")).read_bytes()
    assert (
        client.post(
            "/v1/templates", files={"file": ("t.docx", escape)}, data=form, headers=auth
        ).status_code
        == 422
    )
    dtd = _with_dtd(good)
    refused = client.post("/v1/templates", files={"file": ("t.docx", dtd)}, data=form, headers=auth)
    assert refused.status_code == 422 and "DTD" in refused.json()["title"]

    stored = client.post("/v1/templates", files=files, data=form, headers=auth)
    assert stored.status_code == 201, stored.text
    listing = client.get("/v1/templates").json()
    assert {"name": "区级", "kind": "自评表", "origin": "uploaded"} in listing
    rendered = post_json(client, "/v1/documents", project_json(), template="区级")
    assert rendered.status_code == 200


def _with_dtd(docx: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            target.writestr(info, data)
    return buffer.getvalue()


def test_documents_as_pdf(client: httpx.Client) -> None:
    import os

    from docgen.pdf import find_soffice

    if find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install it")
        pytest.skip("LibreOffice is not installed")
    response = post_json(client, "/v1/documents", project_json(), kind="table", format="pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert unquote(response.headers["content-disposition"]).endswith("_自评表.pdf")


def test_a_render_over_the_time_limit_is_a_503_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    import time

    from tests.service.conftest import _free_port

    port = _free_port()
    env = {**os.environ, "DOCGEN_RENDER_TIMEOUT": "0", "DOCGEN_SERVICE_TEMPLATES": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as local:
            for _ in range(200):
                try:
                    local.get("/healthz")
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            response = post_json(local, "/v1/documents", project_json())
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    # With a limit of 0 s, reading the data already exceeds it: parsing is bounded too.
    assert response.json()["title"] in ("reading the data took too long", "rendering took too long")


def test_workbooks_are_accepted_like_yaml(client: httpx.Client) -> None:
    workbook = (DATA / "seed001_minhang_weijian_2023.xlsx").read_bytes()
    batch = client.post(
        "/v1/batches", files={"file": ("dept.xlsx", workbook)}, params={"kind": "table"}
    )
    assert batch.status_code == 200, batch.text
    with zipfile.ZipFile(io.BytesIO(batch.content)) as result:
        assert sum(name.endswith("_自评表.docx") for name in result.namelist()) == 13
    from docgen.convert import render_projects
    from docgen.sources.loader import load_file as load

    one = render_projects(load(DATA / "seed000_minhang_yibao_2022.yaml"), ".xlsx")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    checked = client.post("/v1/check", content=one, headers={"content-type": xlsx})
    assert checked.status_code == 200 and checked.json()["ok"] is True


def test_upload_names_never_become_paths(client: httpx.Client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "PWNED.yaml"
    for route, data in (("/web/check", {}), ("/web/documents", {"kind": "all"})):
        response = client.post(route, data=data, files={"file": (str(target), MINIMAL.encode())})
        assert response.status_code < 500, response.text
        assert not target.exists()
    response = client.post("/v1/batches", files={"file": ("../../x/../p.yaml", MINIMAL.encode())})
    assert response.status_code == 200


@pytest.mark.parametrize("body", ['{"年度": 1e999999999}', '{"年度": 1e-999999999}'])
def test_absurd_exponents_are_refused_at_once(client: httpx.Client, body: str) -> None:
    response = client.post("/v1/check", content=body.encode(), headers={"content-type": "application/json"},
                           timeout=10)  # fmt: skip
    assert response.status_code == 200
    assert "too long, too large or too small" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("variant_kind", ["padded", "utf16", "duplicate"])
def test_dtd_tricks_in_templates_are_refused(client: httpx.Client, variant_kind: str) -> None:
    good = (ROOT / "templates" / "table.docx").read_bytes()
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml" and variant_kind != "duplicate":
                text = data.decode("utf-8").replace(
                    "?>", "?><!--" + "x" * 5000 + '--><!DOCTYPE x [<!ENTITY a "ENTITYWORKS">]>', 1
                )
                if variant_kind == "utf16":
                    text = text.replace("encoding='UTF-8'", "encoding='UTF-16'").replace(
                        'encoding="UTF-8"', 'encoding="UTF-16"'
                    )
                    data = text.encode("utf-16")
                else:
                    data = text.encode("utf-8")
            target.writestr(info, data)
        if variant_kind == "duplicate":
            with pytest.warns(UserWarning):
                target.writestr("word/document.xml", b"<x/>")
    auth = {"authorization": f"bearer {TOKEN}"}
    response = client.post("/v1/templates", files={"file": ("t.docx", buffer.getvalue())},
                           data={"name": f"dtd_{variant_kind}", "kind": "自评表"}, headers=auth)  # fmt: skip
    assert response.status_code == 422, response.text


def test_damaged_zips_are_4xx(client: httpx.Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.yaml", MINIMAL)
    damaged = bytearray(buffer.getvalue())
    offset = damaged.find("年度".encode())
    damaged[offset] ^= 0xFF  # breaks the CRC
    response = client.post("/v1/batches", files={"file": ("d.zip", bytes(damaged))})
    assert response.status_code == 422 and "cannot be read" in response.json()["title"]


def test_a_template_whose_properties_name_another_kind_is_refused(client: httpx.Client) -> None:
    good = (ROOT / "templates" / "table.docx").read_bytes()
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="文档类型">'
        "<vt:lpwstr>自评报告</vt:lpwstr></property></Properties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("docProps/custom.xml", custom)
    response = client.post("/v1/templates", files={"file": ("t.docx", buffer.getvalue())},
                           data={"name": "wrongkind", "kind": "自评表"},
                           headers={"authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 422
    assert "this template says it is a 自评报告" in response.json()["detail"]
