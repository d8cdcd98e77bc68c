"""The document kinds docgen renders, their built-in templates and output names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from docgen.errors import InputError, InvalidProjectError, Severity
from docgen.i18n import _
from docgen.model.project import Form, Project
from docgen.ooxml.properties import document_moment
from docgen.output import safe_filename
from docgen.render.context import Style, report_context, table_context
from docgen.render.templates import LoadedTemplate, TemplateRef, find, load
from docgen.rules.checks import check
from docgen.rules.evaluate import NO_OPTIONS, Evaluation, RuleOptions, evaluate
from docgen.rules.scoring import Grade
from docgen.workers import WorkerPool


class ContextBuilder(Protocol):
    """How a kind turns a project into its template's variables."""

    def __call__(
        self,
        project: Project,
        evaluation: Evaluation,
        grade_words: dict[Grade, str] | None = None,
        unit: Literal["万元", "元"] | None = None,
        style: Style | None = None,
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Kind:
    """One kind of document: its names, built-in template and variables."""

    key: str
    label: str
    title: str
    template: str
    context: ContextBuilder

    def filename(self, project: Project) -> str:
        """Return the output file name: ``2024_信息化运维项目_自评表.docx``."""
        return f"{project.year}_{safe_filename(project.name)}_{self.label}.docx"


KINDS: dict[str, Kind] = {
    "table": Kind("table", "自评表", "财政项目支出绩效自评表", "table.docx", table_context),
    "report": Kind(
        "report", "自评报告", "财政项目支出绩效自评价报告", "report.docx", report_context
    ),
}
ALIASES = {kind.label: key for key, kind in KINDS.items()} | {"自评价报告": "report"}


def get_kind(name: str) -> Kind:
    """Return the kind called *name* (English key or Chinese label)."""
    key = ALIASES.get(name, name)
    if key not in KINDS:
        choices = _(", ").join(f"{k} ({v.label})" for k, v in KINDS.items())
        raise InputError(
            _("unknown document kind {name}; choose one of {choices}").format(
                name=repr(name), choices=choices
            )
        )
    return KINDS[key]


class Renderer:
    """Render documents with the templates found for each project file.

    *templates* is the ``--templates`` folder (``None``: ``DOCGEN_TEMPLATES``, then a
    ``templates/`` folder beside the data, then the built-in ones).  *options* are the run's
    ``--rounding`` and ``--scoring``: a template's own 舍入规则 and 评分规则 apply only where
    neither the run nor the project names one.  *form* is the run's ``--form``: the 自评表
    edition for every project, over each project's own 表样 and its 年度.
    """

    def __init__(
        self,
        templates: Path | None = None,
        options: RuleOptions | None = None,
        form: Form | None = None,
    ) -> None:
        self.templates = templates
        self.options = options or NO_OPTIONS
        self.form = form
        self._found: dict[tuple[str, Path | None, Form | None], TemplateRef] = {}

    def edition(self, project: Project) -> Form:
        """Return the 自评表 edition *project* is printed on: the run's, its 表样, its 年度's."""
        return self.form or project.edition

    def template(
        self, kind: Kind, data_file: Path | None = None, form: Form | None = None
    ) -> LoadedTemplate:
        """Return the prepared template *kind* (of edition *form*) uses for *data_file*.

        Which file that is depends only on the data's folder: it is looked up once per folder,
        kind and edition (loading still notices a template file that changed).
        """
        return load(self.ref(kind, data_file, form))

    def default_options(self, kinds: list[Kind], data_file: Path | None) -> RuleOptions:
        """Return the rule conventions the templates ask for: for each, the first that says."""
        options = NO_OPTIONS
        for kind in kinds:
            options = options.over(self.template(kind, data_file).config.options)
        return options

    def ref(
        self, kind: Kind, data_file: Path | None = None, form: Form | None = None
    ) -> TemplateRef:
        """Return which template *kind* (of edition *form*, default: the run's) uses for
        *data_file* (looked up once per folder)."""
        form = form or self.form
        key = (kind.key, data_file.parent if data_file is not None else None, form)
        if key not in self._found:
            self._found[key] = find(kind.key, self.templates, data_file, form)
        return self._found[key]

    def render(
        self,
        kind: Kind,
        project: Project,
        evaluation: Evaluation,
        data_file: Path | None = None,
    ) -> bytes:
        """Return one project's document of *kind* as .docx bytes (in this process)."""
        loaded = self.template(kind, data_file, self.edition(project))
        return render_with(loaded, kind, project, evaluation, self.options, self.form)

    def render_in(
        self,
        pool: WorkerPool,
        kind: Kind,
        project: Project,
        evaluation: Evaluation,
        data_file: Path | None = None,
    ) -> bytes:
        """Return one project's document of *kind*, rendered in a worker of *pool*.

        The worker has a time and a memory limit; past them it is killed (``WorkTimeout``).
        """
        ref = self.ref(kind, data_file, self.edition(project))
        return pool.run(  # type: ignore[no-any-return]
            render_task, ref, self.options, kind.key, project, evaluation, self.form
        )


def render_with(
    loaded: LoadedTemplate,
    kind: Kind,
    project: Project,
    evaluation: Evaluation,
    options: RuleOptions = NO_OPTIONS,
    form: Form | None = None,
) -> bytes:
    """Return one project's document rendered with *loaded* (its config applied).

    A template whose own 舍入规则 or 评分规则 differs from what *evaluation* followed gets the
    project evaluated (and checked) its way; *options* are the run's, which win over it.
    *form* is the run's 自评表 edition, if it names one.
    """
    config = loaded.config
    if config.options != NO_OPTIONS:
        evaluation = _evaluated_for(project, evaluation, options, config.options)
    context = template_context(loaded, kind, project, evaluation, form)
    moment = document_moment(project.year, os.environ.get("SOURCE_DATE_EPOCH"))
    return loaded.prepared.render(context, moment)


def template_context(
    loaded: LoadedTemplate,
    kind: Kind,
    project: Project,
    evaluation: Evaluation,
    form: Form | None = None,
) -> dict[str, Any]:
    """Return the variables *loaded* renders *project* with: the kind's, and its config's."""
    config = loaded.config
    style = Style(config.numbers, config.budget_rate)
    context = kind.context(project, evaluation, config.words(), config.amount_unit, style)
    context.update(config.variables(form or project.edition))
    return context


def render_task(
    ref: TemplateRef,
    options: RuleOptions,
    kind: str,
    project: Project,
    evaluation: Evaluation,
    form: Form | None = None,
) -> bytes:
    """Render one document with the template *ref* names (a worker's task)."""
    return render_with(load(ref), KINDS[kind], project, evaluation, options, form)


def _evaluated_for(
    project: Project, evaluation: Evaluation, run: RuleOptions, template: RuleOptions
) -> Evaluation:
    own = evaluate(project, run, template.over(evaluation.options))
    if own.options == evaluation.options:
        return evaluation
    findings = check(project, own)
    if any(f.severity is Severity.ERROR for f in findings):
        raise InvalidProjectError(findings)
    return own


_BUILT_IN = Renderer()


def render_document(kind: Kind, project: Project, evaluation: Evaluation) -> bytes:
    """Return one project's document of *kind* from the built-in template."""
    return _BUILT_IN.render(kind, project, evaluation)
