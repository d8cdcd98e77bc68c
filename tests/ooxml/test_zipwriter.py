from __future__ import annotations

import io
import zipfile

from docgen.ooxml.zipwriter import Entry, write_zip


def test_archive_reads_back_with_fixed_timestamps_and_utf8_names() -> None:
    parts = [("[Content_Types].xml", b"<Types/>"), ("word/文档.xml", "正文".encode() * 100)]
    data = write_zip(Entry.deflated(name, content) for name, content in parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [
            ("[Content_Types].xml", (1980, 1, 1, 0, 0, 0)),
            ("word/文档.xml", (1980, 1, 1, 0, 0, 0)),
        ]
        assert archive.read("word/文档.xml") == "正文".encode() * 100


def test_same_parts_give_same_bytes() -> None:
    entries = [Entry.deflated("a.xml", b"<a/>")]
    assert write_zip(entries) == write_zip(list(entries))


def test_a_part_compressed_piece_by_piece_is_the_part_compressed_whole() -> None:
    rows = [f'<row r="{i}"><c><v>{i * 7.5}</v></c></row>'.encode() for i in range(20_000)]
    content = b"<sheetData>" + b"".join(rows) + b"</sheetData>"
    pieces = [b"<sheetData>", *(b"".join(rows[i : i + 100]) for i in range(0, 20_000, 100))]
    whole = Entry.deflated("xl/worksheets/sheet1.xml", content)
    assert Entry.deflated_pieces("xl/worksheets/sheet1.xml", [*pieces, b"</sheetData>"]) == whole
    with zipfile.ZipFile(io.BytesIO(write_zip([whole]))) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") == content
