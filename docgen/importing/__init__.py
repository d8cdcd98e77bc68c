"""Read filled 自评表 back from Word (.docx) and PDF files, as docgen input.

``import_document`` turns a file's bytes into rows of cell texts (Word through
``docgen.ooxml.tables``, PDF through pdfplumber) and hands them to the one recogniser
(``recognise``).  The CLI's ``docgen import``/``next-year`` and the service's
``POST /v1/imports`` are shells over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError, Finding, InputError
from docgen.i18n import _
from docgen.importing.cells import Row, line_where, paragraph_where
from docgen.importing.nextyear import next_year
from docgen.importing.recognise import TITLE, FormError, Item, Line, RecognisedForm, recognise
from docgen.sources.loader import SourceProject

__all__ = [
    "IMPORT_SUFFIXES",
    "Imported",
    "import_document",
    "import_file",
    "next_year",
]

IMPORT_SUFFIXES = (".docx", ".pdf")
MAX_IMPORT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Imported:
    """The forms of one file: each project as docgen input, and the located warnings."""

    file: str
    forms: tuple[RecognisedForm, ...]

    @property
    def warnings(self) -> list[Finding]:
        """Return every warning of every form, in document order."""
        return [w for form in self.forms for w in form.warnings]

    def sources(self) -> list[SourceProject]:
        """Return the projects as the writers of ``docgen convert`` take them."""
        return [SourceProject(self.file, i, form.data) for i, form in enumerate(self.forms)]


def import_file(path: str | Path) -> Imported:
    """Return the 自评表 of a .docx or .pdf file; raise ``InputError`` when there is none."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            _("cannot read: {reason}").format(reason=exc.strerror), file=name
        ) from None
    return import_document(data, name)


def import_document(data: bytes, name: str) -> Imported:
    """Return the 自评表 in a document's bytes (.docx or .pdf, told apart by content)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(
            _("the file is larger than {size} MB").format(size=MAX_IMPORT_BYTES // (1024 * 1024)),
            file=name,
        )
    items = _pdf_items(data, name) if data[:5] == b"%PDF-" else _docx_items(data, name)
    try:
        forms = recognise(items, name)
    except FormError as exc:
        raise InputError(exc.message, file=name, line=exc.where, hint=exc.hint) from None
    if not forms:
        titled = any(TITLE in (item.text if isinstance(item, Line) else "") for item in items)
        raise InputError(
            _(
                "no 自评表 found: no table row is labelled 项目名称 "
                "(the title is there, the table is not)"
            )
            if titled
            else _("no 自评表 found: no table row is labelled 项目名称"),
            file=name,
            hint=_("import a filled {title} (.docx or a PDF with text)").format(title=TITLE),
        )
    return Imported(name, tuple(forms))


def _docx_items(data: bytes, name: str) -> list[Item]:
    from docgen.ooxml.tables import Paragraph, read_docx_blocks

    if data[:2] != b"PK":
        raise InputError(
            _("neither a Word document (.docx) nor a PDF"),
            file=name,
            hint=_("import a .docx (Word 2007 or later; save a .doc again as .docx) or a .pdf"),
        )
    try:
        blocks = read_docx_blocks(data, name)
    except DocgenError as exc:
        raise InputError(
            _("cannot read the Word document: {reason}").format(reason=exc.message),
            file=name,
            hint=_("the file is damaged; open it in Word and save it again as .docx"),
        ) from None
    items: list[Item] = []
    table = paragraph = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph += 1
            if block.text.strip():
                items.append(Line(block.text, paragraph_where(paragraph)))
        else:
            table += 1
            items.extend(Row(cells, table, r) for r, cells in enumerate(block.rows, start=1))
    return items


def _pdf_items(data: bytes, name: str) -> list[Item]:
    from docgen.importing.pdf import read_pdf_blocks
    from docgen.ooxml.tables import Paragraph

    items: list[Item] = []
    table = 0
    line_of_page: dict[int, int] = {}
    for placed in read_pdf_blocks(data, name):
        block = placed.block
        if isinstance(block, Paragraph):
            line_of_page[placed.page] = line_of_page.get(placed.page, 0) + 1
            items.append(Line(block.text, line_where(placed.page, line_of_page[placed.page])))
        else:
            table += 1
            items.extend(
                Row(cells, table, r, placed.page, block.edges)
                for r, cells in enumerate(block.rows, start=1)
            )
    return items
