"""What an imported project must give back: the facts a 自评表 prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.model.project import Project
from docgen.sources.loader import load_file


def projects(path: Path) -> list[Project]:
    """Return the validated projects of a YAML or JSON file."""
    return [Project.model_validate(source.data) for source in load_file(path)]


def facts(project: Project) -> dict[str, Any]:
    """Return what the form prints of *project*, stated figures and 舍入规则 aside.

    An omitted 得分 is printed as full marks; the 自评报告 is not part of the form.
    """
    dumped = project.model_dump(
        by_alias=False, exclude={"rounding", "scoring", "report", "stated_total", "stated_grade"}
    )
    for key in ("stated_total", "stated_rate", "stated_score"):
        dumped["funds"].pop(key)
    for row in dumped["indicators"]:
        if row["score"] is None:
            row["score"] = row["weight"]
    return dumped
