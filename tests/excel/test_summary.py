"""The batch's 汇总.xlsx, built from a report (the batch itself: tests/test_batch*.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from docgen.batch import BatchReport, ProjectResult
from docgen.excel.summary import COLUMNS, build_summary
from docgen.excel.writer import write_workbook

FAILED = ProjectResult("data/坏.yaml", 0, 0, "坏", "failed", errors=("data/坏.yaml:1: error",))


def test_the_summary_is_deterministic_and_lists_the_failures() -> None:
    report = BatchReport([FAILED], Path("out"))
    first = build_summary(report)
    assert build_summary(report) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    book = load_workbook(io.BytesIO(first))
    assert book.sheetnames == ["汇总", "失败"]
    assert [cell.value for cell in book["汇总"][1]] == [header for header, _, _ in COLUMNS]
    assert book["汇总"]["O2"].value == "失败" and book["汇总"]["B3"].value == "0 个项目"
    assert [cell.value for cell in book["失败"][2]] == [
        "data/坏.yaml",
        "坏",
        "data/坏.yaml:1: error",
    ]


def test_its_headers_look_like_the_data_entry_workbooks() -> None:
    summary = load_workbook(io.BytesIO(build_summary(BatchReport([], Path("out")))))["汇总"]["A1"]
    entry = load_workbook(io.BytesIO(write_workbook(None)))["项目"]["B1"]  # 项目名称: required
    assert summary.font.b and summary.fill.fgColor.rgb == entry.fill.fgColor.rgb
    assert summary.border.left.color.rgb == entry.border.left.color.rgb
    assert summary.alignment.horizontal == entry.alignment.horizontal == "center"
