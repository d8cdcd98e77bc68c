"""Where templates come from, and each one loaded and prepared once per process.

A document kind's template is looked up, first found wins, in:

1. the folder given with ``--templates DIR`` (or the ``DOCGEN_TEMPLATES`` environment variable);
2. a ``templates/`` folder next to the project file being rendered;
3. docgen's built-in templates.

In a folder, the 自评表 is ``table.docx`` or ``自评表.docx`` and the 自评报告 is ``report.docx`` or
``自评报告.docx``; a config may sit beside it with the same name and ``.yaml``.

The 自评表 has two editions (``Form``): a project printed on the 2022 edition (its 表样, else
年度 2022 and earlier, or the run's ``--form``) looks in each folder for ``table-2022.docx`` or
``自评表-2022.docx`` first, then for the folder's ``table.docx``; docgen's built-in
``table-2022.docx`` comes last.  The 2023 edition is ``table.docx``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from docgen.errors import InputError, TemplateProblem
from docgen.i18n import N_, _
from docgen.model.project import Form
from docgen.ooxml.package import Package, read_package
from docgen.ooxml.properties import custom_properties
from docgen.render.config import TemplateConfig, load_config
from docgen.render.prepared import PreparedTemplate

ENV_VAR = "DOCGEN_TEMPLATES"
FILE_NAMES = {"table": ("table.docx", "自评表.docx"), "report": ("report.docx", "自评报告.docx")}
EDITION_NAMES = {Form.F2022: ("table-2022.docx", "自评表-2022.docx")}
"""The file names of the 自评表 editions other than the default (2023) one."""
BUILT_IN = N_("built-in")
BESIDE_DATA = N_("beside the data")
"""The origins of a built-in template and of one found in a ``templates/`` folder beside the
data: values compared in the code, shown through ``origin_label``."""
KIND_LABELS = {"table": "自评表", "report": "自评报告"}


def origin_label(origin: str) -> str:
    """Return an origin as messages show it: ``beside the data`` in the user's language;
    ``--templates`` and ``DOCGEN_TEMPLATES`` as they are written."""
    return _(origin) if origin in (BUILT_IN, BESIDE_DATA) else origin


def file_names(kind: str, form: Form | None = None) -> tuple[str, ...]:
    """Return the file names a folder's template of *kind* (and *form*) may have, in order."""
    edition = EDITION_NAMES.get(form, ()) if kind == "table" and form is not None else ()
    return (*edition, *FILE_NAMES[kind])


def builtin_name(kind: str, form: Form | None = None) -> str:
    """Return the file name of docgen's built-in template of *kind* (and *form*)."""
    return file_names(kind, form)[0]


@dataclass(frozen=True)
class TemplateRef:
    """Which template a kind uses, and why."""

    kind: str
    origin: str
    path: Path | None  # None: built into docgen
    form: Form | None = None  # the 自评表 edition it was looked up for (None: the default)

    @property
    def label(self) -> str:
        """Return how messages name this template."""
        if self.path is not None:
            return str(self.path)
        return _("built-in {name}").format(name=builtin_name(self.kind, self.form))

    @property
    def where(self) -> str:
        """Return where this template comes from, as the command line prints it."""
        if self.path is None:
            return self.label
        if self.origin == BESIDE_DATA:
            return _("{path}, found beside the data in {folder}").format(
                path=self.path, folder=self.path.parent
            )
        return _("{path}, from {origin}").format(path=self.path, origin=self.origin)


@dataclass(frozen=True)
class LoadedTemplate:
    """A template package, read safely, with its config; compiled when first rendered."""

    ref: TemplateRef
    package: Package
    config: TemplateConfig

    @cached_property
    def prepared(self) -> PreparedTemplate:
        """Return the template compiled (once), ready to render."""
        return PreparedTemplate(self.package, numbers=self.config.numbers)

    @cached_property
    def fingerprint(self) -> str:
        """Return what identifies this template's content and config, for caches."""
        digest = hashlib.sha256()
        for part_name, data in self.package.parts:
            digest.update(part_name.encode() + b"\0" + data)
        return digest.hexdigest() + self.config.model_dump_json()


def search_path(templates: Path | None, data_file: Path | None) -> list[tuple[str, Path]]:
    """Return the folders searched for templates, in order, with their origin."""
    folders: list[tuple[str, Path]] = []
    if templates is not None:
        folders.append(("--templates", _folder(templates, "--templates")))
    elif os.environ.get(ENV_VAR):
        folders.append((ENV_VAR, _folder(Path(os.environ[ENV_VAR]), ENV_VAR)))
    if data_file is not None:
        folders.append((BESIDE_DATA, data_file.parent / "templates"))
    return folders


