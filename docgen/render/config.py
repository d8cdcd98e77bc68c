"""A template's small configuration, kept in a YAML file beside the .docx."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from docgen.errors import TemplateProblem
from docgen.model.base import DocModel
from docgen.rules.scoring import REPORT_GRADE_WORDS, TABLE_GRADE_WORDS, Grade
from docgen.sources.loader import load_text

GRADE_KEYS = {"优": Grade.EXCELLENT, "良": Grade.GOOD, "中": Grade.FAIR, "差": Grade.POOR}


class TemplateConfig(DocModel):
    """What a template declares about itself: its kind and the words it prints."""

    kind: str = Field("自评表", alias="文档类型", description="自评表 or 自评报告")
    grade_words: dict[str, str] = Field(
        default_factory=dict,
        alias="等级用语",
        description="评分等级的用语：{优: 优秀, 良: 良好, 中: 中等, 差: 差}",
    )

    @field_validator("grade_words")
    @classmethod
    def _known_grades(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(GRADE_KEYS)
        if unknown:
            raise ValueError(f"unknown grade {sorted(unknown)}; use the keys 优, 良, 中, 差")
        return value

    def words(self) -> dict[Grade, str]:
        """Return the grade words, the kind's defaults filled in."""
        default = REPORT_GRADE_WORDS if self.kind in ("自评报告", "report") else TABLE_GRADE_WORDS
        return {band: self.grade_words.get(key, default[band]) for key, band in GRADE_KEYS.items()}


def load_config(text: str | None, name: str, kind: str) -> TemplateConfig:
    """Return the config in YAML *text* (``None``: the defaults of *kind*)."""
    if text is None:
        return TemplateConfig(kind=kind)
    (source,) = load_text(text, name)
    try:
        return TemplateConfig.model_validate(source.data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise TemplateProblem(
            f"bad template config: {'.'.join(map(str, first['loc']))}: {first['msg']}", file=name
        ) from None


def config_beside(template: Path) -> Path:
    """Return where the config of *template* lives: ``table.docx`` → ``table.yaml``."""
    return template.with_suffix(".yaml")
