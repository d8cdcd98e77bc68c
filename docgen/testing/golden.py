"""The ``docx_golden`` pytest fixture: compare documents with golden files, semantically.

    def test_my_form(docx_golden):
        docx_golden.check(render_my_form())          # bytes, or a path to a .docx

compares the document with ``golden/<test name>.docx.txt`` beside the test file: the text that
``docgen diff`` compares (paragraphs with their styles, table columns, rows and cells with
their merges, headers and footers, page setup), one line each, so that a reviewer reads a
change to a golden file in ``git diff`` like any other text.

- A missing golden file is written and the test fails, so that a new one is always looked at.
- On a mismatch the test fails with the semantic diff, and the obtained document is written
  beside the golden file (``<name>.obtained.docx``, with its ``.obtained.docx.txt``) to be
  opened in Word; it is removed again once the test passes.
- ``pytest --update-golden`` rewrites the golden files on purpose and lists, at the end of the
  run, every file it rewrote.
- An older golden ``<name>.docx`` (a whole document) is still compared; ``--update-golden``
  replaces it with its ``.docx.txt``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.i18n import _
from docgen.ooxml.describe import describe, unified

_UNSAFE = re.compile(r"[^\w.\-\[\]]+")
_REWRITTEN = pytest.StashKey[list[Path]]()
HEADER = "# docgen diff description of a .docx (pytest --update-golden rewrites it)"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``."""
    parser.getgroup("docgen").addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help=_("rewrite golden files from the current output instead of comparing"),
    )


def pytest_configure(config: pytest.Config) -> None:
    """Start the list of golden files this run rewrites."""
    config.stash[_REWRITTEN] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the golden files that ``--update-golden`` rewrote, for review before a commit."""
    rewritten = terminalreporter.config.stash.get(_REWRITTEN, [])
    if rewritten:
        terminalreporter.section(_("golden files rewritten"))
        root = terminalreporter.config.rootpath
        for path in rewritten:
            terminalreporter.line(
                str(path.relative_to(root) if path.is_relative_to(root) else path)
            )
        terminalreporter.line(_("review them (git diff) before committing"))


def description(data: bytes, name: str = "document") -> str:
    """Return the golden-file text of a document."""
    return "\n".join([HEADER, *describe(data, name)]) + "\n"


class DocxGolden:
    """Compare documents with the golden files of one test."""

    def __init__(self, folder: Path, name: str, update: bool, rewritten: list[Path]) -> None:
        self.folder = folder
        self.name = name
        self.update = update
        self.rewritten = rewritten

    def path(self, name: str | None = None) -> Path:
        """Return the golden file's path for *name* (default: the test's name)."""
        return self.folder / f"{_UNSAFE.sub('_', name or self.name)}.docx.txt"

    def check(self, document: bytes | str | Path, name: str | None = None) -> None:
        """Fail the test unless *document* matches its golden file (written when missing)."""
        data = document if isinstance(document, bytes) else Path(document).read_bytes()
        golden = self.path(name)
        legacy = golden.with_suffix("")  # <name>.docx, a whole document
        obtained = golden.with_name(golden.name.replace(".docx.txt", ".obtained.docx"))
        actual = description(data, "actual")
        if self.update or not (golden.exists() or legacy.exists()):
            missing = not (golden.exists() or legacy.exists())
            golden.parent.mkdir(parents=True, exist_ok=True)
            if golden.exists() and golden.read_text(encoding="utf-8") == actual:
                return
            golden.write_text(actual, encoding="utf-8")
            legacy.unlink(missing_ok=True)
            self.rewritten.append(golden)
            if missing and not self.update:
                pytest.fail(
                    _("golden file {path} was missing: written now; look at it, commit it").format(
                        path=golden
                    )
                )
            return
        if golden.exists():
            expected = golden.read_text(encoding="utf-8")
        else:
            expected = description(legacy.read_bytes(), str(legacy))
        if expected == actual:
            for leftover in (obtained, obtained.with_name(obtained.name + ".txt")):
                leftover.unlink(missing_ok=True)
            return
        obtained.write_bytes(data)
        obtained.with_name(obtained.name + ".txt").write_text(actual, encoding="utf-8")
        difference = unified(expected.splitlines(), actual.splitlines(), str(golden), "obtained")
        failure = _(
            "document differs from its golden file; the obtained document is {path} "
            "({option} accepts it):"
        ).format(path=obtained, option="pytest --update-golden")
        pytest.fail(failure + "\n" + "\n".join(difference), pytrace=False)


@pytest.fixture
def docx_golden(request: pytest.FixtureRequest) -> DocxGolden:
    """Return the golden-file comparison of the current test."""
    folder = Path(request.path).parent / "golden"
    update = bool(request.config.getoption("--update-golden"))
    return DocxGolden(
        folder, request.node.name, update, request.config.stash.setdefault(_REWRITTEN, [])
    )
