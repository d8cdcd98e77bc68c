"""Golden files of normalised document XML for a few examples (--update-golden to accept)."""

from __future__ import annotations

import io
import zipfile

import pytest

from docgen.ooxml.normalise import normalise_xml
from docgen.render.documents import KINDS, render_document
from tests.conftest import Golden, example_projects

CHOSEN = {
    "seed000": "闵行区“一站式”医疗救助系统(2022运维)",
    "seed001": "闵行区卫健委互联网应用适老化和无障碍改造建设（第二年）",
    "seed002": "医疗保险执行情况监督检查费",
}


@pytest.mark.parametrize("key", sorted(CHOSEN))
def test_table_document_xml_matches_golden(key: str, golden: Golden) -> None:
    (item,) = [p for p in example_projects() if p.project and p.project.name == CHOSEN[key]]
    assert item.project is not None and item.evaluation is not None
    data = render_document(KINDS["table"], item.project, item.evaluation)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = normalise_xml(package.read("word/document.xml"))
    golden.check(f"table_{key}.document.xml", xml)
