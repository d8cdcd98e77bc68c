"""Describe the data-entry workbook, once: its sheets, their columns and what each holds.

``docgen.excel.reader`` reads this layout and ``docgen.excel.writer`` writes it, so a workbook
written from projects reads back as the same projects:

- ``项目``: one row per project. The columns are the form's fields; a nested field is named by
  its parts joined with ``·`` (``当年财政拨款·年初预算数`` is 项目资金 → 当年财政拨款 → 年初预算数).
- ``绩效指标``: one row per 三级指标, belonging to the project named in ``项目名称`` (and
  ``年度``, needed only when two projects share a name).
- ``资金安排`` and ``资金使用情况``: the optional rows of the 自评报告's two tables, keyed the
  same way.
- ``填写说明``: what every column holds (``docgen.excel.guide``); the reader ignores it, and any
  other sheet.

How the cells look (number formats, fonts, borders) is ``docgen.excel.styles``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from docgen.i18n import N_, _
from docgen.sources.loader import DataPath

Kind = Literal["year", "line", "text", "choice", "amount", "score", "lines"]
"""What a column holds: 年度; one line of text; free text; a drop-down choice; money; a score
or percentage; a list with one item per line."""

Role = Literal["value", "key", "category"]
"""A project field; the project a row belongs to (项目名称, 年度); the row's name in 资金安排."""

NUMBER_KINDS: frozenset[Kind] = frozenset({"year", "amount", "score"})
EMPTY_LIST = "无"
"""What a list column holds for an empty list (the report prints 无 for it too)."""
EMPTY_TEXT_FORMULA = '=""'
"""What a cell holds for the empty text (an empty cell is a value not given)."""

