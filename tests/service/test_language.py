"""The service answers each request in the language its ``Accept-Language`` asks for."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx

from docgen.service.language import request_language
from tests.conftest import MINIMAL

PLANTED = MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 55}")
YAML = {"content-type": "application/yaml"}
MESSAGE = {
    "zh": "得分 55 超过分值 50；指标得分不能超过其分值",
    "en": "得分 55 exceeds 分值 50; an indicator scores at most its 分值",
}


def check(client: httpx.Client, accept: str | None) -> httpx.Response:
    headers = {**YAML, **({"accept-language": accept} if accept else {})}
    return client.post("/v1/check", content=PLANTED.encode(), headers=headers)


def test_findings_follow_accept_language(client: httpx.Client) -> None:
    for accept, language in (("zh-CN,zh;q=0.9", "zh"), ("en-US,en;q=0.9", "en")):
        response = check(client, accept)
        assert response.status_code == 200
        assert response.headers["content-language"] == language
        assert "accept-language" in response.headers["vary"].lower()
        (error,) = response.json()["errors"]
        assert (error["field"], error["message"]) == ("绩效指标[0].得分", MESSAGE[language])


def test_without_the_header_the_servers_language_applies(client: httpx.Client) -> None:
    response = check(client, None)  # the suite's server runs with DOCGEN_LANG=en
    assert response.headers["content-language"] == "en"
    assert response.json()["errors"][0]["message"] == MESSAGE["en"]


def test_problem_titles_and_details_are_translated(client: httpx.Client) -> None:
    two = json.dumps([{"年度": 2024}, {"年度": 2024}])
    for accept, title, detail in (
        ("zh", "每个请求只能含一个项目", "收到 2 个；多个项目请发送到 /v1/batches"),
        ("en", "one project per request", "got 2; send several to /v1/batches"),
    ):
        response = client.post(
            "/v1/documents",
            content=two.encode(),
            headers={"content-type": "application/json", "accept-language": accept},
        )
        assert response.status_code == 422
        assert (response.json()["title"], response.json()["detail"]) == (title, detail)


def test_concurrent_requests_keep_their_own_language(client: httpx.Client) -> None:
    asked = ["zh", "en"] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda accept: check(client, accept), asked))
    got = [(r.headers["content-language"], r.json()["errors"][0]["message"]) for r in answers]
    assert got == [(language, MESSAGE[language]) for language in asked]


def test_the_web_page_gives_findings_in_chinese_whatever_the_browser(
    client: httpx.Client,
) -> None:
    page = client.post(
        "/web/check", data={"text": PLANTED}, headers={"accept-language": "en-US,en"}
    )
    assert page.status_code == 200
    assert "得分 55 超过分值 50" in page.text
    assert "exceeds" not in page.text


def test_request_language() -> None:
    assert request_language("/", "en") == "zh"
    assert request_language("/web/check", "en") == "zh"
    assert request_language("/v1/check", "en-GB") == "en"
    assert request_language("/v1/check", "de") is None
