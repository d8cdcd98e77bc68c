"""The one package reader refuses unsafe archives, for every path a template takes."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from docgen.errors import TemplateProblem
from docgen.ooxml.package import UnsafeArchive, ZipLimits, read_package, read_zip, unsafe_name
from tests.hostile import (
    BUILT_IN,
    assert_clean_failure,
    docgen,
    folder_with_template,
    hostile_docx,
)

UNSAFE_NAMES = ["../../x", "/abs/x", "..\\x", "word/../../x", "C:/x", "word//x", "./x", "a\x01b"]


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_unsafe_member_names_are_refused(name: str) -> None:
    assert unsafe_name(name) is not None
    with pytest.raises(TemplateProblem, match="unsafe file name"):
        read_package(hostile_docx(extra={name: b"x"}))


def test_the_cli_refuses_templates_with_unsafe_names_found_beside_the_data(
    tmp_path: Path,
) -> None:
    names = {"up": "../../x", "abs": "/abs/x", "back": "..\\x"}
    for folder, name in names.items():
        folder_with_template(tmp_path / folder, hostile_docx(extra={name: b"owned"}))
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "p.yaml").write_bytes((tmp_path / "up" / "dept" / "p.yaml").read_bytes())
    result = docgen(
        tmp_path, "render", "up/dept", "abs/dept", "back/dept", "-k", "table", "-o", "out"
    )
    for folder, name in names.items():
        assert f"{folder}/dept/templates/table.docx: unsafe file name {name!r}" in result.stderr
    assert_clean_failure(result, "0 document(s) written to out, 3 project(s) failed")
    assert not list(tmp_path.glob("out/*.docx"))
    check = docgen(tmp_path, "templates", "check", "up/dept/templates/table.docx")
    assert_clean_failure(check, "unsafe file name '../../x'")
    assert docgen(tmp_path, "render", "clean", "-o", "out2").returncode == 0


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'


@pytest.mark.parametrize("part", ["word/styles.xml", "[Content_Types].xml", "customXml/item1.bin"])
def test_a_dtd_in_a_part_that_is_not_templated_is_refused(part: str) -> None:
    docx = (
        hostile_docx(parts={part: DTD})
        if part != "customXml/item1.bin"
        else hostile_docx(extra={part: DTD})
    )
    with pytest.raises(TemplateProblem, match="holds a DTD or entities"):
        read_package(docx)


def test_the_cli_refuses_a_dtd_in_a_static_part(tmp_path: Path) -> None:
    parts = {"styles": "word/styles.xml", "types": "[Content_Types].xml"}
    for folder, part in parts.items():
        folder_with_template(tmp_path / folder, hostile_docx(parts={part: DTD}))
    result = docgen(tmp_path, "render", "styles/dept", "types/dept", "-k", "table", "-o", "out")
    for folder, part in parts.items():
        assert (
            f"{folder}/dept/templates/table.docx: {part} holds a DTD or entities" in result.stderr
        )
    assert_clean_failure(result, "2 project(s) failed")
    assert_clean_failure(
        docgen(tmp_path, "templates", "check", "types/dept/templates/table.docx"), "DTD"
    )


def test_links_duplicates_and_bombs_are_refused() -> None:
    link = zipfile.ZipInfo("word/media/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(BUILT_IN) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(link, "/etc/passwd")
    with pytest.raises(TemplateProblem, match="symbolic link"):
        read_package(buffer.getvalue())
    with pytest.raises(TemplateProblem, match="twice"):
        read_package(hostile_docx(extra={"WORD/Document.xml": b"<x/>"}))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(UnsafeArchive, match="zip bomb") as caught:
        read_zip(bomb.getvalue(), "upload")
    assert caught.value.too_large
    with pytest.raises(UnsafeArchive, match="at most 3"):
        read_zip(hostile_docx(), "upload", ZipLimits(max_members=3))


def test_templates_check_refuses_a_file_name_of_the_other_kind(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "table.docx").write_bytes(BUILT_IN.read_bytes())
    (tmp_path / "t" / "table.yaml").write_text("文档类型: 自评报告\n", encoding="utf-8")
    result = docgen(tmp_path, "templates", "check", "t/table.docx")
    assert_clean_failure(result, "its file name table.docx makes it the 自评表")
