"""The ``docx_golden`` pytest fixture: compare documents with golden files, semantically.

    def test_my_form(docx_golden):
        docx_golden.check(render_my_form())          # bytes, or a path to a .docx

compares the document with ``golden/<test name>.docx`` beside the test file.  Documents are
compared as ``docgen diff`` compares them (text with its styles, table cells with their merges,
headers and footers, page setup), not byte by byte.  A missing golden file is written and the
test fails, so that a new golden file is always looked at; ``pytest --update-golden``
rewrites the golden files on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.ooxml.describe import describe, unified

_UNSAFE = re.compile(r"[^\w.\-\[\]]+")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``."""
    parser.getgroup("docgen").addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


class DocxGolden:
    """Compare documents with the golden files of one test."""

    def __init__(self, folder: Path, name: str, update: bool) -> None:
        self.folder = folder
        self.name = name
        self.update = update

    def path(self, name: str | None = None) -> Path:
        """Return the golden file's path for *name* (default: the test's name)."""
        return self.folder / f"{_UNSAFE.sub('_', name or self.name)}.docx"

    def check(self, document: bytes | str | Path, name: str | None = None) -> None:
        """Fail the test unless *document* matches its golden file (written when missing)."""
        data = document if isinstance(document, bytes) else Path(document).read_bytes()
        golden = self.path(name)
        if self.update or not golden.exists():
            existed = golden.exists()
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
            if not self.update:
                pytest.fail(f"golden file {golden} was missing: written now; look at it, commit it")
            if existed:
                return
        expected = describe(golden.read_bytes(), str(golden))
        actual = describe(data, "actual")
        difference = unified(expected, actual, str(golden), "actual")
        if difference:
            pytest.fail(
                "document differs from its golden file (pytest --update-golden accepts it):\n"
                + "\n".join(difference),
                pytrace=False,
            )


@pytest.fixture
def docx_golden(request: pytest.FixtureRequest) -> DocxGolden:
    """Return the golden-file comparison of the current test."""
    folder = Path(request.path).parent / "golden"
    return DocxGolden(folder, request.node.name, bool(request.config.getoption("--update-golden")))
