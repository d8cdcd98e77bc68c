"""The application layer: the one pipeline every front end runs.

``docgen render`` and ``check``, the batch workers, ``POST /v1/check``, ``/v1/documents`` and
``/v1/batches``, the web page and ``templates check --data`` are thin shells over this module:

1. ``RunSettings`` resolves a run's choices once — the templates (``--templates``, else
   ``$DOCGEN_TEMPLATES``, a ``templates/`` folder beside the data, the built-in ones), the
   kinds and the rule options. A rule's precedence is the same everywhere: the run
   (``--rounding``, ``?scoring=``) over the file (its 舍入规则, 评分规则) over the templates of
   the run's kinds over docgen's default.
2. ``Engine`` reads files or uploaded bytes (each named as the user knows it, never by a
   server's temporary path) and returns checked projects, valid or with located findings.
   A ``ValidProject`` — the only thing that renders — exists only for a project without errors.
3. ``NamePlan`` makes output names unique the one way docgen does (``…_2.docx``), in input
   order, before the document is rendered.
4. ``Engine.render`` renders one document, in this process or in a killable worker; writing
   goes through ``docgen.output.write_atomic``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from docgen.errors import DocgenError, InputError
from docgen.i18n import _
from docgen.model.project import Form
from docgen.pipeline import CheckedProject, ValidProject, check_source
from docgen.render.documents import KINDS, Kind, Renderer
from docgen.rules.evaluate import NO_OPTIONS, RuleOptions
from docgen.sources.discover import discover
from docgen.sources.loader import SourceProject, load_bytes, load_file, load_text
from docgen.workers import WorkerPool


@dataclass(frozen=True)
class RunSettings:
    """A run's choices, resolved once and shared by every project of the run (picklable)."""

    templates: Path | None = None
    """The ``--templates`` folder (``None``: ``$DOCGEN_TEMPLATES``, beside the data, built-in)."""
    kinds: tuple[str, ...] = tuple(KINDS)
    """The document kinds the run writes; their templates supply rule defaults."""
    rules: RuleOptions = NO_OPTIONS
    """The run's ``--rounding``, ``--scoring`` and ``--over-completion``."""
    form: Form | None = None
    """The run's ``--form``: the 自评表 edition of every project (``None``: each project's)."""

    @property
    def kind_list(self) -> list[Kind]:
        """Return the run's kinds."""
        return [KINDS[key] for key in self.kinds]


@dataclass(frozen=True)
class Unreadable:
    """An input that yields no project, and why."""

    file: str
    error: DocgenError
    bug: BaseException | None = None
    """The unexpected exception behind an internal error (its traceback, for DOCGEN_DEBUG)."""


class Engine:
    """Read, check, name and render projects with one run's settings."""

    def __init__(self, settings: RunSettings | None = None) -> None:
        self.settings = settings or RunSettings()

    @cached_property
    def renderer(self) -> Renderer:
        """Return the run's renderer (which template each folder uses is looked up once per
        engine; the prepared templates themselves are cached while their files are unchanged)."""
        return Renderer(self.settings.templates, self.settings.rules, self.settings.form)

    def defaults(self, data_file: Path | None) -> RuleOptions:
        """Return the rule options the templates used for *data_file* ask for."""
        return self.renderer.default_options(self.settings.kind_list, data_file)

    def check(
        self,
        source: SourceProject,
        data_file: Path | None = None,
        defaults: RuleOptions | None = None,
    ) -> CheckedProject:
        """Return *source* validated, evaluated and checked with the run's rules.

        *data_file* is where the data lives on disk (its templates folder applies; ``None``
        for an upload); *defaults* replaces the templates' own rule options (a template under
        test).
        """
        if defaults is None:
            defaults = self.defaults(data_file)
        reporting = "report" in self.settings.kinds  # a 自评报告 is made: warn for its gaps
        return check_source(source, self.settings.rules, defaults, data_file, reporting)

    def check_file(
        self, path: Path, name: str | None = None, defaults: RuleOptions | None = None
    ) -> list[CheckedProject]:
        """Return every project of the file *path*, checked; *name* is how messages name it.

        Raises ``InputError`` when the file cannot be read.
        """
        if defaults is None:
            defaults = self.defaults(path)
        return [self.check(s, path, defaults) for s in load_file(path, name)]

    def check_bytes(self, data: bytes, name: str) -> list[CheckedProject]:
        """Return every project of an uploaded file's bytes (.yaml, .json or .xlsx by *name*)."""
        defaults = self.defaults(None)
        return [self.check(s, None, defaults) for s in load_bytes(data, name)]

    def check_text(self, text: str, name: str) -> list[CheckedProject]:
        """Return every project of pasted YAML or JSON *text*, checked."""
        defaults = self.defaults(None)
        return [self.check(s, None, defaults) for s in load_text(text, name)]

    def files(self, inputs: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
        """Return the project files *inputs* (files, folders, patterns) name, and the inputs
        that name none (a missing file, a pattern that matches nothing)."""
        return discover(inputs)

    def check_files(self, files: Iterable[Path]) -> Iterator[CheckedProject | Unreadable]:
        """Yield every project of *files*, checked, or what made a file unreadable."""
        for path in files:
            try:
                yield from self.check_file(path)
            except DocgenError as exc:
                yield Unreadable(str(path), exc)
            except Exception as exc:  # a bug of ours: reported, and the next file goes on
                message = _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}")
                hint = _("this is a bug in docgen; run again with DOCGEN_DEBUG=1 and report it")
                yield Unreadable(str(path), DocgenError(message, file=str(path), hint=hint), exc)

    def render(self, valid: ValidProject, kind: Kind, pool: WorkerPool | None = None) -> bytes:
        """Return *valid*'s document of *kind* as .docx bytes.

        With *pool*, it is rendered in a killable worker with a time and a memory limit
        (``WorkTimeout`` past them); without, in this process.
        """
        if pool is None:
            return self.renderer.render(kind, valid.project, valid.evaluation, valid.data_file)
        return self.renderer.render_in(pool, kind, valid.project, valid.evaluation, valid.data_file)

    def filenames(self, valid: ValidProject) -> list[str]:
        """Return the names of *valid*'s documents, one per kind of the run (not yet unique)."""
        return [kind.filename(valid.project) for kind in self.settings.kind_list]


@dataclass
class NamePlan:
    """Output names made unique in input order: a later project that would write a name
    already given gets ``…_2.docx`` (then ``_3`` …). Every front end names documents so."""

    taken: set[str] = field(default_factory=set)

    def claim(self, name: str) -> str:
        """Return *name*, or its first free numbered variant; it is taken from now on."""
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, n = name, 2
        while candidate in self.taken:
            candidate = f"{stem}_{n}{dot}{suffix}"
            n += 1
        self.taken.add(candidate)
        return candidate


__all__ = [
    "CheckedProject",
    "Engine",
    "NamePlan",
    "RunSettings",
    "Unreadable",
    "ValidProject",
]
