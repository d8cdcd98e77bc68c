"""The 填写说明 sheet."""

from __future__ import annotations

from docgen.excel.layout import DATA_SHEETS, GUIDE_SHEET
from tests.excel.books import (
    template,
)


def test_the_guide_explains_every_column() -> None:
    ws = template()[GUIDE_SHEET]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    described = {
        (row[0], row[2]): row[5] for row in rows if row[0] in {s.name for s in DATA_SHEETS}
    }
    for sheet in DATA_SHEETS:
        for column in sheet.columns:
            assert column.describe() in described[sheet.name, column.header]
    text = "\n".join(str(row[0]) for row in rows if row[0])
    assert '=""' in text and "绩效指标!I14" in text and "项目名称" in text
