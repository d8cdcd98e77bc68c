"""A package's properties: what File › Properties, file managers and Word's title bar show.

- ``docProps/custom.xml``: the custom document properties (a template's config may sit there);
- ``clean_package``: what every document docgen writes carries, whatever template made it —
  ``docProps/app.xml`` naming docgen as the application (no Word version, no stale page or
  word counts), no ``docProps/thumbnail.*`` preview picture (file managers would show that
  image instead of the form), and ``compatibilityMode`` 15 in ``word/settings.xml`` (14 or
  less opens the document in Word's 兼容模式);
- ``stamp_core``: ``docProps/core.xml``'s created and modified dates set to one moment, revision 1,
  no last-printed date (``document_moment`` chooses it: ``SOURCE_DATE_EPOCH`` or the data).
"""

from __future__ import annotations

import datetime

from lxml import etree

from docgen.errors import InputError, TemplateProblem
from docgen.i18n import _
from docgen.ooxml.package import Package
from docgen.ooxml.xml import CONTENT_TYPES, CUSTOM_PROPERTIES, PKG_REL, W, parse

APPLICATION = "docgen"
APP_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
WORD_COMPAT = "http://schemas.microsoft.com/office/word"
COMPATIBILITY_MODE = "15"
"""Word 2013 and later: no 兼容模式."""

APP_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
APP_XML, CORE_XML, SETTINGS_XML = "docProps/app.xml", "docProps/core.xml", "word/settings.xml"
PACKAGE_RELS, TYPES = "_rels/.rels", "[Content_Types].xml"
# app.xml elements that say something about the document's owner, kept from the template.
_KEPT_APP = ("Company", "Manager", "HyperlinkBase")
# The children of w:settings that come after w:compat (ECMA-376 CT_Settings), by local name.
_AFTER_COMPAT = frozenset(
    ("docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
     "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
     "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
     "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
)  # fmt: skip
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def custom_properties(data: bytes | None) -> dict[str, str]:
    """Return the custom document properties of a ``docProps/custom.xml`` part."""
    if not data:
        return {}
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(_not_well_formed("docProps/custom.xml", exc)) from None
    properties = {}
    for prop in root.iterfind(f"{{{CUSTOM_PROPERTIES}}}property"):
        value = "".join(prop.itertext()).strip()
        if prop.get("name"):
            properties[prop.get("name")] = value
    return properties


def _not_well_formed(part: str, exc: etree.XMLSyntaxError) -> str:
    return _("{part} is not well-formed XML: {error}").format(part=part, error=exc)


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, encoding="UTF-8")
    return _DECLARATION + data


def _parsed(package: Package, part: str) -> etree._Element | None:
    data = package.get(part)
    if data is None:
        return None
    try:
        return parse(data)
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(_not_well_formed(part, exc), file=package.name) from None


def clean_package(package: Package) -> Package:
    """Return *package* with docgen's app properties, no thumbnail and compatibility mode 15."""
    replaced: dict[str, bytes] = {}
    dropped = _drop_thumbnails(package, replaced)
    replaced[APP_XML] = app_properties(_parsed(package, APP_XML))
    settings = _parsed(package, SETTINGS_XML)
    if settings is not None:
        set_compatibility_mode(settings)
        replaced[SETTINGS_XML] = _xml(settings)
    parts = [
        (name, replaced.pop(name, data)) for name, data in package.parts if name not in dropped
    ]
    if APP_XML in replaced:  # the template had no app.xml: add it, with its type and link
        parts.append((APP_XML, replaced.pop(APP_XML)))
        parts = _declare_app(parts)
    return Package(package.name, tuple(parts))


def _drop_thumbnails(package: Package, replaced: dict[str, bytes]) -> set[str]:
    """Return the thumbnail parts to leave out; put the rels and types without them in
    *replaced*."""
    rels = _parsed(package, PACKAGE_RELS)
    dropped = {name for name in package.names() if name.startswith("docProps/thumbnail.")}
    if rels is not None:
        for rel in list(rels.iterfind(f"{{{PKG_REL}}}Relationship")):
            if rel.get("Type") == THUMBNAIL_REL:
                dropped.add(rel.get("Target", "").lstrip("/"))
                rels.remove(rel)
        replaced[PACKAGE_RELS] = _xml(rels)
    types = _parsed(package, TYPES)
    if types is not None and dropped:
        for override in list(types.iterfind(f"{{{CONTENT_TYPES}}}Override")):
            if override.get("PartName", "").lstrip("/") in dropped:
                types.remove(override)
        replaced[TYPES] = _xml(types)
    return dropped


