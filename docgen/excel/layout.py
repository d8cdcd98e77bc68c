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
    """What to fill in, for the 填写说明 sheet."""
    required: bool = False
    choices: tuple[str, ...] = ()
    strict: bool = True
    """Refuse values outside ``choices`` (else Excel only warns)."""
    role: Role = "value"


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its columns and where its rows go in a project."""

    name: str
    base: DataPath
    """Where the rows go: ``()`` for the project itself, else a list or (资金安排) a mapping."""
    columns: tuple[Column, ...]
    note: str

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
            f"{note}：{part}。",
            required,
        )
        for part in ("年初预算数", "全年预算数", "全年执行数")
    )


_OPTIONAL_TEXT = "可选，留空则按数据推算。"

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("年度", ("年度",), "year", 8, "评价年度，四位数字，如 2024。", True),
    Column(
        "项目名称",
        ("项目名称",),
        "line",
        34,
        "项目名称，与自评表一致。其他工作表按此名称（和年度）对应到本行。",
        True,
    ),
    Column("主管部门", ("主管部门",), "line", 28, "主管部门。", True),
    Column("实施单位", ("实施单位",), "line", 28, "实施单位。", True),
    Column(
        "金额单位",
        ("金额单位",),
        "choice",
        10,
        "万元（默认）或 元；本行和本项目其他工作表中的金额都用这个单位。",
        choices=("万元", "元"),
    ),
    Column(
        "舍入规则",
        ("舍入规则",),
        "choice",
        10,
        "执行率和资金得分取两位小数的方法：标准（默认：执行率截断、得分四舍五入）、"
        "截断（两者都截断）或 四舍五入（两者都四舍五入）。",
        choices=("标准", "截断", "四舍五入"),
    ),
    Column(
        "评分规则",
        ("评分规则",),
        "choice",
        18,
        "可选：指标得分按哪个文件计算并核对：财预〔2020〕10号（未达标按完成比例得分）或 "
        "财预〔2021〕101号（完成率、预算执行率、满意度分档得分）；留空则得分按填写，省略为满分。",
        choices=("财预〔2020〕10号", "财预〔2021〕101号"),
    ),
    Column(
        "项目资金分值",
        ("项目资金", "分值"),
        "score",
        10,
        "项目资金的分值，留空则为 10。项目资金分值与各指标分值之和应为 100。",
    ),
    *_funds("当年财政拨款", True, "其中：当年财政拨款，必填"),
    *_funds("上年结转资金", False, "上年结转资金，可选，留空为 0"),
    *_funds("其他资金", False, "其他资金，可选，留空为 0"),
    *_funds("年度资金总额", False, "可选：表上印的年度资金总额，填写则与三项来源之和核对"),
    Column(
        "执行率",
        ("项目资金", "执行率"),
        "score",
        10,
        "可选：表上印的执行率，按百分数填数字（49.78 表示 49.78%，不要带 %），填写则与计算值核对。",
    ),
    Column(
        "资金得分",
        ("项目资金", "得分"),
        "score",
        10,
        "可选：表上印的项目资金得分，填写则与 分值 × 执行率 核对。",
    ),
    Column("总分", ("总分",), "score", 10, "可选：表上印的总分，填写则核对。"),
    Column(
        "评分等级",
        ("评分等级",),
        "line",
        10,
        "可选：表上印的评分等级（优、良、中 或 差），填写则核对。",
    ),
    Column(
        "预期目标",
        ("年度总体目标", "预期目标"),
        "text",
        50,
        "年度总体目标·预期目标。单元格内换行（Alt+Enter）即分段。",
        True,
    ),
    Column(
        "实际完成情况",
        ("年度总体目标", "实际完成情况"),
        "text",
        50,
        "年度总体目标·实际完成情况。单元格内换行即分段。",
        True,
    ),
    Column(
        "项目概况",
        ("自评报告", "项目概况"),
        "text",
        40,
        "自评价报告（一）项目概况。以下各列只用于自评价报告，均可选。",
    ),
    Column(
        "财政资金级次",
        ("自评报告", "财政资金级次"),
        "choice",
        12,
        "财政资金所属级次（中央级、市级、区县级 或 乡镇级），决定资金安排表中财政资金填在哪一列；"
        "留空则不细分。",
        choices=("中央级", "市级", "区县级", "乡镇级"),
    ),
    Column("项目总目标", ("自评报告", "项目总目标"), "text", 40, "（三）1. 项目总目标。"),
    Column(
        "项目年度绩效目标",
        ("自评报告", "项目年度绩效目标"),
        "text",
        40,
        "（三）2. 项目年度绩效目标；留空则用 预期目标。",
    ),
    Column("项目实施计划", ("自评报告", "项目实施计划"), "text", 40, "（四）项目实施计划。"),
    Column(
        "绩效分析",
        ("自评报告", "绩效分析"),
        "text",
        40,
        "二、的总体评价语句；留空则按总得分和评价等级生成。",
    ),
    Column(
        "完成的指标",
        ("自评报告", "完成的指标"),
        "lines",
        30,
        "绩效目标完成的指标，每行一个（单元格内换行）；填“无”表示没有；" + _OPTIONAL_TEXT,
    ),
    Column(
        "未完成的指标",
        ("自评报告", "未完成的指标"),
        "lines",
        30,
        "没有完成绩效目标的指标，每行一个；填“无”表示没有；" + _OPTIONAL_TEXT,
    ),
    Column(
        "未完成原因",
        ("自评报告", "未完成原因"),
        "text",
        40,
        "未完成原因解释；留空则取各未完成指标的偏差原因分析及改进措施。",
    ),
    Column(
        "对项目管理及实施的建议",
        ("自评报告", "对项目管理及实施的建议"),
        "text",
        30,
        "留空为“无”。",
    ),
    Column(
        "对完善制度保障的建议",
        ("自评报告", "对完善制度保障的建议"),
        "text",
        30,
        "留空为“无”。",
    ),
    Column(
        "对以后年度项目预算安排的建议",
        ("自评报告", "对以后年度项目预算安排的建议"),
        "text",
        30,
        "留空为“无”。",
    ),
    Column("备注", ("自评报告", "备注"), "text", 20, "自评价报告的备注，留空则不填。"),
    Column("总得分", ("自评报告", "总得分"), "score", 10, "可选：报告上印的总得分，填写则核对。"),
    Column(
        "评价等级",
        ("自评报告", "评价等级"),
        "line",
        10,
        "可选：报告上印的评价等级（优秀、良好、中等 或 差），填写则核对。",
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
        "本行所属项目的名称，与「项目」表中的项目名称完全一致。",
        True,
        role="key",
    ),
    Column(
        "年度",
        ("年度",),
        "year",
        8,
        "本行所属项目的年度；只有两个项目同名（不同年度）时才需要填写。",
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
        "一级指标，如 产出指标、效益指标、满意度指标、成本指标；"
        "可从下拉列表选择，也可填写其他名称。同一一级指标的各行应连续排列。",
        True,
        LEVEL1_CHOICES,
        strict=False,
    ),
    Column(
        "二级指标",
        ("二级指标",),
        "choice",
        16,
        "二级指标，如 数量指标、质量指标、时效指标、社会效益指标；"
        "可从下拉列表选择，也可填写其他名称。",
        True,
        LEVEL2_CHOICES,
        strict=False,
    ),
    Column("三级指标", ("三级指标",), "line", 30, "三级指标名称。", True),
    Column(
        "年度指标值",
        ("年度指标值",),
        "text",
        20,
        "年度指标值，如 =100.00(%)、≥95(%)、≤15(工作日)、稳定运行；按文字原样填写。",
        True,
    ),
    Column(
        "实际完成值",
        ("实际完成值",),
        "text",
        20,
        "实际完成值，如 100.00(%)、达成指标；按文字原样填写。",
        True,
    ),
    Column("分值", ("分值",), "score", 8, "本指标的分值。", True),
    Column("得分", ("得分",), "score", 8, "本指标的得分；留空表示满分。"),
    Column(
        "偏差原因分析及改进措施",
        ("偏差原因分析及改进措施",),
        "text",
        40,
        "失分时应填写偏差原因分析及改进措施。",
    ),
)

ARRANGEMENT_COLUMNS: tuple[Column, ...] = (
    *KEY_COLUMNS,
    Column(
        "类别",
        (),
        "choice",
        14,
        "资金安排表的行：预算安排 (1)、项目实际投入 (2)、资金到位 (3) 或 实际支出 (4)。"
        "细分时四行都要填写。",
        True,
        ARRANGEMENT_ROWS,
        role="category",
    ),
    *(
        Column(level, (level,), "amount", 14, f"{level}的金额，留空为 0。")
        for level in ("中央级", "市级", "区县级", "乡镇级", "单位自筹", "银行贷款等", "社会资本")
    ),
)

SPENDING_COLUMNS: tuple[Column, ...] = (
    *KEY_COLUMNS,
    Column("项目支出内容", ("项目支出内容",), "line", 36, "资金使用情况表的一行：支出内容。", True),
    Column("财政资金支出数", ("财政资金支出数",), "amount", 16, "财政资金支出数，留空为 0。"),
    Column("其他资金支出数", ("其他资金支出数",), "amount", 16, "其他资金支出数，留空为 0。"),
    Column(
        "财政资金专款专用数",
        ("财政资金专款专用数",),
        "amount",
        16,
        "可选：财政资金专款专用数。",
    ),
)

PROJECT_SHEET = Sheet("项目", (), PROJECT_COLUMNS, "每个项目一行：自评表的各项和自评价报告的文字。")
INDICATOR_SHEET = Sheet(
    "绩效指标", ("绩效指标",), INDICATOR_COLUMNS, "每个三级指标一行，按自评表中的顺序排列。"
)
ARRANGEMENT_SHEET = Sheet(
    "资金安排",
    ("自评报告", "资金安排"),
    ARRANGEMENT_COLUMNS,
    "可选：自评价报告资金安排表 (1)–(4) 行按来源细分；不填则由项目资金推算。",
)
SPENDING_SHEET = Sheet(
    "资金使用情况",
    ("自评报告", "资金使用情况"),
    SPENDING_COLUMNS,
    "可选：自评价报告资金使用情况表的各行；不填则为一行（项目名称）。",
)
DATA_SHEETS: tuple[Sheet, ...] = (PROJECT_SHEET, INDICATOR_SHEET, ARRANGEMENT_SHEET, SPENDING_SHEET)
GUIDE_SHEET = "填写说明"
