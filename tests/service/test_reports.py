"""What the service tells a client: only the client's own names, errors as documented."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile

import httpx
import pytest
from openpyxl import load_workbook

from tests.conftest import DATA, MINIMAL
from tests.service.conftest import TOKEN

SERVER_TEMP = tempfile.gettempdir()


def dept_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(DATA / "seed002_shanghai_yibao_2024.yaml", "dept/a.yaml")
        archive.writestr("dept/bad.yaml", "年度: [\n")
        archive.writestr("dept/wrong.yaml", MINIMAL.replace("得分: 50}", "得分: 55}"))
    return buffer.getvalue()


def test_batch_reports_name_the_uploaded_files_never_server_paths(client: httpx.Client) -> None:
    response = client.post(
        "/v1/batches", files={"file": ("dept.zip", dept_zip(), "application/zip")}
    )
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as result:
        failures_text = result.read("failures.json").decode()
        book = load_workbook(io.BytesIO(result.read("汇总.xlsx")))
    assert SERVER_TEMP not in failures_text
    failures = json.loads(failures_text)
    assert sorted(f["file"] for f in failures) == [
        "dept.zip/dept/bad.yaml",
        "dept.zip/dept/wrong.yaml",
    ]
    wrong = next(f for f in failures if f["file"].endswith("wrong.yaml"))
    (error,) = wrong["errors"]  # one structured finding, as check --json and the API give
    assert error["file"] == "dept.zip/dept/wrong.yaml" and error["line"] == 13
    assert error["field"] == "绩效指标[0].得分" and error["severity"] == "error"
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert not any(SERVER_TEMP in c for c in cells)
    assert "dept.zip/dept/a.yaml" in cells


def test_a_bad_workbook_upload_names_the_upload(client: httpx.Client) -> None:
    response = client.post(
        "/v1/check",
        content=b"PK\x03\x04 not really a workbook",
        headers={
            "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    assert response.status_code < 500  # /v1/check answers 200 with the errors
    assert "not an Excel workbook" in response.text
    assert SERVER_TEMP not in response.text


def test_a_pdf_batch_is_refused_not_ignored(client: httpx.Client) -> None:
    response = client.post(
        "/v1/batches",
        params={"format": "pdf"},
        files={"file": ("dept.zip", dept_zip(), "application/zip")},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "docgen batch --pdf" in response.json()["detail"]


def test_a_missing_token_says_how_to_authenticate(client: httpx.Client) -> None:
    response = client.post(
        "/v1/templates",
        files={"file": ("t.docx", b"x", "application/octet-stream")},
        data={"name": "x", "kind": "自评表"},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert response.headers["content-type"] == "application/problem+json"
    assert TOKEN not in response.text


@pytest.fixture
def openapi(client: httpx.Client) -> dict:  # type: ignore[type-arg]
    return dict(client.get("/openapi.json").json())


def test_openapi_documents_errors_as_problem_details(openapi: dict) -> None:  # type: ignore[type-arg]
    assert "HTTPValidationError" not in json.dumps(openapi)
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for status in ("422", "default"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)
    assert openapi["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_openapi_names_the_token_for_uploads(openapi: dict) -> None:  # type: ignore[type-arg]
    scheme = openapi["components"]["securitySchemes"]["bearerToken"]
    assert scheme == {"type": "http", "scheme": "bearer", "description": scheme["description"]}
    upload = openapi["paths"]["/v1/templates"]["post"]
    assert {"bearerToken": []} in upload["security"]
    assert "WWW-Authenticate" in upload["responses"]["401"]["headers"]


ITEM_KEYS = {"file", "line", "field", "path", "severity", "message", "hint"}


def test_every_error_item_has_one_shape(client: httpx.Client) -> None:
    invalid = client.post(
        "/v1/documents",
        content=MINIMAL.replace("得分: 50}", "得分: 55}").encode(),
        headers={"content-type": "application/yaml"},
    )
    unreadable = client.post(
        "/v1/documents", content="年度: [\n".encode(), headers={"content-type": "application/yaml"}
    )
    bad_query = client.post("/v1/documents", params={"format": "doc"}, content=b"{}")
    template = client.post(
        "/v1/templates",
        files={"file": ("t.docx", b"not a docx", "application/octet-stream")},
        data={"name": "x", "kind": "自评表"},
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    for response in (invalid, unreadable, bad_query, template):
        assert 400 <= response.status_code < 500, response.text
        items = response.json().get("errors", [])
        assert items, response.text
        for item in items:
            assert set(item) == ITEM_KEYS, item
    assert invalid.json()["errors"][0]["line"] == 13
    assert unreadable.json()["errors"][0]["file"] == "request.yaml"
