"""Read projects from an Excel workbook (.xlsx) laid out as ``docgen workbook`` writes it.

The layout is defined here, once, and ``docgen.workbook`` writes the same one:

- ``项目``: one row per project. The columns are the form's fields; a nested field is named by
  its parts joined with ``·`` (``当年财政拨款·年初预算数`` is 项目资金 → 当年财政拨款 → 年初预算数).
- ``绩效指标``: one row per 三级指标, belonging to the project named in ``项目名称`` (and
  ``年度``, needed only when two projects share a name).
- ``资金安排`` and ``资金使用情况``: the optional rows of the 自评报告's two tables, keyed the
  same way.
- ``填写说明`` and any other sheet: ignored.

Each project comes back as the plain data a YAML file gives: the form's labels as keys, the
自评报告 fields nested under ``自评报告``, ``绩效指标`` as a flat list. Validation and the rules
therefore work unchanged. An empty cell is omitted, so the model's defaults apply; a cell
holding the formula ``=""`` is the empty text. In the list columns (完成的指标, 未完成的指标) each
line is one item and ``无`` is the empty list.

**Numbers are exact.** An .xlsx file stores a number as the shortest decimal text that reads
back as the same binary double (Excel writes ``162.3`` for 162.30), and openpyxl gives it as a
float. ``repr`` of a float is that same shortest text, so ``Decimal(repr(value))`` is exactly
the number in the file: 162.30 is read as 162.3, never as 162.2999999999999971578….
Integers stay ``int``. A number with more than 15 significant digits cannot be stored exactly
as a double; the writer stores it as text, and text in a number column is read as a decimal.

**Locations.** Every value's place is a cell reference such as ``绩效指标!I14``. A
``SourceProject`` from a workbook maps each path to its cell where a text file maps it to a
line, so findings print as ``填报.xlsx:绩效指标!I14: error: 绩效指标[3].得分: …``.
"""

from __future__ import annotations

import datetime
import difflib
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from docgen.errors import InputError
from docgen.sources.loader import WORKBOOK_SUFFIXES, DataPath, SourceProject
from docgen.sources.yaml_events import MAX_VALUES, checked_decimal

__all__ = [
    "DATA_SHEETS",
    "GUIDE_SHEET",
    "WORKBOOK_SUFFIXES",
    "Column",
    "Sheet",
    "cell_location",
    "load_workbook_projects",
]


Kind = Literal["year", "line", "text", "choice", "amount", "score", "lines"]
"""What a column holds: 年度; one line of text; free text; a drop-down choice; money; a score
or percentage; a list with one item per line."""

Role = Literal["value", "key", "category"]
"""A project field; the project a row belongs to (项目名称, 年度); the row's name in 资金安排."""

NUMBER_KINDS: frozenset[Kind] = frozenset({"year", "amount", "score"})
EMPTY_LIST = "无"
"""What a list column holds for an empty list (the report prints 无 for it too)."""
EMPTY_TEXT_FORMULA = '=""'

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
        wanted = _header_key(header)
        return next((c for c in self.columns if _header_key(c.header) == wanted), None)

    @property
    def keyed(self) -> bool:
        """Return whether the rows name their project (every sheet but 项目)."""
        return bool(self.base)


def _header_key(text: str) -> str:
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

_HINT = "the 填写说明 sheet of `docgen workbook` lists every sheet and column"


def cell_location(sheet: str, row: int, column: int) -> str:
    """Return a cell's reference as Excel writes it: ``绩效指标!I14`` (1-based row, column)."""
    return f"{sheet}!{get_column_letter(column)}{row}"


def _location(where: str | dict[DataPath, str]) -> Any:
    """Return a cell reference (or a map of them) where a line number is expected.

    A location is a text file's line number or a workbook's cell reference: ``Finding.line``,
    ``InputError.line`` and ``SourceProject.line_map`` take either (``docgen.errors.Location``).
    """
    return where


# --- reading the cells --------------------------------------------------------------------


class _EmptyText:
    """A cell that holds the formula ``=""``: the empty text, not an empty cell."""


_BLANK_TEXT = _EmptyText()

Grid = list[list[Any]]


def _open(path: Path, data_only: bool) -> Any:
    name = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops on reading
            return load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError:
        raise InputError("no such file", file=name, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a workbook", file=name) from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied", file=name) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"not an Excel workbook (.xlsx): {exc}",
            file=name,
            hint="save it in Excel as 'Excel Workbook (*.xlsx)'; .xls and encrypted files "
            "cannot be read",
        ) from None


MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_SHEET_BYTES = 64 * 1024 * 1024
# A cell's or row's reference in a worksheet part: <c r="XFD9" …>, <row r="30000000" …>.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"')
_ROW_REF = re.compile(rb'<row r="(\d{1,9})"')


def _check_extent(path: Path) -> None:
    """Refuse a workbook whose sheets reach absurdly far (a tiny file can claim a huge grid)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/") or info.is_dir():
                    continue
                if info.file_size > MAX_SHEET_BYTES:
                    raise InputError(f"sheet part {info.filename} is too large", file=str(path))
                data = archive.read(info)
                rows = max((int(m) for m in _ROW_REF.findall(data)), default=0)
                cells = _CELL_REF.findall(data)
                rows = max([rows, *(int(r) for _, r in cells)])
                columns = max((_column_number(c.decode()) for c, _ in cells), default=0)
                if rows > MAX_ROWS or columns > MAX_COLUMNS:
                    raise InputError(
                        f"a sheet reaches row {rows:,}, column {columns:,}; docgen reads at most "
                        f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
                        file=str(path),
                        hint="delete the far-away cells, or split the workbook",
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
        return  # openpyxl reports an unreadable file with its own words


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _grids(path: Path, names: set[str], data_only: bool) -> tuple[dict[str, Grid], list[str]]:
    """Return the cell values of the sheets called *names*, row by row, and every sheet's name."""
    _check_extent(path)
    book = _open(path, data_only)
    grids: dict[str, Grid] = {}
    count = 0
    try:
        titles = [str(title) for title in book.sheetnames]
        for title in titles:
            if title not in names:
                continue
            sheet = book[title]
            if not hasattr(sheet, "iter_rows"):  # a chart sheet
                continue
            sheet.reset_dimensions()  # a writer's stated size can be wrong: read what is there
            grid: Grid = []
            for row in sheet.iter_rows():
                values = [_raw(cell) for cell in row]
                count += sum(value is not None for value in values)
                if count > MAX_VALUES:
                    raise InputError(
                        f"holds more than {MAX_VALUES:,} values",
                        file=str(path),
                        hint="split the projects over several workbooks",
                    )
                grid.append(values)
            grids[title] = grid
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: openpyxl's errors are many and unspecific
        raise InputError(f"cannot read the workbook: {exc}", file=str(path)) from None
    finally:
        book.close()
    return grids, titles


@dataclass(frozen=True)
class _Formula:
    text: str


@dataclass(frozen=True)
class _ErrorValue:
    text: str


def _raw(cell: Any) -> Any:
    """Return a cell's value; formulas and error values marked as such."""
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        text = value if isinstance(value, str) else getattr(value, "text", "") or ""
        return _BLANK_TEXT if text.replace(" ", "") == EMPTY_TEXT_FORMULA else _Formula(str(text))
    if kind == "e":
        return _ErrorValue(str(value))
    if value == "":
        return None
    return value


def _resolve_formulas(path: Path, grids: dict[str, Grid]) -> None:
    """Replace each formula with the value Excel computed for it, as the file stores it."""
    cells = [
        (title, r, c)
        for title, grid in grids.items()
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if isinstance(value, _Formula)
    ]
    if not cells:
        return
    computed, _ = _grids(path, {title for title, _, _ in cells}, data_only=True)
    for title, r, c in cells:
        grid = computed.get(title, [])
        row = grid[r] if r < len(grid) else []
        value = row[c] if c < len(row) else None
        if value is None or isinstance(value, _Formula):
            formula = grids[title][r][c]
            raise InputError(
                f"the formula {formula.text} has no computed value in the file",
                file=str(path),
                line=_location(cell_location(title, r + 1, c + 1)),
                hint="open and save the workbook in Excel or LibreOffice, which compute it, "
                "or type the value",
            )
        grids[title][r][c] = value


# --- turning cells into values ------------------------------------------------------------

_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _number(text: str) -> int | Decimal | None:
    """Return the number that *text* spells (``1,316,006.97`` too), or ``None``."""
    text = text.strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else checked_decimal(text)
    except (InvalidOperation, ValueError):  # not a number, thousands of digits, 1e999999
        return None


def _from_float(value: float) -> int | Decimal:
    """Return a float read from the file as the exact decimal the file stores (see above)."""
    number = Decimal(repr(value))  # a float is at most ~1.8e308: safe to compare and convert
    if number.is_finite() and number == number.to_integral_value() and abs(number) < 2**53:
        return int(number)
    return number


