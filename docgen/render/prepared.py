"""A .docx template prepared once and rendered many times.

docxtpl re-reads the package, re-runs its XML clean-up and re-compiles Jinja on every
``render()``.  ``PreparedTemplate`` does that work once: it keeps the package's parts, runs
docxtpl's pre-processing (``patch_xml``: split tags joined, ``{%tr %}``/``{%p %}`` rows and
paragraphs resolved) and compiles each templated part with the sandboxed environment.  Per
document only the templated parts are rendered; every other part is copied as it is.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError, TemplateSyntaxError

from docgen.errors import TemplateProblem
from docgen.i18n import _
from docgen.ooxml.listing import MARKS, has_marks
from docgen.ooxml.locations import Location, locate_in
from docgen.ooxml.package import Package, read_package
from docgen.ooxml.parts import MalformedPart, finished_part, structured_source
from docgen.ooxml.properties import CORE_XML, clean_package, stamp_core
from docgen.ooxml.zipwriter import Entry, write_zip
from docgen.render.environment import make_environment

# Parts whose text may hold template tags.
_TEMPLATED_PART = re.compile(r"^(word/(document|header\d*|footer\d*)\.xml|docProps/core\.xml)$")
# docxtpl puts each paragraph on its own line so that Jinja's line numbers point at one.
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_TAG = re.compile(r"<[^>]+>")
# docxtpl's escapes for literal braces in a template: "{_{" prints "{{", and so on.
_BRACE_ESCAPES = {
    "{_{": '{{ "{{" }}',
    "}_}": '{{ "}}" }}',
    "{_%": '{{ "{%" }}',
    "%_}": '{{ "%}" }}',
}
# Document properties are plain text: layout marks become spaces there.
_PLAIN_TEXT = str.maketrans(dict.fromkeys(MARKS, " "))
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Rendered parts are compressed quickly; static parts once, harder.
RENDERED_LEVEL = 1
STATIC_LEVEL = 6

# Template parts are read without DTDs, entities or network access (they may come from anyone).

_docxtpl = DocxTemplate(None)  # only its string transforms are used; it holds no state


@dataclass(frozen=True)
class _CompiledPart:
    name: str
    template: Template
    source_lines: tuple[str, ...]


class PreparedTemplate:
    """A template whose expensive preparation is done once, ready for many renders."""

    def __init__(
        self,
        source: str | Path | bytes | Package,
        name: str | None = None,
        numbers: str = "两位小数",
    ) -> None:
        given = source if isinstance(source, Package) else read_package(source, name)
        self.name = given.name
        digest = hashlib.sha256()
        for part_name, data in given.parts:
            digest.update(part_name.encode() + b"\0" + data)
        self.fingerprint = digest.hexdigest()
        """Identifies the template's content, for caches of rendered output."""
        # Every document carries docgen's properties: no thumbnail, compatibility mode 15.
        self.package: Package = clean_package(given)
        self._env = make_environment(numbers)
        self._parts = tuple(
            self._compile(part_name, data)
            for part_name, data in self.package.parts
            if _TEMPLATED_PART.match(part_name) and (b"{" in data)
        )
        self._verified: set[str] = set()  # parts whose output parsed once: well-formed
        self._cores: dict[datetime.datetime, Entry] = {}  # core.xml stamped, by moment
        rendered = {part.name for part in self._parts}
        self._static = {
            name: Entry.deflated(name, data, STATIC_LEVEL)
            for name, data in self.package.parts
            if name not in rendered
        }

    def _compile(self, part_name: str, data: bytes) -> _CompiledPart:
        try:
            xml = jinja_source(structured_source(data, part_name))
        except MalformedPart as exc:
            raise TemplateProblem(str(exc), file=self.name) from None
        lines = tuple(xml.splitlines())
        try:
            template = self._env.from_string(xml)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(
                _("template syntax error: {problem}").format(problem=exc.message),
                file=self.name,
                path=(part_name,),
                hint=_near(_text_near(lines, exc.lineno)),
            ) from None
        except (TemplateError, ArithmeticError, ValueError, RecursionError, MemoryError) as exc:
            raise TemplateProblem(
                _("cannot compile: {error}").format(error=f"{type(exc).__name__}: {exc}"),
                file=self.name,
                path=(part_name,),
            ) from None
        return _CompiledPart(part_name, template, lines)

    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """Return the rendered bytes of every templated part."""
        return {part.name: self._render_part(part, context) for part in self._parts}

    def render(self, context: Mapping[str, Any], moment: datetime.datetime | None = None) -> bytes:
        """Return the .docx bytes of this template rendered with *context*.

        *moment* dates the document (core.xml's created and modified); without it the
        template's dates stay.
        """
        rendered = self.render_parts(context)
        entries = self._static
        if moment is not None and self.package.get(CORE_XML) is not None:
            if CORE_XML in rendered:
                rendered[CORE_XML] = stamp_core(rendered[CORE_XML], moment)
            else:  # the same for every document of that moment (a year's 31 Dec)
                entries = {**entries, CORE_XML: self._stamped_core(moment)}
        return write_zip(
            Entry.deflated(name, rendered[name], RENDERED_LEVEL)
            if name in rendered
            else entries[name]
            for name in self.package.names()
        )

    def _stamped_core(self, moment: datetime.datetime) -> Entry:
        """Return the template's own core.xml dated *moment*, compressed (made once a moment)."""
        entry = self._cores.get(moment)
        if entry is None:
            entry = Entry.deflated(
                CORE_XML, stamp_core(self.package.part(CORE_XML), moment), RENDERED_LEVEL
            )
            if len(self._cores) < 64:
                self._cores[moment] = entry
        return entry

    def _locate(self, part_name: str, text: str) -> Location | None:
        """Return the paragraph or table cell of a part that shows *text*, if one does."""
        if not text or text == "?" or not part_name.startswith("word/"):
            return None
        content = self.package.get(part_name)
        return locate_in(content, part_name, text) if content is not None else None

    def _render_part(self, part: _CompiledPart, context: Mapping[str, Any]) -> bytes:
        try:
            xml = part.template.render(context)
        except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError,
                AttributeError, RecursionError, MemoryError) as exc:  # fmt: skip
            lineno = _template_lineno(exc)
            near = _text_near(part.source_lines, lineno) if lineno else ""
            location = self._locate(part.name, near)
            if location is not None:
                raise TemplateProblem(
                    f"{location}: {_render_failure(exc)}", file=self.name
                ) from None
            raise TemplateProblem(
                _render_failure(exc),
                file=self.name,
                path=(part.name,),
                hint=_near(near) if near else None,
            ) from None
        xml = xml.replace("\n<w:p", "<w:p")
        if not part.name.startswith("word/"):
            xml = xml.translate(_PLAIN_TEXT)
        try:
            xml = finished_part(xml, part.name, has_marks(xml), part.name not in self._verified)
        except MalformedPart as exc:
            raise TemplateProblem(
                str(exc),
                file=self.name,
                hint=_(
                    "if you changed the template, a tag may cut through Word's structure: keep "
                    "each tag inside one paragraph, and {row}/{paragraph} tags alone in their row"
                ).format(row="{%tr %}", paragraph="{%p %}"),
            ) from None
        self._verified.add(part.name)
        return (_DECLARATION + xml).encode("utf-8")