def _folder(folder: Path, given_by: str) -> Path:
    """Return *folder*; a folder named on purpose that is not there is an error, never a
    silent fall-back to the built-in templates."""
    if not folder.is_dir():
        message = (
            _("templates folder given by {option}: is a file, not a folder")
            if folder.is_file()
            else _("templates folder given by {option}: no such folder")
        )
        raise InputError(
            message.format(option=given_by),
            file=str(folder),
            hint=_(
                "name the folder that holds table.docx / report.docx "
                "(docgen templates init 自评表 -o FOLDER makes one)"
            ),
        )
    return folder


def find(
    kind: str,
    templates: Path | None = None,
    data_file: Path | None = None,
    form: Form | None = None,
) -> TemplateRef:
    """Return the template *kind* (of edition *form*) uses for *data_file*: the first found
    along the search path."""
    form = form if kind == "table" and form in EDITION_NAMES else None
    for origin, folder in search_path(templates, data_file):
        for name in file_names(kind, form):
            if (folder / name).is_file():
                return TemplateRef(kind, origin, folder / name, form)
    return TemplateRef(kind, BUILT_IN, None, form)


def load(ref: TemplateRef) -> LoadedTemplate:
    """Return the template *ref* names, prepared (cached while the file is unchanged)."""
    if ref.path is None:
        return _load_builtin(ref.kind, ref.form)
    try:
        stat = ref.path.stat()
    except OSError as exc:
        raise TemplateProblem(
            _("cannot read the template: {reason}").format(reason=exc.strerror),
            file=str(ref.path),
        ) from None
    return _load_file(ref, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load_file(ref: TemplateRef, mtime: int, size: int) -> LoadedTemplate:
    assert ref.path is not None
    package = read_package(ref.path)
    config = read_config(ref.path, package, ref.kind)
    check_kind(ref.label, ref.kind, config)
    return LoadedTemplate(ref, package, config)


@lru_cache(maxsize=4)
def _load_builtin(kind: str, form: Form | None = None) -> LoadedTemplate:
    folder = resources.files("docgen.builtin_templates")
    name = builtin_name(kind, form)
    ref = TemplateRef(kind, BUILT_IN, None, form)
    package = read_package(folder.joinpath(name).read_bytes(), name=ref.label)
    config_file = folder.joinpath(name.replace(".docx", ".yaml"))
    text = config_file.read_text(encoding="utf-8") if config_file.is_file() else None
    return LoadedTemplate(ref, package, load_config(text, ref.label, kind))


def read_config(path: Path, package: Package, kind: str) -> TemplateConfig:
    """Return the config of the template at *path*: the YAML beside it, or its properties."""
    beside = path.with_suffix(".yaml")
    try:
        text = beside.read_text(encoding="utf-8") if beside.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateProblem(
            _("cannot read the template's config: {reason}").format(reason=exc),
            file=str(beside),
        ) from None
    properties = custom_properties(package.get("docProps/custom.xml"))
    return load_config(text, str(beside if text is not None else path), kind, properties)


def kind_of_name(path: Path) -> str | None:
    """Return the kind a template's file name makes it (``table.docx``: table), if any."""
    if any(path.name in names for names in EDITION_NAMES.values()):
        return "table"
    return next((kind for kind, names in FILE_NAMES.items() if path.name in names), None)


def check_kind(label: str, kind: str, config: TemplateConfig) -> None:
    """Refuse a template whose config names another kind than the one it is used for."""
    if config.kind_key != kind:
        raise TemplateProblem(
            _("this template says it is a {declared}, but it is used for the {kind}").format(
                declared=config.kind, kind=KIND_LABELS[kind]
            ),
            file=label,
            hint=_("fix 文档类型 in its config, or rename the file"),
        )


def builtin_file(kind: str, form: Form | None = None) -> tuple[bytes, str | None]:
    """Return a built-in template's bytes and its config text (for ``templates init``)."""
    folder = resources.files("docgen.builtin_templates")
    name = builtin_name(kind, form)
    config = folder.joinpath(name.replace(".docx", ".yaml"))
    text = config.read_text(encoding="utf-8") if config.is_file() else None
    return folder.joinpath(name).read_bytes(), text


def load_path(path: Path, kind: str) -> LoadedTemplate:
    """Return the template file at *path*, prepared for documents of *kind*."""
    return load(TemplateRef(kind, "file", path))