def _text_of(value: Any) -> Any:
    """Return a value in a text column as text: numbers as written, dates as ISO dates."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = _from_float(value)
        return str(number) if isinstance(number, int) else format(number, "f")
    return _date_text(value)


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return str(value) if isinstance(value, datetime.timedelta) else value.isoformat()
    return value


_CENTS = Decimal("0.01")
_TOO_LARGE = Decimal("1e20")


def _as_printed(number: int | Decimal, column: Column) -> int | Decimal:
    """Return money and scores with at least two decimals, as the form prints them.

    The value does not change: 3.1 becomes 3.10, and whole numbers stay whole (分值 10).
    """
    if column.kind == "year" or not isinstance(number, Decimal) or not number.is_finite():
        return number
    if abs(number) >= _TOO_LARGE:
        return number  # refused with its cell by validation; cents would exceed the precision
    exponent = number.as_tuple().exponent
    return number.quantize(_CENTS) if isinstance(exponent, int) and exponent > -2 else number


def _value(raw: Any, column: Column) -> Any:
    """Return the data value of a non-empty cell in *column*."""
    if raw is _BLANK_TEXT:
        return [] if column.kind == "lines" else ""
    if column.kind in NUMBER_KINDS:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, float):
            return _as_printed(_from_float(raw), column)
        if isinstance(raw, str):
            number = _number(raw)
            return raw if number is None else number
        return _date_text(raw)
    value = _text_of(raw)
    if column.kind == "lines" and isinstance(value, str):
        if value.strip() == EMPTY_LIST:
            return []
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def _key_name(value: Any) -> str:
    return " ".join(str(value).split())


def _key_year(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value.strip() if isinstance(value, str) else value


# --- tables -------------------------------------------------------------------------------


@dataclass
class _Row:
    """One non-empty row of a sheet: its number and the values of its filled columns."""

    number: int
    values: dict[Column, Any]


@dataclass
class _Table:
    sheet: Sheet
    index: dict[Column, int]  # column → its 1-based column number
    rows: list[_Row]

    def at(self, row: int, column: Column) -> str:
        return cell_location(self.sheet.name, row, self.index[column])

    def first(self, row: int, role: Role = "value") -> str:
        """Return the reference of the row's first column of *role* (or of its first column)."""
        numbers = [n for c, n in self.index.items() if c.role == role] or [*self.index.values()]
        return cell_location(self.sheet.name, row, min(numbers, default=1))


def _table(sheet: Sheet, grid: Grid, file: str) -> _Table:
    """Return *sheet*'s rows; refuse unknown, repeated or missing headers."""
    header = grid[0] if grid else []
    index: dict[Column, int] = {}
    for number, text in enumerate(header, start=1):
        if text is None or isinstance(text, _EmptyText):
            continue
        where = cell_location(sheet.name, 1, number)
        label = str(_date_text(text)).strip()
        column = sheet.find(label)
        if column is None:
            known = [c.header for c in sheet.columns]
            guess = difflib.get_close_matches(_header_key(label), known, n=1, cutoff=0.5)
            advice = f"; did you mean {guess[0]!r}?" if guess else ""
            raise InputError(
                f"unknown column {label!r} in sheet {sheet.name}{advice}",
                file=file,
                line=_location(where),
                hint=f"use the header as `docgen workbook` writes it; {_HINT}",
            )
        if column in index:
            first = cell_location(sheet.name, 1, index[column])
            raise InputError(
                f"column {column.header!r} appears twice in sheet {sheet.name} (also {first})",
                file=file,
                line=_location(where),
                hint="keep one of the two columns",
            )
        index[column] = number
    rows: list[_Row] = []
    columns = {n: c for c, n in index.items()}
    for number, cells in enumerate(grid[1:], start=2):
        values: dict[Column, Any] = {}
        for position, raw in enumerate(cells, start=1):
            if raw is None:
                continue
            column = columns.get(position)
            where = cell_location(sheet.name, number, position)
            if column is None:
                raise InputError(
                    f"a value in a column without a header: {_date_text(raw)!r}",
                    file=file,
                    line=_location(where),
                    hint=f"give the column a header or clear the cell; {_HINT}",
                )
            if isinstance(raw, _ErrorValue):
                raise InputError(
                    f"the cell shows the error {raw.text}",
                    file=file,
                    line=_location(where),
                    hint="correct the formula, or type the value",
                )
            values[column] = _value(raw, column)
        if any(column.role != "key" for column in values):  # key-only rows carry no data
            rows.append(_Row(number, values))
    if sheet.keyed and rows and sheet.columns[0] not in index:
        raise InputError(
            f"sheet {sheet.name} has no column {sheet.columns[0].header!r}",
            file=file,
            line=_location(cell_location(sheet.name, 1, 1)),
            hint="each row names its project in the 项目名称 column (and 年度, when two "
            "projects share a name)",
        )
    return _Table(sheet, index, rows)