def _declare_app(parts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    result = []
    for name, data in parts:
        if name == TYPES:
            types = parse(data)
            override = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override")
            override.set("PartName", "/" + APP_XML)
            override.set("ContentType", APP_TYPE)
            data = _xml(types)
        elif name == PACKAGE_RELS:
            rels = parse(data)
            ids = {rel.get("Id") for rel in rels}
            number = 1
            while f"rId{number}" in ids:
                number += 1
            rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
            rel.set("Id", f"rId{number}")
            rel.set(
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "extended-properties",
            )
            rel.set("Target", APP_XML)
            data = _xml(rels)
        result.append((name, data))
    return result


def app_properties(template: etree._Element | None = None) -> bytes:
    """Return ``docProps/app.xml`` naming docgen, keeping the template's Company and Manager."""
    root = etree.Element(f"{{{APP_PROPERTIES}}}Properties", nsmap={None: APP_PROPERTIES})
    etree.SubElement(root, f"{{{APP_PROPERTIES}}}Application").text = APPLICATION
    etree.SubElement(root, f"{{{APP_PROPERTIES}}}DocSecurity").text = "0"
    for name in _KEPT_APP:
        found = None if template is None else template.find(f"{{{APP_PROPERTIES}}}{name}")
        if found is not None and (found.text or "").strip():
            etree.SubElement(root, f"{{{APP_PROPERTIES}}}{name}").text = found.text
    return _xml(root)


def set_compatibility_mode(settings: etree._Element, mode: str = COMPATIBILITY_MODE) -> None:
    """Set ``w:compat/w:compatSetting[@w:name='compatibilityMode']`` of *settings* to *mode*."""
    compat = settings.find(f"{{{W}}}compat")
    if compat is None:
        compat = etree.Element(f"{{{W}}}compat")
        later = next((c for c in settings if isinstance(c.tag, str) and _after_compat(c.tag)), None)
        if later is not None:
            later.addprevious(compat)
        else:
            settings.append(compat)
    for setting in compat.iterfind(f"{{{W}}}compatSetting"):
        if setting.get(f"{{{W}}}name") == "compatibilityMode":
            setting.set(f"{{{W}}}val", mode)
            return
    setting = etree.SubElement(compat, f"{{{W}}}compatSetting")
    setting.set(f"{{{W}}}name", "compatibilityMode")
    setting.set(f"{{{W}}}uri", WORD_COMPAT)
    setting.set(f"{{{W}}}val", mode)


def _after_compat(tag: str) -> bool:
    namespace, _brace, local = tag[1:].partition("}")
    # w14:, w15: … extensions close the settings; m:mathPr, sl:schemaLibrary, o:shapeDefaults
    # are named in the list.
    return local in _AFTER_COMPAT or namespace != W


def document_moment(year: int, source_date_epoch: str | None) -> datetime.datetime:
    """Return the moment a document is dated: ``SOURCE_DATE_EPOCH`` if set, else 31 Dec of *year*.

    The data says which year a form evaluates, not when it was typed; the end of that year is
    the same for every run, so the same data gives the same bytes.
    """
    if source_date_epoch is not None and source_date_epoch.strip():
        try:
            seconds = int(source_date_epoch.strip())
            return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError(
                _("{setting} is not a time").format(
                    setting=f"SOURCE_DATE_EPOCH={source_date_epoch!r}"
                ),
                hint=_(
                    "set it to whole seconds since 1970-01-01 UTC (e.g. {command}), or unset it"
                ).format(command="$(date +%s)"),
            ) from None
    return datetime.datetime(year, 12, 31, tzinfo=datetime.timezone.utc)


def w3cdtf(moment: datetime.datetime) -> str:
    """Return *moment* as core.xml writes dates: ``2024-12-31T00:00:00Z``."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp_core(data: bytes, moment: datetime.datetime) -> bytes:
    """Return ``docProps/core.xml`` dated *moment* (created and modified), revision 1."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(_not_well_formed(CORE_XML, exc)) from None
    for element in root.findall(f"{{{CORE}}}lastPrinted"):
        root.remove(element)
    revision = root.find(f"{{{CORE}}}revision")
    if revision is not None:
        revision.text = "1"
    stamp = w3cdtf(moment)
    for name in ("created", "modified"):
        element = root.find(f"{{{DCTERMS}}}{name}")
        if element is None:
            nsmap = {"dcterms": DCTERMS, "xsi": XSI}
            element = etree.SubElement(root, f"{{{DCTERMS}}}{name}", nsmap=nsmap)
        element.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
        element.text = stamp
    return _xml(root)
