"""The web page's result: each finding under its field, and the picture of the 自评表."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from pathlib import Path

import httpx
import pytest

from docgen.i18n import using_language
from docgen.service import web
from docgen.service.settings import Settings
from docgen.service.web import field_label
from tests.conftest import MINIMAL
from tests.service.conftest import Server, running

PLANTED = MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 55}")


def test_field_labels_read_as_the_form_does() -> None:
    with using_language("zh"):  # the page's language
        assert field_label(("绩效指标", 3, "得分")) == "绩效指标 第4行 · 得分"
        assert (
            field_label(("项目资金", "当年财政拨款", "全年执行数"))
            == "项目资金 · 当年财政拨款 · 全年执行数"
        )
        assert field_label((0,)) == "第1行"
        assert field_label(()) == "整个项目"
    with using_language("en"):
        assert field_label(("绩效指标", 3, "得分")) == "绩效指标 row 4 · 得分"


def test_a_finding_stands_under_its_fields_label_with_its_line(client: httpx.Client) -> None:
    page = client.post("/web/check", data={"text": PLANTED})
    assert page.status_code == 200
    html = page.text
    summary = re.search(r'<p id="summary" class="summary error" role="alert">([^<]*)</p>', html)
    assert summary and "1 个错误" in summary.group(1)
    (field,) = re.findall(r'<li class="field has-error".*?</ul></li>', html)
    assert '<strong id="field-1">绩效指标 第1行 · 得分</strong>' in field
    assert '<span class="path">绩效指标[0].得分</span>' in field
    assert '<a class="where" href="#text">粘贴文本第 13 行</a>' in field
    assert '<code class="source">年度指标值: &quot;=4.00(项)&quot;' in field  # the line itself
    assert '<li class="error"><span class="badge">错误</span> 得分 55 超过分值 50' in field
    # The text stays in the form, marked invalid and described by the summary.
    assert 'aria-describedby="text-help summary" aria-invalid="true"' in html
    assert "得分: 55}" in html.split("</textarea>")[0]
    assert "<img" not in html and 'id="preview"' not in html  # no picture of wrong data


def test_warnings_are_marked_apart_from_errors(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "find_soffice", lambda: None)  # no picture needed here
    html = client.post("/web/check", data={"text": MINIMAL}).text
    assert '<li class="field has-warning"' in html and 'class="field has-error"' not in html
    assert '<li class="warning"><span class="badge">提醒</span>' in html
    # A field not filled in is not "on line 1", where its project starts: the page says so.
    missing = re.search(r'<strong id="field-\d">自评报告 · 项目总目标</strong>.*?</div>', html)
    assert missing and "粘贴文本中没有此项" in missing.group(0)
    assert "第 1 行" not in missing.group(0)
    assert 'role="status"' in html and "aria-invalid" not in html


def test_without_libreoffice_the_page_says_so_and_works(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "find_soffice", lambda: None)
    page = client.post("/web/check", data={"text": MINIMAL})
    assert page.status_code == 200
    assert '<p id="preview-note" role="note">预览不可用（未安装 LibreOffice）</p>' in page.text
    assert "<img" not in page.text and "可以生成文档" in page.text
    download = client.post("/web/documents", data={"text": MINIMAL, "kind": "table"})
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_several_projects_get_no_picture(client: httpx.Client) -> None:
    two = "[" + ", ".join([MINIMAL_JSON] * 2) + "]"
    page = client.post("/web/check", data={"text": two})
    assert page.status_code == 200 and "2 个项目" in page.text
    assert 'id="preview"' not in page.text


MINIMAL_JSON = (
    '{"年度": 2024, "项目名称": "甲", "主管部门": "乙", "实施单位": "丙", '
    '"项目资金": {"分值": 10, "当年财政拨款": {"年初预算数": 1, "全年预算数": 1, "全年执行数": 1}}, '
    '"年度总体目标": {"预期目标": "a", "实际完成情况": "b"}, '
    '"绩效指标": [{"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "x", '
    '"年度指标值": "1", "实际完成值": "1", "分值": 90, "得分": 90}]}'
)


def test_the_picture_is_bounded_by_the_render_time_limit(tmp_path: Path) -> None:
    settings = Settings(render_timeout=1, templates_dir=tmp_path, workers=1)
    with running(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:

        async def stuck(data: bytes) -> bytes:
            await asyncio.sleep(60)  # a LibreOffice that never finishes
            return b""

        server.app.state.service.pdf = stuck
        started = time.monotonic()
        page = client.post("/web/check", data={"text": MINIMAL})
        waited = time.monotonic() - started
    assert page.status_code == 200 and "可以生成文档" in page.text
    assert "预览不可用（" in page.text and "<img" not in page.text
    assert waited < 10, f"the page waited {waited:.1f} s for its picture"


def test_healthz_answers_while_the_picture_is_made(server: Server) -> None:
    done = threading.Event()
    answer: list[httpx.Response] = []

    def check() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            answer.append(client.post("/web/check", data={"text": MINIMAL}))
        done.set()

    thread = threading.Thread(target=check)
    thread.start()
    slowest, answers = 0.0, 0
    with httpx.Client(base_url=server.url, timeout=30) as probe:
        while not done.is_set():
            started = time.monotonic()
            assert probe.get("/healthz").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            answers += 1
            time.sleep(0.05)
    thread.join(timeout=120)
    assert answers >= 3 and slowest < 2.5, (answers, slowest)
    assert 'id="preview"' in answer[0].text


def test_only_the_shown_text_is_quoted(client: httpx.Client) -> None:
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("dept/a.yaml", PLANTED)
    page = client.post(
        "/web/check",
        data={"text": "其他文本\n" * 20},  # a paste left in the form, not what is checked
        files={"file": ("dept.zip", packed.getvalue())},
    )
    assert page.status_code == 200
    (field,) = re.findall(r'<li class="field has-error".*?</ul></li>', page.text)
    assert "dept.zip/dept/a.yaml · 第 13 行" in field and '<code class="source">' not in field

    upload = client.post("/web/check", files={"file": ("p.yaml", PLANTED.encode())})
    (field,) = re.findall(r'<li class="field has-error".*?</ul></li>', upload.text)
    assert "p.yaml · 第 13 行" in field and "得分: 55}</code>" in field


def test_docgen_preview_dpi_0_turns_the_picture_off(tmp_path: Path) -> None:
    from docgen.engine import Engine
    from docgen.service.app import Service
    from tests.conftest import checked

    service = Service(Settings(preview_dpi=0, templates_dir=tmp_path, workers=1))
    assert asyncio.run(web.preview(service, Engine(), checked())) == ""
    assert asyncio.run(web.preview(service, Engine(), checked(PLANTED))) == ""