def jinja_source(xml: str) -> str:
    """Return the Jinja source of one part's XML (keeps and merges compiled by ooxml).

    docxtpl's ``patch_xml`` joins tags that Word split across runs and turns ``{%tr %}``,
    ``{%p %}`` … into plain Jinja around the row or paragraph.  Each paragraph then starts a
    line, so that Jinja's line numbers point at a paragraph.
    """
    xml = _docxtpl.patch_xml(xml)
    for escape, literal in _BRACE_ESCAPES.items():
        xml = xml.replace(escape, literal)
    return _PARAGRAPH_START.sub(r"\n<w:p\1", xml)


def template_source(data: bytes, part: str = "word/document.xml") -> str:
    """Return the Jinja source of a part's bytes: structure compiled, docxtpl's clean-up applied."""
    return jinja_source(structured_source(data, part))


def _render_failure(exc: BaseException) -> str:
    """Return what a failed render says: why, in the template author's terms."""
    if isinstance(exc, MemoryError):
        return _("cannot render: the template ran out of memory")
    if isinstance(exc, RecursionError):
        return _("cannot render: calls nested too deep (a macro or loop that calls itself?)")
    error = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return _("cannot render: {error}").format(error=error)


def _near(text: str) -> str:
    """Return the hint that shows the template's text where it went wrong."""
    return _("near: {text}").format(text=text)


def _template_lineno(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno is not None:
        return int(lineno)
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _text_near(lines: tuple[str, ...], lineno: int | None) -> str:
    """Return the visible text of the template paragraph at *lineno*."""
    if not lineno or lineno > len(lines):
        return "?"
    text = _TAG.sub("", lines[lineno - 1]).strip()
    return text[:120] or _("(a paragraph without text)")
