"""The 自评价报告 of every example as LibreOffice lays it out: page numbers, no page mostly empty.

Every report is rendered with the built-in template and converted in one ``convert_to_pdf``
call; poppler's ``pdftotext -bbox`` tells how far down each page the text reaches. Skipped
without LibreOffice or poppler, failed instead when ``CI`` is set (as ``tests/test_pdf.py``).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.pdf import convert_to_pdf
from docgen.render.documents import KINDS, render_document
from tests.test_pdf import EXAMPLES, require_tools

REPORT = KINDS["report"]
BOTTOM_MARGIN = 2.2 / 2.54 * 72  # points: the footer (the page number) sits below it
MOSTLY_EMPTY = 0.5  # a page whose text ends above half its height is mostly empty


@dataclass(frozen=True)
class Page:
    """One page: how far down its body text reaches (0–1) and its footer's text."""

    filled: float
    footer: str


def pages(pdf: Path) -> list[Page]:
    """Return every page of *pdf* with its body's depth and its footer's words."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        words = [
            (float(y_max), text)
            for y_max, text in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', page)
        ]
        body = [y for y, _ in words if y < height - BOTTOM_MARGIN]
        footer = "".join(text for y, text in words if y >= height - BOTTOM_MARGIN)
        found.append(Page(max(body, default=0) / height, footer))
    return found


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the PDF of every example's 自评报告, by example id."""
    require_tools()
    folder = tmp_path_factory.mktemp("reports")
    docx = {}
    for index, (name, item) in enumerate(EXAMPLES):
        assert item.project is not None and item.evaluation is not None
        path = folder / f"{index:02d}_{REPORT.filename(item.project)}"
        path.write_bytes(render_document(REPORT, item.project, item.evaluation))
        docx[name] = path
    pdfs = convert_to_pdf(list(docx.values()), folder / "pdf")
    return dict(zip(docx, pdfs, strict=True))


def test_every_report_page_is_numbered_in_its_footer(reports: dict[str, Path]) -> None:
    for name, pdf in reports.items():
        footers = [page.footer for page in pages(pdf)]
        assert footers == [str(n) for n in range(1, len(footers) + 1)], name


def test_no_report_page_but_the_last_is_mostly_empty(reports: dict[str, Path]) -> None:
    """The 资金 tables no longer start a landscape section that leaves page 1 ~60 % blank."""
    for name, pdf in reports.items():
        *body, _last = pages(pdf)
        depths = [f"{page.filled:.0%}" for page in body]
        assert all(page.filled >= MOSTLY_EMPTY for page in body), f"{name}: {depths}"


def test_seed004_report_takes_four_portrait_pages(reports: dict[str, Path]) -> None:
    (pdf,) = [pdf for name, pdf in reports.items() if name.startswith("seed004")]
    found = pages(pdf)
    assert len(found) == 4
    assert found[0].filled > 0.7  # title, 项目概况 and the whole 资金安排 table on page 1
