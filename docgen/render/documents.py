"""The document kinds docgen renders, their built-in templates and output names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from docgen.errors import InputError
from docgen.model.project import Project
from docgen.output import safe_filename
from docgen.render.config import TemplateConfig, load_config
from docgen.render.context import report_context, table_context
from docgen.render.prepared import PreparedTemplate
from docgen.rules.evaluate import Evaluation
from docgen.rules.scoring import Grade


@dataclass(frozen=True)
class Kind:
    """One kind of document: its names, built-in template and variables."""

    key: str
    label: str
    title: str
    template: str
    context: Callable[[Project, Evaluation, dict[Grade, str]], dict[str, Any]]

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
        choices = ", ".join(f"{k} ({v.label})" for k, v in KINDS.items())
        raise InputError(f"unknown document kind {name!r}; choose one of {choices}")
    return KINDS[key]


@cache
def builtin_template(kind: str) -> tuple[PreparedTemplate, TemplateConfig]:
    """Return the prepared built-in template of *kind* and its config, once per process."""
    folder = resources.files("docgen.builtin_templates")
    docx = folder.joinpath(KINDS[kind].template)
    config = folder.joinpath(KINDS[kind].template.replace(".docx", ".yaml"))
    name = f"built-in {KINDS[kind].template}"
    text = config.read_text(encoding="utf-8") if config.is_file() else None
    return PreparedTemplate(docx.read_bytes(), name=name), load_config(text, name, kind)


def render_document(kind: Kind, project: Project, evaluation: Evaluation) -> bytes:
    """Return one project's document of *kind* as .docx bytes."""
    template, config = builtin_template(kind.key)
    return template.render(kind.context(project, evaluation, config.words()))
