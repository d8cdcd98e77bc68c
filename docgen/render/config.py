"""A template's small configuration: in a YAML file beside the .docx, or in its properties.

Keys (the form's words; English names accepted too):

``文档类型`` (kind)         自评表 or 自评报告 — which document the template makes
``舍入规则`` (rounding)     标准, 截断 or 四舍五入 — used when neither the run nor the project says
``评分规则`` (scoring)      财预〔2020〕10号 or 财预〔2021〕101号 — likewise
``超额完成阈值`` (over_completion)  完成率 in % from which an exceeded target asks for a cause (130)
``等级用语`` (grade_words)  {优: 优秀, 良: 良好, 中: 中等, 差: 差} — the grade words printed
``金额单位`` (amount_unit)  万元 or 元 — the unit the form prints; amounts are converted to it
``数字格式`` (numbers)      两位小数 (fixed: ``4,240,000.00``, ``10.00``) or 常规 (general: as seed
                          004 prints them, ``4240000``, ``1316006.97``, ``10``, ``93.1``, and blank
                          where the report leaves a zero split empty)
``预算执行率`` (budget_rate) 完成 (always among the completed indicators, as seed 004) or 按得分
                          (completed only when the funds scored full marks) — the report's lists
``表样`` (form)             2022 or 2023 — the 自评表 edition this template is (``表样`` variable)

The words of the 自评表 (the ``用语`` variable; defaults: the 2023/2024 edition's):

``分数用语`` (weight_header)     分数 — the 项目资金 header over its 分值 (2022 edition: 分值)
``执行率用语`` (rate_header)     执行率(%) — the 项目资金 header over 执行率 (2022: 执行率)
``来源行分数`` (source_weight)   ``-`` — what the source rows print under 分数 (2022: —)
``来源行得分`` (source_score)    ``-`` — what the source rows print under 得分 (2022: blank)
``来源行执行率`` (source_rate)   true — whether the source rows print their 执行率 (2022: false)
``评分等级行`` (grade_row)       true — whether the form has its 评分等级 row (2022: false)

In a .docx the same keys can be custom document properties (Word: File › Properties ›
Custom); ``等级用语`` is then written ``优=优秀, 良=良好, 中=中等, 差=差``.  A YAML file
beside the template wins over the properties.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from docgen.errors import TemplateProblem
from docgen.i18n import _
from docgen.model.base import DocModel
from docgen.model.project import Form, Rounding, Scoring
from docgen.render.config_problems import problem_of
from docgen.rules.evaluate import RuleOptions
from docgen.rules.report import BudgetRateListing
from docgen.rules.scoring import REPORT_GRADE_WORDS, TABLE_GRADE_WORDS, Grade
from docgen.sources.yaml_events import EventBuilder

GRADE_KEYS = {"优": Grade.EXCELLENT, "良": Grade.GOOD, "中": Grade.FAIR, "差": Grade.POOR}
KIND_NAMES = {"自评表": "table", "table": "table", "自评报告": "report", "自评价报告": "report",
              "report": "report"}  # fmt: skip


class TemplateConfig(DocModel):
    """What a template declares about itself."""

    kind: str = Field("自评表", alias="文档类型", description="自评表 or 自评报告")
    rounding: Rounding | None = Field(None, alias="舍入规则", description="标准, 截断 or 四舍五入")
    scoring: Scoring | None = Field(
        None, alias="评分规则", description="财预〔2020〕10号 or 财预〔2021〕101号"
    )
    over_completion: Decimal | None = Field(
        None,
        alias="超额完成阈值",
        gt=100,
        le=10000,
        description="完成率 (%) from which an exceeded target asks for its cause (default 130)",
    )
    grade_words: dict[str, str] = Field(
        default_factory=dict,
        alias="等级用语",
        description="评分等级的用语：{优: 优秀, 良: 良好, 中: 中等, 差: 差}",
    )
    amount_unit: Literal["万元", "元"] | None = Field(
        None, alias="金额单位", description="the unit the form prints: 万元 or 元"
    )
    numbers: Literal["两位小数", "常规"] = Field(
        "两位小数",
        alias="数字格式",
        description="两位小数 (4,240,000.00) or 常规 (4240000, as the official report)",
    )
    budget_rate: BudgetRateListing = Field(
        BudgetRateListing.COMPLETED,
        alias="预算执行率",
        description="the report's lists: 完成 (always completed, seed 004) or 按得分",
    )

    @field_validator("numbers", mode="before")
    @classmethod
    def _number_names(cls, value: object) -> object:
        return {"fixed": "两位小数", "general": "常规"}.get(str(value), value)

    @field_validator("budget_rate", mode="before")
    @classmethod
    def _listing_names(cls, value: object) -> object:
        return {"completed": "完成", "by-score": "按得分"}.get(str(value), value)

    form: Form | None = Field(None, alias="表样", description="2022 or 2023: the edition")
    weight_header: str = Field("分数", alias="分数用语", max_length=20)
    rate_header: str = Field("执行率(%)", alias="执行率用语", max_length=20)
    source_weight: str = Field("-", alias="来源行分数", max_length=20)
    source_score: str = Field("-", alias="来源行得分", max_length=20)
    source_rate: bool = Field(True, alias="来源行执行率")
    grade_row: bool = Field(True, alias="评分等级行")

    @field_validator("form", mode="before")
    @classmethod
    def _form_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("weight_header", "rate_header", "source_weight", "source_score", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KIND_NAMES:
            raise ValueError(
                _("unknown kind {value}; use 自评表 or 自评报告").format(value=repr(value))
            )
        return value

    @field_validator("grade_words")
    @classmethod
    def _known_grades(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(GRADE_KEYS)
        if unknown:
            raise ValueError(
                _("unknown grade {grades}; use the keys 优, 良, 中, 差").format(
                    grades=_(", ").join(sorted(unknown))
                )
            )
        return value

    @property
    def options(self) -> RuleOptions:
        """Return the rule conventions this template asks for (where the run and data do not)."""
        return RuleOptions(self.rounding, self.scoring, self.over_completion)

    @property
    def kind_key(self) -> str:
        """Return the kind as the command line names it: ``table`` or ``report``."""
        return KIND_NAMES[self.kind]

    def form_words(self) -> dict[str, str | bool]:
        """Return the words of the form, as templates see them: the ``用语`` variable."""
        return {
            "分数": self.weight_header,
            "执行率": self.rate_header,
            "来源行分数": self.source_weight,
            "来源行得分": self.source_score,
            "来源行执行率": self.source_rate,
            "评分等级行": self.grade_row,
        }

    def variables(self, edition: Form) -> dict[str, Any]:
        """Return the variables this config adds: ``表样`` (this template's, else *edition*) and
        ``用语``."""
        return {"表样": (self.form or edition).value, "用语": self.form_words()}

    def words(self) -> dict[Grade, str]:
        """Return the grade words, the kind's defaults filled in."""
        default = REPORT_GRADE_WORDS if self.kind_key == "report" else TABLE_GRADE_WORDS
        return {band: self.grade_words.get(key, default[band]) for key, band in GRADE_KEYS.items()}


def load_config(
    text: str | None, name: str, kind: str, properties: dict[str, str] | None = None
) -> TemplateConfig:
    """Return a template's config from YAML *text* and/or its custom *properties*.

    A bad value is a ``TemplateProblem`` naming the key (and its line in *text*) and saying
    what the key takes, in the user's language.
    """
    data: dict[str, Any] = {"文档类型": "自评报告" if kind == "report" else "自评表"}
    for key, value in (properties or {}).items():
        if key == "等级用语":
            data[key] = dict(_pair(item) for item in value.replace("，", ",").split(",") if item)
        elif key in _PROPERTY_KEYS:
            data[key] = value.strip()
    lines: dict[Any, int] = {}
    if text is not None:
        written = _config_mapping(text, name)
        if written is not None:
            data.update(written[0])
            lines = written[1]
    try:
        return TemplateConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(map(str, first["loc"]))
        raise TemplateProblem(
            _("bad template config: {field}: {problem}").format(
                field=field, problem=problem_of(first, CONFIG_KEYS)
            ),
            file=name,
            line=lines.get(tuple(first["loc"][:1])),
        ) from None


def _config_mapping(text: str, name: str) -> tuple[dict[str, Any], dict[Any, int]] | None:
    """Return the keys a YAML config sets and the line of each (``None``: it sets none)."""
    documents = EventBuilder(name).documents(text)
    if not documents:
        return None  # an empty file, or only comments: every key keeps its default
    if len(documents) > 1:
        raise TemplateProblem(
            _("a template config is one YAML document; this one holds {count}").format(
                count=len(documents)
            ),
            file=name,
            line=documents[1].lines.get(()),
        )
    (document,) = documents
    if not isinstance(document.value, dict):
        raise TemplateProblem(_("a template config must be a mapping of keys"), file=name)
    return document.value, document.lines


_PROPERTY_KEYS = (
    *(
        "文档类型",
        "舍入规则",
        "评分规则",
        "超额完成阈值",
        "金额单位",
        "数字格式",
        "预算执行率",
        "表样",
    ),
    *("分数用语", "执行率用语", "来源行分数", "来源行得分", "来源行执行率", "评分等级行"),
)


CONFIG_KEYS = sorted(
    key for name, field in TemplateConfig.model_fields.items() for key in (field.alias, name) if key
)
"""Every key a config may set: the form's words and their English names."""


def _pair(item: str) -> tuple[str, str]:
    key, _sep, value = item.partition("=")
    return key.strip(), value.strip()
