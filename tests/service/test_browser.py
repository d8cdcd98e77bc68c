"""A clerk at the web page, for real: Playwright driving Debian's Chromium."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import MINIMAL
from tests.service.conftest import Server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
def page(tmp_path: Path):  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is missing in CI: .ci/run must install it (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(accept_downloads=True, locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


def test_a_planted_error_is_shown_then_the_fixed_data_downloads(
    page, server: Server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    assert page.title().startswith("docgen")
    planted = MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 55}")
    page.get_by_label("项目数据（YAML / JSON）").fill(planted)
    page.get_by_role("button", name="检查").click()
    status = page.get_by_role("status")
    assert "1 个错误" in status.inner_text()
    finding = page.locator("li.error").first.inner_text()
    assert (
        "第 13 行" in finding
        and "绩效指标[0].得分" in finding
        and "得分 55 超过分值 50；指标得分不能超过其分值" in finding  # Chinese, like the page
    )

    page.get_by_label("项目数据（YAML / JSON）").fill(MINIMAL)
    page.get_by_role("button", name="检查").click()
    assert "0 个错误" in page.get_by_role("status").inner_text()

    page.get_by_label("文档").select_option("table")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成并下载").click()
    download = download_info.value
    assert download.suggested_filename.endswith("_自评表.docx")
    target = tmp_path / "downloaded.docx"
    download.save_as(target)
    document = Document(io.BytesIO(target.read_bytes()))
    assert document.tables[0].rows[0].cells[-1].text == "信息化运维项目"


@pytest.mark.parametrize("upload", ["seed001_minhang_weijian_2023.xlsx", "dept.zip"])
def test_the_checked_upload_is_what_downloads(
    page, server: Server, tmp_path: Path, upload: str
) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from tests.conftest import DATA

    if upload.endswith(".zip"):
        path = tmp_path / upload
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(DATA / "seed002_shanghai_yibao_2024.yaml", "dept/a.yaml")
    else:
        path = DATA / upload
    page.goto(server.url + "/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="检查").click()
    assert "可以生成文档" in page.get_by_role("status").inner_text()
    # The browser emptied the file input; the page says which upload it keeps.
    assert path.name in page.locator("#kept").inner_text()
    page.get_by_label("文档").select_option("table")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成并下载").click()
    download = download_info.value
    target = tmp_path / "downloaded"
    download.save_as(target)
    with zipfile.ZipFile(target) as result:  # several projects: a zip of their documents
        names = result.namelist()
    assert "汇总.xlsx" in names
    assert sum(name.endswith("_自评表.docx") for name in names) == (13 if "xlsx" in upload else 2)
