"""A clerk at the web page, for real: Playwright driving Debian's Chromium."""

from __future__ import annotations

import base64
import io
import os
import shutil
import struct
from pathlib import Path

import pytest
from docx import Document

from docgen.pdf import find_soffice
from tests.conftest import MINIMAL
from tests.service.conftest import Server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("DOCGEN_SCREENSHOTS", "/tmp"))
"""Where the browser test leaves its screenshots of the page (to look at)."""
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
    assert "1 个错误" in page.get_by_role("alert").inner_text()
    # The finding stands beside its field: the form's label, the pasted line, the message.
    field = page.locator("li.field.has-error")
    assert field.count() == 1
    assert field.locator(".name strong").inner_text() == "绩效指标 第1行 · 得分"
    name = field.locator(".name").inner_text()
    assert "粘贴文本第 13 行" in name and "绩效指标[0].得分" in name and "得分: 55}" in name
    message = field.locator("li.error").inner_text()
    assert "得分 55 超过分值 50；指标得分不能超过其分值" in message  # Chinese, like the page
    text = page.get_by_label("项目数据（YAML / JSON）")
    assert text.input_value() == planted  # kept, to be fixed in place
    assert text.get_attribute("aria-invalid") == "true"
    assert page.locator("img").count() == 0  # no picture of data with errors
    page.screenshot(path=str(SHOTS / "web-finding.png"), full_page=True)

    text.fill(MINIMAL)
    page.get_by_role("button", name="检查").click()
    assert "0 个错误" in page.get_by_role("status").inner_text()
    assert page.locator("li.field.has-error").count() == 0
    if find_soffice() is None:
        assert "预览不可用（未安装 LibreOffice）" in page.locator("#preview-note").inner_text()
    else:
        image = page.get_by_role("img", name="自评表第一页预览")
        source = image.get_attribute("src") or ""
        assert source.startswith("data:image/png;base64,")
        width, height = png_size(base64.b64decode(source.removeprefix("data:image/png;base64,")))
        assert 600 <= width <= 1000 and 1.3 < height / width < 1.5  # an A4 page at 90 dpi
        assert image.evaluate("i => i.complete && i.naturalWidth") == width  # it decodes
    page.screenshot(path=str(SHOTS / "web-preview.png"), full_page=True)

    page.get_by_label("文档").select_option("table")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成并下载").click()
    download = download_info.value
    assert download.suggested_filename.endswith("_自评表.docx")
    target = tmp_path / "downloaded.docx"
    download.save_as(target)
    document = Document(io.BytesIO(target.read_bytes()))
    assert document.tables[0].rows[0].cells[-1].text == "信息化运维项目"


def png_size(data: bytes) -> tuple[int, int]:
    """Return the width and height of a PNG (from its IHDR chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


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
