"""The docx_golden pytest plugin, run in a pytester sandbox, and used on docgen's own output."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.i18n import using_language
from docgen.render.documents import KINDS, render_document
from tests.conftest import MINIMAL, checked, example_projects

pytest_plugins = ["pytester"]


def _docx(tmp_path: Path, name: str, text: str = MINIMAL) -> Path:
    item = checked(text)
    assert item.project is not None and item.evaluation is not None
    path = tmp_path / name
    path.write_bytes(render_document(KINDS["table"], item.project, item.evaluation))
    return path


def test_missing_golden_is_written_and_fails_then_compares(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    first = _docx(tmp_path, "first.docx")
    changed = _docx(tmp_path, "changed.docx", MINIMAL.replace("监督检查所", "信息中心"))
    target = pytester.path / "current.docx"
    target.write_bytes(first.read_bytes())
    pytester.makepyfile(
        test_form="""
from pathlib import Path

def test_form(docx_golden):
    docx_golden.check(Path(__file__).parent / "current.docx")
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden file*test_form.docx.txt was missing: written now*"])
    golden = pytester.path / "golden" / "test_form.docx.txt"
    # Readable text, as `docgen diff` compares documents: no XML, no zip.
    assert "table 1 row 2 col 6 (span 3): [Normal, center] 上海市医疗保障局监督检查所" in (
        golden.read_text(encoding="utf-8")
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)

    target.write_bytes(changed.read_bytes())
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*document differs from its golden file; the obtained document is*"
            "test_form.obtained.docx*",
            "*-*上海市医疗保障局监督检查所*",
            "*+*上海市医疗保障局信息中心*",
        ]
    )
    obtained = pytester.path / "golden" / "test_form.obtained.docx"
    assert obtained.read_bytes() == changed.read_bytes()  # to open in Word

    result = pytester.runpytest("-p", "no:cacheprovider", "--update-golden")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*golden files rewritten*", "*golden/test_form.docx.txt"])
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert not obtained.exists()  # removed once the document matches again


def test_an_older_whole_document_golden_is_still_compared(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    first = _docx(tmp_path, "first.docx")
    (pytester.path / "golden").mkdir()
    (pytester.path / "golden" / "test_form.docx").write_bytes(first.read_bytes())
    (pytester.path / "current.docx").write_bytes(first.read_bytes())
    pytester.makepyfile(
        test_form="""
from pathlib import Path

def test_form(docx_golden):
    docx_golden.check(Path(__file__).parent / "current.docx")
"""
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    pytester.runpytest("-p", "no:cacheprovider", "--update-golden").assert_outcomes(passed=1)
    assert not (pytester.path / "golden" / "test_form.docx").exists()
    assert (pytester.path / "golden" / "test_form.docx.txt").exists()


@pytest.mark.parametrize("name", ["信息化运维项目", "医疗保障信息系统开发及维护资金项目"])
def test_examples_match_their_golden_documents(name: str, docx_golden: object) -> None:
    (item,) = [p for p in example_projects() if p.project and p.project.name == name]
    assert item.project is not None and item.evaluation is not None
    for kind in KINDS.values():
        docx_golden.check(  # type: ignore[attr-defined]
            render_document(kind, item.project, item.evaluation), f"{kind.key}_{name}"
        )


def test_a_missing_golden_file_is_reported_in_the_users_language(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    (pytester.path / "current.docx").write_bytes(_docx(tmp_path, "first.docx").read_bytes())
    pytester.makepyfile(
        test_form="""
from pathlib import Path

def test_form(docx_golden):
    docx_golden.check(Path(__file__).parent / "current.docx")
"""
    )
    with using_language("zh"):
        result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*基准文件 *test_form.docx.txt 不存在：现已写入；请检查后提交*"])