LEVEL1_CHOICES = ("产出指标", "效益指标", "满意度指标", "成本指标", "产出目标")
LEVEL2_CHOICES = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "社会效益指标",
    "经济效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
)
ARRANGEMENT_ROWS = ("预算安排", "项目实际投入", "资金到位", "实际支出")
SEPARATOR = "·"
_SEPARATORS = re.compile(r"[・．.•‧]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, where its value goes and how it is written."""

    header: str
    path: DataPath
    """Where the value goes: in the project (sheet 项目) or in the row's item (other sheets)."""
    kind: Kind
    width: float
    note: str
    """What to fill in, for the 填写说明 sheet: a msgid, read through ``describe``."""
    required: bool = False
    choices: tuple[str, ...] = ()
    strict: bool = True
    """Refuse values outside ``choices`` (else Excel only warns)."""
    role: Role = "value"
    note_fields: tuple[tuple[str, str], ...] = ()
    """The values of the note's placeholders (``{part}``), filled in after translation."""

    def describe(self) -> str:
        """Return what to fill in, in the language of the run (the workbook's instructions)."""
        return _(self.note).format(**dict(self.note_fields))


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its columns and where its rows go in a project."""

    name: str
    base: DataPath
    """Where the rows go: ``()`` for the project itself, else a list or (资金安排) a mapping."""
    columns: tuple[Column, ...]
    note: str
    """What the sheet holds, for the 填写说明 sheet: a msgid, read through ``describe``."""

    def describe(self) -> str:
        """Return what the sheet holds, in the language of the run."""
        return _(self.note)

    def find(self, header: str) -> Column | None:
        """Return the column a header names (spaces ignored, ``.`` or ``・`` for ``·``)."""
        wanted = header_key(header)
        return next((c for c in self.columns if header_key(c.header) == wanted), None)

    @property
    def keyed(self) -> bool:
        """Return whether the rows name their project (every sheet but 项目)."""
        return bool(self.base)


def header_key(text: str) -> str:
    """Return a header as it is compared: without spaces, with ``·`` for ``.`` or ``・``."""
    return _SEPARATORS.sub(SEPARATOR, _WHITESPACE.sub("", text))


def _funds(source: str, required: bool, note: str) -> tuple[Column, ...]:
    return tuple(
        Column(
            f"{source}{SEPARATOR}{part}",
            ("项目资金", source, part),
            "amount",
            15,
            note,
            required,
            note_fields=(("part", part),),
        )
        for part in ("年初预算数", "全年预算数", "全年执行数")
    )


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column(
        "年度", ("年度",), "year", 8, N_("The year evaluated, four digits, such as 2024."), True
    ),
    Column(
        "项目名称",
        ("项目名称",),
        "line",
        34,
        N_(
            "The project's name, as on the 自评表. The other sheets find this "
            "row by this name (and 年度)."
        ),
        True,
    ),
    Column("主管部门", ("主管部门",), "line", 28, N_("The department in charge (主管部门)."), True),
    Column("实施单位", ("实施单位",), "line", 28, N_("The implementing unit (实施单位)."), True),
    Column(
        "金额单位",
        ("金额单位",),
        "choice",
        10,
        N_(
            "万元 (the default) or 元; every amount in this row and in this "
            "project's rows on the other sheets is in this unit."
        ),
        choices=("万元", "元"),
    ),
    Column(
        "舍入规则",
        ("舍入规则",),
        "choice",
        10,
        N_(
            "How 执行率 and 资金得分 are taken to two decimals: 标准 (the default: "
            "执行率 truncated, the score rounded half up), 截断 (both truncated)"
            " or 四舍五入 (both rounded half up)."
        ),
        choices=("标准", "截断", "四舍五入"),
    ),
    Column(
        "评分规则",
        ("评分规则",),
        "choice",
        18,
        N_(
            "Optional: the rules the indicators' scores are computed and "
            "checked by: 财预〔2020〕10号 (a target not met scores in proportion"
            " to what was achieved) or 财预〔2021〕101号 (completion, budget "
            "execution and satisfaction scored in bands); empty: the scores"
            " as filled in, full marks where left out."
        ),
        choices=("财预〔2020〕10号", "财预〔2021〕101号"),
    ),
    Column(
        "项目资金分值",
        ("项目资金", "分值"),
        "score",
        10,
        N_(
            "The 分值 of 项目资金; empty is 10. The 分值 of 项目资金 and of the "
            "indicators should add up to 100."
        ),
    ),
    *_funds(
        "当年财政拨款",
        True,
        N_("Of which this year's fiscal appropriation (当年财政拨款), required: {part}."),
    ),
    *_funds(
        "上年结转资金",
        False,
        N_("Funds carried over from last year (上年结转资金), optional, empty is 0: {part}."),
    ),
    *_funds("其他资金", False, N_("Other funds (其他资金), optional, empty is 0: {part}.")),
    *_funds(
        "年度资金总额",
        False,
        N_(
            "Optional: the 年度资金总额 printed on the form, checked against the sum of the "
            "three sources when filled in: {part}."
        ),
    ),
    Column(
        "执行率",
        ("项目资金", "执行率"),
        "score",
        10,
        N_(
            "Optional: the 执行率 printed on the form, as a percentage (49.78 "
            "means 49.78%; no %), checked against the computed rate when "
            "filled in."
        ),
    ),
    Column(
        "资金得分",
        ("项目资金", "得分"),
        "score",
        10,
        N_(
            "Optional: the score of 项目资金 printed on the form, checked "
            "against 分值 × 执行率 when filled in."
        ),
    ),
    Column(
        "总分",
        ("总分",),
        "score",
        10,
        N_("Optional: the 总分 printed on the form, checked when filled in."),
    ),
    Column(
        "评分等级",
        ("评分等级",),
        "line",
        10,
        N_(
            "Optional: the 评分等级 printed on the form (优, 良, 中 or 差), checked when filled in."
        ),
    ),
    Column(
        "预期目标",
        ("年度总体目标", "预期目标"),
        "text",
        50,
        N_("年度总体目标·预期目标. A line break in the cell (Alt+Enter) starts a new paragraph."),
        True,
    ),
    Column(
        "实际完成情况",
        ("年度总体目标", "实际完成情况"),
        "text",
        50,
        N_("年度总体目标·实际完成情况. A line break in the cell starts a new paragraph."),
        True,
    ),
    Column(
        "项目概况",
        ("自评报告", "项目概况"),
        "text",
        40,
        N_(
            "自评价报告 (一) 项目概况. The columns from here on are used only by the "
            "自评价报告, and all are optional."
        ),
    ),
    Column(
        "财政资金级次",
        ("自评报告", "财政资金级次"),
        "choice",
        12,
        N_(
            "The level the fiscal funds belong to (中央级, 市级, 区县级 or 乡镇级), "
            "which decides the column of the 资金安排 table they go in; empty: "
            "not broken down."
        ),
        choices=("中央级", "市级", "区县级", "乡镇级"),
    ),
    Column("项目总目标", ("自评报告", "项目总目标"), "text", 40, N_("(三) 1. 项目总目标.")),
    Column(
        "项目年度绩效目标",
        ("自评报告", "项目年度绩效目标"),
        "text",
        40,
        N_("(三) 2. 项目年度绩效目标; empty: the 预期目标."),
    ),
    Column("项目实施计划", ("自评报告", "项目实施计划"), "text", 40, N_("(四) 项目实施计划.")),
    Column(
        "绩效分析",
        ("自评报告", "绩效分析"),
        "text",
        40,
        N_("The overall assessment of part 二; empty: written from the 总得分 and the 评价等级."),
    ),
    Column(
        "完成的指标",
        ("自评报告", "完成的指标"),
        "lines",
        30,
        N_(
            "The indicators whose targets were met, one per line (line "
            "breaks in the cell); 无 means none; optional, empty: worked out"
            " from the data."
        ),
    ),
    Column(
        "未完成的指标",
        ("自评报告", "未完成的指标"),
        "lines",
        30,
        N_(
            "The indicators whose targets were not met, one per line; 无 "
            "means none; optional, empty: worked out from the data."
        ),
    ),
    Column(
        "未完成原因",
        ("自评报告", "未完成原因"),
        "text",
        40,
        N_("Why they were not met; empty: the 偏差原因分析及改进措施 of each indicator not met."),
    ),
    Column(
        "对项目管理及实施的建议",
        ("自评报告", "对项目管理及实施的建议"),
        "text",
        30,
        N_("Empty: 无."),
    ),
    Column(
        "对完善制度保障的建议",
        ("自评报告", "对完善制度保障的建议"),
        "text",
        30,
        N_("Empty: 无."),
    ),
    Column(
        "对以后年度项目预算安排的建议",
        ("自评报告", "对以后年度项目预算安排的建议"),
        "text",
        30,
        N_("Empty: 无."),
    ),
    Column(
        "备注", ("自评报告", "备注"), "text", 20, N_("The remarks of the 自评价报告; empty: none.")
    ),
    Column(
        "总得分",
        ("自评报告", "总得分"),
        "score",
        10,
        N_("Optional: the 总得分 printed on the report, checked when filled in."),
    ),
    Column(
        "评价等级",
        ("自评报告", "评价等级"),
        "line",
        10,
        N_(
            "Optional: the 评价等级 printed on the report (优秀, 良好, 中等 or 差), "
            "checked when filled in."
        ),
    ),
)

YEAR_COLUMN, NAME_COLUMN = PROJECT_COLUMNS[:2]
"""The 项目 sheet's 年度 and 项目名称: what the rows of the other sheets name their project by."""

KEY_COLUMNS: tuple[Column, ...] = (
    Column(
        "项目名称",
        ("项目名称",),
        "line",
        30,
        N_(
            "The name of the project this row belongs to, exactly as its "
            "项目名称 on the 项目 sheet."
        ),
        True,
        role="key",
    ),
    Column(
        "年度",
        ("年度",),
        "year",
        8,
        N_(
            "The 年度 of the project this row belongs to; needed only when "
            "two projects (of different years) share a name."
        ),
        role="key",
    ),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    *KEY_COLUMNS,
    Column(
        "一级指标",
        ("一级指标",),
        "choice",
        12,
        N_(
            "The level-1 indicator, such as 产出指标, 效益指标, 满意度指标, 成本指标; pick "
            "it from the drop-down list or type another name. The rows of "
            "one level-1 indicator should follow each other."
        ),
        True,
        LEVEL1_CHOICES,
        strict=False,
    ),
    Column(
        "二级指标",
        ("二级指标",),
        "choice",
        16,
        N_(
            "The level-2 indicator, such as 数量指标, 质量指标, 时效指标, 社会效益指标; pick "
            "it from the drop-down list or type another name."
        ),
        True,
        LEVEL2_CHOICES,
        strict=False,
    ),
    Column("三级指标", ("三级指标",), "line", 30, N_("The name of the level-3 indicator."), True),
    Column(
        "年度指标值",
        ("年度指标值",),
        "text",
        20,
        N_(
            "The year's target, such as =100.00(%), ≥95(%), ≤15(工作日), 稳定运行;"
            " typed as text, as it is."
        ),
        True,
    ),
    Column(
        "实际完成值",
        ("实际完成值",),
        "text",
        20,
        N_("The value achieved, such as 100.00(%), 达成指标; typed as text, as it is."),
        True,
    ),
    Column("分值", ("分值",), "score", 8, N_("The 分值 (most points) of this indicator."), True),
    Column(
        "得分",
        ("得分",),
        "score",
        8,
        N_("The 得分 (points scored) of this indicator; empty means full marks."),
    ),
    Column(
        "偏差原因分析及改进措施",
        ("偏差原因分析及改进措施",),
        "text",
        40,
        N_("Where points are lost, explain why the target was missed and how it will be improved."),
    ),
)

ARRANGEMENT_COLUMNS: tuple[Column, ...] = (
    *KEY_COLUMNS,
    Column(
        "类别",
        (),
        "choice",
        14,
        N_(
            "The row of the 资金安排 table: 预算安排 (1), 项目实际投入 (2), 资金到位 (3) or "
            "实际支出 (4). When broken down, fill in all four rows."
        ),
        True,
        ARRANGEMENT_ROWS,
        role="category",
    ),
    *(
        Column(
            level,
            (level,),
            "amount",
            14,
            N_("The amount from {level}; empty is 0."),
            note_fields=(("level", level),),
        )
        for level in ("中央级", "市级", "区县级", "乡镇级", "单位自筹", "银行贷款等", "社会资本")
    ),
)

SPENDING_COLUMNS: tuple[Column, ...] = (
    *KEY_COLUMNS,
    Column(
        "项目支出内容",
        ("项目支出内容",),
        "line",
        36,
        N_("One row of the 资金使用情况 table: what the money was spent on."),
        True,
    ),
    Column(
        "财政资金支出数", ("财政资金支出数",), "amount", 16, N_("Fiscal funds spent; empty is 0.")
    ),
    Column(
        "其他资金支出数", ("其他资金支出数",), "amount", 16, N_("Other funds spent; empty is 0.")
    ),
    Column(
        "财政资金专款专用数",
        ("财政资金专款专用数",),
        "amount",
        16,
        N_("Optional: fiscal funds spent only on their purpose (专款专用)."),
    ),
)

PROJECT_SHEET = Sheet(
    "项目",
    (),
    PROJECT_COLUMNS,
    N_("One row per project: the items of the 自评表 and the texts of the 自评价报告."),
)
INDICATOR_SHEET = Sheet(
    "绩效指标",
    ("绩效指标",),
    INDICATOR_COLUMNS,
    N_("One row per 三级指标, in the order of the 自评表."),
)
ARRANGEMENT_SHEET = Sheet(
    "资金安排",
    ("自评报告", "资金安排"),
    ARRANGEMENT_COLUMNS,
    N_(
        "Optional: rows (1)–(4) of the 资金安排 table of the 自评价报告, broken "
        "down by source; empty: worked out from 项目资金."
    ),
)
SPENDING_SHEET = Sheet(
    "资金使用情况",
    ("自评报告", "资金使用情况"),
    SPENDING_COLUMNS,
    N_(
        "Optional: the rows of the 资金使用情况 table of the 自评价报告; empty: "
        "one row (the 项目名称)."
    ),
)
DATA_SHEETS: tuple[Sheet, ...] = (PROJECT_SHEET, INDICATOR_SHEET, ARRANGEMENT_SHEET, SPENDING_SHEET)
GUIDE_SHEET = "填写说明"
