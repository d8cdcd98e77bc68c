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
