"""The service's own problems follow the request's ``Accept-Language``: title and detail."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from tests.conftest import MINIMAL

NOT_A_PROJECT = {
    "zh": "数据无法使用",
    "en": "the data cannot be used",
}
PDF_BATCH = {
    "zh": ("批量生成只输出 .docx", "批量生成不提供 format='pdf'：请用 `docgen batch --pdf` 转换"),
    "en": ("a batch is rendered as .docx only", "format='pdf' is not offered for batches"),
}
NOT_FOUND = {"zh": "未找到", "en": "Not Found"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_upload_that_is_not_a_project_is_refused_in_the_language_asked(
    client: httpx.Client, language: str
) -> None:
    response = client.post(
        "/v1/documents",
        content=b"[]",
        headers={"content-type": "application/json", "accept-language": language},
    )
    assert response.status_code == 422
    assert response.headers["content-language"] == language
    assert response.json()["title"] == NOT_A_PROJECT[language]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_pdf_batch_is_refused_in_the_language_asked(client: httpx.Client, language: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("p.yaml", MINIMAL)
    response = client.post(
        "/v1/batches",
        params={"format": "pdf"},
        files={"file": ("projects.zip", buffer.getvalue(), "application/zip")},
        headers={"accept-language": language},
    )
    title, detail = PDF_BATCH[language]
    assert response.status_code == 422, response.text
    assert response.json()["title"] == title
    assert response.json()["detail"].startswith(detail)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_unknown_address_is_refused_in_the_language_asked(
    client: httpx.Client, language: str
) -> None:
    response = client.get("/v1/nowhere", headers={"accept-language": language})
    assert response.status_code == 404
    assert response.json()["title"] == NOT_FOUND[language]
