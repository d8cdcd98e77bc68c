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


def _written(name: str, summary: dict[str, object], outputs: tuple[str, ...]) -> ProjectResult:
    return ProjectResult(f"{name}.yaml", 0, 0, name, "written", outputs, summary=summary)


SEED = {  # seed001's figures (信息化运维项目, 2024), in 万元
    "年度": 2024, "项目名称": "信息化运维项目", "主管部门": "上海市闵行区人民政府",
    "实施单位": "上海市闵行区人民政府办公室", "金额单位": "万元", "年初预算数": "326.01",
    "全年预算数": "326.01", "全年执行数": "162.30", "执行率": "49.78", "资金得分": "4.98",
    "总分": "94.98", "评分等级": "优", "评分规则": None,
}  # fmt: skip


def test_every_projects_row_reads_back_with_its_columns_styles() -> None:
    # The rows are written into the sheet's XML directly (not cell by cell through openpyxl):
    # texts that XML escapes or that keep their spaces, and 50 rows, read back as given.
    texts = [
        " 前导空格",
        "末尾空格 ",
        "A&B<C>D\"E'",
        "两行\n文字",
        "回车\r文字",
        "控制\x01字符",
        "",
    ]
    results = [
        _written(
            text or "空", {**SEED, "项目名称": text, "主管部门": text}, (f"{i}.docx", "b.docx")
        )
        for i, text in enumerate(texts)
    ]
    results += [_written(f"项目{i}", {**SEED, "项目名称": f"项目{i}"}, ()) for i in range(43)]
    results.append(FAILED)
    book = load_workbook(io.BytesIO(build_summary(BatchReport(results, Path("out")))))
    sheet = book["汇总"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 52 and rows[-1][0] == "合计" and rows[-1][1] == "50 个项目"
    expected = [t.replace("\x01", "\ufffd") or None for t in texts]
    assert [row[1] for row in rows[:7]] == expected
    assert [row[3] for row in rows[:7]] == expected
    assert rows[3][15] == "3.docx\nb.docx" and rows[49][15] is None
    assert rows[0][:14] == (1, " 前导空格", 2024, " 前导空格", "上海市闵行区人民政府办公室",
                            326.01, 326.01, 162.3, 49.78, 4.98, 94.98, "优", "无", 0)  # fmt: skip
    assert rows[50][0] == 51 and rows[50][14] == "失败" and rows[50][5] is None
    for row in (2, 30, 52):  # the projects' rows and the failed one: each column's format
        formats = [sheet.cell(row=row, column=c).number_format for c in range(1, len(COLUMNS) + 1)]
        assert formats == [fmt or "General" for _, _, fmt in COLUMNS]
        assert sheet.cell(row=row, column=2).alignment.wrap_text
        assert sheet.cell(row=row, column=1).border.left.style == "thin"
    assert sheet.auto_filter.ref == "A1:Q52" and sheet.dimensions == "A1:Q53"
