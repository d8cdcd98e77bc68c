"""The fonts a .docx names: what its runs and styles ask for by name.

Government templates name fonts that Linux rarely has (仿宋_GB2312, 方正小标宋简体 …); a PDF
made without them uses a substitute.  ``named_fonts`` lists the names the document itself
uses (``w:rFonts`` in the body, headers, footers and styles), not the theme's: a theme
reference (``w:eastAsiaTheme``) names no font.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from docgen.ooxml.xml import parse, w

# The parts whose runs and styles choose fonts.
_FONT_PARTS = re.compile(r"^word/(document|styles|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_ATTRIBUTES = tuple(w(name) for name in ("ascii", "hAnsi", "eastAsia", "cs"))
_RFONTS = w("rFonts")
_STYLES = "word/styles.xml"
SAMPLES_PER_STYLE = 2
"""Documents read in full per distinct styles part (see ``fonts_of_documents``)."""


def named_fonts(source: str | Path) -> set[str]:
    """Return the font names a .docx asks for in its text and styles (none if unreadable)."""
    names: set[str] = set()
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if _FONT_PARTS.match(info.filename):
                    names |= _fonts_in(archive.read(info))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return set()  # LibreOffice reports a document it cannot read; this only lists fonts
    return names


def fonts_of_documents(paths: Iterable[Path]) -> set[str]:
    """Return the font names that *paths* ask for, reading a few documents per template.

    A rendered document names the fonts of its template: data never sets a font.  So the
    documents are grouped by their styles part, and ``SAMPLES_PER_STYLE`` of each group are
    read in full (hundreds of documents from two templates cost four reads).
    """
    seen: dict[str, int] = {}  # styles part (CRC and size) → documents read
    names: set[str] = set()
    for path in paths:
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo(_STYLES)
                key = f"{info.CRC:08x}:{info.file_size}"  # from the directory: nothing inflated
        except (OSError, zipfile.BadZipFile, KeyError, ValueError):
            continue
        if seen.get(key, 0) >= SAMPLES_PER_STYLE:
            continue
        seen[key] = seen.get(key, 0) + 1
        names |= named_fonts(path)
    return names


def _fonts_in(data: bytes) -> set[str]:
    try:
        root = parse(data)
    except etree.XMLSyntaxError:
        return set()
    return {
        value.strip()
        for element in root.iter(_RFONTS)
        for attribute in _ATTRIBUTES
        if (value := element.get(attribute)) and value.strip()
    }


__all__ = ["SAMPLES_PER_STYLE", "fonts_of_documents", "named_fonts"]
