"""One core, served: the API and the web page give the answers the command line gives.

The project and template of ``tests/test_engine.py``: the template's own 舍入规则 (截断) is
what makes the stated 资金得分 right, so a service that ignored it answered 422.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.commands import run_docgen
from tests.service.conftest import TOKEN
from tests.test_engine import STATED, make_work, truncating_template


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return make_work(tmp_path)


def test_the_service_follows_the_uploaded_templates_rounding(
    work: Path, client: httpx.Client
) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    stored = client.post(
        "/v1/templates",
        files={"file": ("table.docx", truncating_template())},
        data={"name": "trunc", "kind": "自评表"},
        headers=auth,
    )
    assert stored.status_code == 201, stored.text
    body = STATED.encode("utf-8")
    yaml = {"content-type": "application/yaml"}

    default = client.post("/v1/check", content=body, headers=yaml).json()
    assert default["ok"] is False  # the built-in template rounds: 4.98
    checked = client.post("/v1/check", content=body, headers=yaml, params={"template": "trunc"})
    assert checked.json()["ok"] is True, checked.json()["errors"]
    assert checked.json()["figures"]["资金得分"] == "4.97"

    document = client.post(
        "/v1/documents", content=body, headers=yaml, params={"template": "trunc"}
    )
    assert document.status_code == 200, document.text
    render = run_docgen("render", "dept", "--templates", "tpl", "-k", "table", "-o", "r", cwd=work)
    assert render.returncode == 0
    (rendered,) = (work / "r").glob("*.docx")
    assert document.content == rendered.read_bytes()

    batch = client.post(
        "/v1/batches",
        files={"file": ("p.yaml", body)},
        params={"template": "trunc", "kind": "table"},
    )
    assert batch.status_code == 200, batch.text
    with zipfile.ZipFile(io.BytesIO(batch.content)) as archive:
        assert json.loads(archive.read("failures.json")) == []
        assert archive.read(rendered.name) == rendered.read_bytes()
    missing = client.post("/v1/batches", files={"file": ("p.yaml", body)}, params={"template": "x"})
    assert missing.status_code == 404


def test_the_web_page_and_the_cli_agree_on_a_files_own_rounding(
    work: Path, client: httpx.Client
) -> None:
    own = STATED + "舍入规则: 截断\n"
    (work / "dept" / "p.yaml").write_text(own, encoding="utf-8")
    assert run_docgen("check", "dept/p.yaml", cwd=work).returncode == 0
    page = client.post("/web/check", data={"text": own})
    assert page.status_code == 200 and "可以生成文档" in page.text
