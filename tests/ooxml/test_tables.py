"""Word tables as grids: merges, content controls and runs, as any producer writes them."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from docgen.errors import TemplateProblem
from docgen.ooxml.tables import Paragraph, TableGrid, read_docx_blocks


def _document() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("财政项目支出绩效自评表")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "项目名称 横跨三列"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    table.cell(1, 1).text = "a"
    cell = table.cell(2, 1)
    paragraph = cell.paragraphs[0]
    for piece in ("分", "多", "段"):
        paragraph.add_run(piece)
    cell.add_paragraph("第二段")
    # the third cell's text inside a content control, which cell.text does not see
    p = table.cell(2, 2).paragraphs[0]._p
    sdt = p.makeelement(qn("w:sdt"), {})
    content = p.makeelement(qn("w:sdtContent"), {})
    run = p.makeelement(qn("w:r"), {})
    text = p.makeelement(qn("w:t"), {})
    text.text = "控件里的字"
    run.append(text)
    content.append(run)
    sdt.append(content)
    p.append(sdt)
    assert table.cell(2, 2).text == ""  # python-docx misses it
    return document


def test_merged_cells_fill_every_grid_position_they_cover() -> None:
    stream = io.BytesIO()
    _document().save(stream)
    blocks = read_docx_blocks(stream.getvalue(), "t.docx")
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "财政项目支出绩效自评表"
    table = blocks[1]
    assert isinstance(table, TableGrid)
    top = table.rows[0]
    assert [c.text for c in top] == ["项目名称 横跨三列"] * 3
    assert top[0] is top[1] is top[2]
    assert table.rows[2][0] is table.rows[1][0]  # vMerge continues the cell above
    assert table.rows[1][0].text == "纵向合并"
    assert table.rows[2][1].text == "分多段\n第二段"
    assert table.rows[2][2].text == "控件里的字"


def test_a_damaged_document_part_is_a_docgen_error() -> None:
    stream = io.BytesIO()
    _document().save(stream)
    with pytest.raises(TemplateProblem):
        read_docx_blocks(stream.getvalue()[:-200], "t.docx")
