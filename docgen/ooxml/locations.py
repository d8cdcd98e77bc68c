"""Where a paragraph of a template is: its number, or its table, row and column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from docgen.i18n import _
from docgen.ooxml.xml import W, parse

_P, _T, _TC, _TR = (f"{{{W}}}{n}" for n in ("p", "t", "tc", "tr"))


@dataclass(frozen=True)
class Location:
    """Where a paragraph is: its part, and its number or table cell."""

    part: str
    paragraph: int
    table: int | None = None
    row: int | None = None
    column: int | None = None
    text: str = ""

    def __str__(self) -> str:
        if self.part.startswith("docProps/"):
            place = _("property {number}").format(number=self.paragraph)
        elif self.table is not None:
            place = _("table {table}, row {row}, column {column}").format(
                table=self.table, row=self.row, column=self.column
            )
        else:
            place = _("paragraph {number}").format(number=self.paragraph)
        if self.part != "word/document.xml":  # the body goes without saying
            place = _("{part}, {place}").format(part=self.part, place=place)
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return _('{place} "{text}"').format(place=place, text=shown)

    @property
    def in_cell(self) -> bool:
        """Return whether the paragraph is inside a table cell."""
        return self.table is not None


def paragraphs(root: etree._Element, part: str) -> Iterator[Location]:
    """Yield every paragraph of a part with its location and text, in document order."""
    number = 0
    tables: dict[etree._Element, int] = {}  # elements as keys stay alive: numbers stay stable
    for p in root.iter(_P):
        number += 1
        text = "".join(t.text or "" for t in p.iter(_T))
        tc = next((a for a in p.iterancestors(_TC)), None)
        if tc is None:
            yield Location(part, number, text=text)
            continue
        tr = tc.getparent()
        tbl = tr.getparent()
        table = tables.setdefault(tbl, len(tables) + 1)
        row = [c for c in tbl if c.tag == _TR].index(tr) + 1
        column = [c for c in tr if c.tag == _TC].index(tc) + 1
        yield Location(part, number, table, row, column, text)


def locate(root: etree._Element, part: str, text: str) -> Location | None:
    """Return the first paragraph of a part whose text holds *text* (``None``: not found)."""
    if not text:
        return None
    return next((place for place in paragraphs(root, part) if text in place.text), None)


class MalformedPart(ValueError):
    """A package part that is not well-formed XML."""


def template_places(part: str, content: bytes) -> list[Location]:
    """Return the places of a part that may hold template tags, in document order.

    A ``docProps/`` part's places are its properties (title, subject …) that hold a brace;
    any other part's are its paragraphs. Raises ``MalformedPart`` for a part that is not
    well-formed XML.
    """
    try:
        root = parse(content)
    except etree.XMLSyntaxError as exc:
        raise MalformedPart(
            _("{part} is not well-formed XML: {error}").format(part=part, error=exc)
        ) from None
    if not part.startswith("docProps/"):
        return list(paragraphs(root, part))
    return [
        Location(part, number, text=element.text)
        for number, element in enumerate(root, start=1)
        if element.text and "{" in element.text
    ]


def locate_in(content: bytes, part: str, text: str) -> Location | None:
    """Return the first paragraph of a part's bytes whose text holds *text* (``None``: not
    found, or the part is not well-formed)."""
    if not text:
        return None
    try:
        root = parse(content)
    except etree.XMLSyntaxError:
        return None
    return locate(root, part, text)