def _put(data: dict[str, Any], path: DataPath, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(str(part), {})
    node[str(path[-1])] = value


# --- projects -----------------------------------------------------------------------------


@dataclass
class _Project:
    row: int
    data: dict[str, Any]
    cells: dict[DataPath, str]
    name: str | None
    year: Any


def load_workbook_projects(path: str | Path) -> list[SourceProject]:
    """Return the projects of a workbook, each with the cell of every value.

    Raises ``InputError`` naming the sheet and cell when the workbook cannot be read, a header
    is unknown, or a row names no project of the 项目 sheet.
    """
    path = Path(path)
    file = str(path)
    names = {sheet.name for sheet in DATA_SHEETS}
    grids, titles = _grids(path, names, data_only=False)
    _check_sheet_names(titles, set(grids), file)
    _resolve_formulas(path, grids)
    table = _table(PROJECT_SHEET, grids[PROJECT_SHEET.name], file)
    projects = [_project(table, row) for row in table.rows]
    if not projects:
        raise InputError(
            "holds no project",
            file=file,
            line=_location(cell_location(PROJECT_SHEET.name, 2, 1)),
            hint="fill in one row per project on the 项目 sheet, from row 2",
        )
    lookup = _Lookup(projects, table, file)
    for sheet in DATA_SHEETS[1:]:
        if sheet.name in grids:
            _attach(_table(sheet, grids[sheet.name], file), lookup, file)
    for project in projects:
        project.cells.setdefault(("绩效指标",), table.at(project.row, PROJECT_COLUMNS[1]))
    return [
        SourceProject(file, i, project.data, _location(project.cells))
        for i, project in enumerate(projects)
    ]


def _check_sheet_names(titles: list[str], found: set[str], file: str) -> None:
    """Refuse a workbook without a 项目 sheet, or with a misspelt name of a known sheet."""
    others = [t for t in titles if t not in found and t != GUIDE_SHEET]
    for sheet in DATA_SHEETS:
        if sheet.name in found:
            continue
        guess = difflib.get_close_matches(sheet.name, others, n=1, cutoff=0.5)
        if guess:
            raise InputError(
                f"sheet {guess[0]!r} is not one docgen reads; did you mean {sheet.name!r}?",
                file=file,
                line=_location(f"{guess[0]}!A1"),
                hint=f"rename the sheet; {_HINT}",
            )
    if PROJECT_SHEET.name not in found:
        raise InputError(
            f"has no sheet {PROJECT_SHEET.name!r}",
            file=file,
            hint=f"write one row per project on a sheet named 项目; {_HINT}",
        )


def _project(table: _Table, row: _Row) -> _Project:
    data: dict[str, Any] = {}
    for column in PROJECT_COLUMNS:  # the form's order
        if column in row.values:
            _put(data, column.path, row.values[column])
    cells: dict[DataPath, str] = {(): table.first(row.number)}
    for column, _ in sorted(table.index.items(), key=lambda item: item[1]):
        where = table.at(row.number, column)
        cells[column.path] = where
        for end in range(1, len(column.path)):
            cells.setdefault(column.path[:end], where)
    name_column, year_column = PROJECT_COLUMNS[1], PROJECT_COLUMNS[0]
    name = row.values.get(name_column)
    year = row.values.get(year_column)
    return _Project(
        row.number,
        data,
        cells,
        _key_name(name) if name not in (None, "") else None,
        _key_year(year),
    )


class _Lookup:
    """Find the project a row of another sheet names: by 项目名称, and 年度 if given."""

    def __init__(self, projects: list[_Project], table: _Table, file: str) -> None:
        self.by_name: dict[str, list[_Project]] = {}
        self.file = file
        seen: dict[tuple[str, Any], _Project] = {}
        for project in projects:
            if project.name is None:
                continue
            key = (project.name, project.year)
            if key in seen:
                raise InputError(
                    f"project {project.name!r} ({project.year}) has two rows, "
                    f"{seen[key].row} and {project.row}",
                    file=file,
                    line=_location(table.at(project.row, PROJECT_COLUMNS[1])),
                    hint="each project has one row on the 项目 sheet; remove or rename one",
                )
            seen[key] = project
            self.by_name.setdefault(project.name, []).append(project)

    def find(self, table: _Table, row: _Row) -> _Project:
        name_column, year_column = KEY_COLUMNS
        where = table.at(row.number, name_column)
        raw = row.values.get(name_column)
        if raw in (None, ""):
            raise InputError(
                f"项目名称 is empty; every row of {table.sheet.name} names its project",
                file=self.file,
                line=_location(where),
                hint="copy the project's 项目名称 from the 项目 sheet",
            )
        name = _key_name(raw)
        candidates = self.by_name.get(name, [])
        if not candidates:
            guess = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.5)
            advice = f"; did you mean {guess[0]!r}?" if guess else ""
            raise InputError(
                f"row {row.number} of {table.sheet.name}: 项目名称 {name!r} matches no row of "
                f"the 项目 sheet{advice}",
                file=self.file,
                line=_location(where),
                hint="use the project's 项目名称 exactly as the 项目 sheet has it",
            )
        if year_column in row.values:
            year = _key_year(row.values[year_column])
            matching = [p for p in candidates if p.year == year]
            if not matching:
                years = "、".join(str(p.year) for p in candidates)
                raise InputError(
                    f"row {row.number} of {table.sheet.name}: no project {name!r} of 年度 "
                    f"{year} (the 项目 sheet has it for 年度 {years})",
                    file=self.file,
                    line=_location(table.at(row.number, year_column)),
                    hint="correct the 年度, or leave it empty when the name is unique",
                )
            return matching[0]
        if len(candidates) > 1:
            years = "、".join(str(p.year) for p in candidates)
            raise InputError(
                f"row {row.number} of {table.sheet.name}: several projects are named {name!r} "
                f"(年度 {years})",
                file=self.file,
                line=_location(where),
                hint="fill in 年度 to say which one this row belongs to",
            )
        return candidates[0]


