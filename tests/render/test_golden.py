"""Golden files of a few examples' documents, as the text `docgen diff` compares.

They live in tests/render/golden/ as readable text; `pytest --update-golden` rewrites them.
"""

from __future__ import annotations

import pytest

from docgen.render.documents import KINDS, render_document
from docgen.testing.golden import DocxGolden
from tests.conftest import example_projects

CHOSEN = {
    ("table", "seed000"): "闵行区“一站式”医疗救助系统(2022运维)",
    ("table", "seed001"): "闵行区卫健委互联网应用适老化和无障碍改造建设（第二年）",
    ("table", "seed002"): "医疗保险执行情况监督检查费",
    ("report", "seed002"): "医疗保险执行情况监督检查费",
    ("report", "seed004"): "医疗保障信息系统开发及维护资金项目",
}


@pytest.mark.parametrize(("kind", "key"), sorted(CHOSEN))
def test_document_matches_its_golden_description(
    kind: str, key: str, docx_golden: DocxGolden
) -> None:
    (item,) = [p for p in example_projects() if p.project and p.project.name == CHOSEN[kind, key]]
    assert item.project is not None and item.evaluation is not None
    docx_golden.check(render_document(KINDS[kind], item.project, item.evaluation), f"{kind}_{key}")