def _attach(table: _Table, lookup: _Lookup, file: str) -> None:
    """Add the rows of a keyed sheet to their projects."""
    sheet = table.sheet
    counts: dict[int, int] = {}
    for row in table.rows:
        project = lookup.find(table, row)
        item = {
            str(c.path[0]): row.values[c]
            for c in sheet.columns
            if c.role == "value" and c in row.values
        }
        if sheet is ARRANGEMENT_SHEET:
            category = next(c for c in sheet.columns if c.role == "category")
            key = _category(table, row, category, project, file)
            _put(project.data, (*sheet.base, key), item)
            prefix: DataPath = (*sheet.base, key)
            project.cells[prefix] = table.at(row.number, category)
        else:
            position = counts.get(id(project), 0)
            counts[id(project)] = position + 1
            node = project.data
            for part in sheet.base[:-1]:
                node = node.setdefault(str(part), {})
            node.setdefault(str(sheet.base[-1]), []).append(item)
            prefix = (*sheet.base, position)
            project.cells[prefix] = table.first(row.number)
        for column, number in table.index.items():
            if column.role == "value":
                where = cell_location(sheet.name, row.number, number)
                where_key = (*prefix, *column.path)  # mypy misreads d[(*a, b)] for 3.10
                project.cells[where_key] = where
        for end in range(1, len(prefix)):
            project.cells.setdefault(prefix[:end], project.cells[prefix])
    if sheet is INDICATOR_SHEET:
        _locate_weights(table, lookup)


def _category(table: _Table, row: _Row, column: Column, project: _Project, file: str) -> str:
    where = table.at(row.number, column) if column in table.index else table.first(row.number)
    value = row.values.get(column)
    if value in (None, ""):
        raise InputError(
            f"类别 is empty; name the row of the 资金安排 table ({'、'.join(ARRANGEMENT_ROWS)})",
            file=file,
            line=_location(where),
        )
    key = _key_name(value)
    arrangement = project.data.get("自评报告", {}).get("资金安排", {})
    if key in arrangement:
        raise InputError(
            f"{key} appears twice for project {project.name!r}",
            file=file,
            line=_location(where),
            hint="each project has at most one row per 类别",
        )
    return key


def _locate_weights(table: _Table, lookup: _Lookup) -> None:
    """Point ``绩效指标`` (the sum of the 分值) at each project's 分值 cells."""
    weight = next(c for c in INDICATOR_COLUMNS if c.header == "分值")
    if weight not in table.index:
        return
    rows: dict[int, list[int]] = {}
    projects: dict[int, _Project] = {}
    for row in table.rows:
        project = lookup.find(table, row)
        rows.setdefault(id(project), []).append(row.number)
        projects[id(project)] = project
    for key, numbers in rows.items():
        first, last = numbers[0], numbers[-1]
        where = table.at(first, weight)
        if numbers == list(range(first, last + 1)) and last > first:
            where += f":{get_column_letter(table.index[weight])}{last}"
        projects[key].cells[("绩效指标",)] = where
