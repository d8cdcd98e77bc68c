"""Find each 自评表 in a document's rows by its labels, and state it as docgen input.

One recogniser for Word and PDF, for both editions of the form (2022: 元, a 绩效指标 label
column, 分值, no 评分等级; 2023/2024: 分数, 评分等级).  Rows are classified by the labels they
carry, not by position; values are read at the grid columns their header labels name, so
merged cells (spanned or repeated), labels broken across lines and forms split into two tables
read alike.  The project is stated as the examples in ``data/`` state it: the printed 执行率,
资金得分, 总分 and 评分等级 in the stated fields, money and scores as the exact decimals printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docgen.errors import Finding, Severity
from docgen.i18n import _
from docgen.importing.cells import Row, key, number, unwrap
from docgen.model.project import FundLine, Rounding
from docgen.rules.scoring import execution_rate, funds_score, sum_lines

__all__ = ["Line", "RecognisedForm", "recognise"]

TITLE = "财政项目支出绩效自评表"
# "（2024年度）", "(2023 年度)", "2022年度": the form's year, after NFKC folding.
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
# The unit in "项目资金（万元）" / "项目资金(元)" after folding.
_UNIT = re.compile(r"\((万元|元)\)")

FUND_COLUMNS = {"年初预算数": "initial", "全年预算数": "budget", "全年执行数": "executed"}
INDICATOR_LABELS = {
    "一级指标": "一级指标",
    "二级指标": "二级指标",
    "三级指标": "三级指标",
    "年度指标值": "年度指标值",
    "实际完成值": "实际完成值",
    "分值": "分值",
    "得分": "得分",
    "偏差原因": "偏差原因分析及改进措施",
}
SOURCES = (("当年财政拨款", "当年财政拨款"), ("上年结转", "上年结转资金"), ("其他资金", "其他资金"))


@dataclass(frozen=True)
class Line:
    """A paragraph or line of text outside the tables."""

    text: str
    where: str


Item = Row | Line


@dataclass
class RecognisedForm:
    """One form: the project's data as docgen input, and what was guessed or not read."""

    data: dict[str, Any]
    where: str
    warnings: list[Finding] = field(default_factory=list)


class FormError(Exception):
    """A form lacks what every 自评表 has; located by the row or form it concerns."""

    def __init__(self, message: str, where: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.where, self.hint = message, where, hint


def recognise(items: Sequence[Item], file: str) -> list[RecognisedForm]:
    """Return every 自评表 in *items*, in document order (none when there is none).

    Raises ``FormError`` for a form that lacks a row no 自评表 goes without.
    """
    starts = [
        i
        for i, item in enumerate(items)
        if isinstance(item, Row) and item.find("项目名称") is not None
    ]
    forms = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(items)
        before = items[(starts[n - 1] + 1) if n else 0 : start]
        forms.append(_Form(file, before, items[start:end]).read())
    return forms


def _year_in(text: str) -> int | None:
    found = _YEAR.search(unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found else None


class _Form:
    """Reads one form's rows into a project."""

    def __init__(self, file: str, before: Sequence[Item], items: Sequence[Item]) -> None:
        self.file = file
        self.before = before
        self.rows = [item for item in items if isinstance(item, Row)]
        self.first = self.rows[0]
        self.warnings: list[Finding] = []
        self.data: dict[str, Any] = {}

    def warn(self, field_path: tuple[str | int, ...], message: str, where: str) -> None:
        self.warnings.append(Finding(Severity.WARNING, field_path, message, self.file, where))

    def read(self) -> RecognisedForm:
        self._year()
        self._header_rows()
        self._funds()
        self._goals()
        self._indicators()
        self._closing()
        return RecognisedForm(self._ordered(), self.first.where(), self.warnings)

    # --- the title and the first rows ------------------------------------------------------

    def _year(self) -> None:
        texts = [
            (item.text, item.where) if isinstance(item, Line) else (_row_text(item), item.where())
            for item in self.before
        ]
        for text, _where in reversed(texts):
            year = _year_in(text)
            if year is not None:
                self.data["年度"] = year
                return
        self.warn(
            ("年度",), _("no （YYYY年度） found before the form; 年度 left out"), self.first.where()
        )

    def _header_rows(self) -> None:
        row = self.first
        column = row.find("项目名称")
        assert column is not None
        self.data["项目名称"] = unwrap(row.after(column))
        if not self.data["项目名称"]:
            self.warn(("项目名称",), _("the 项目名称 cell is empty"), row.where(column + 1))
        for label in ("主管部门", "实施单位"):
            found = self._row_with(label)
            if found is None:
                message = _("no {label} cell; left empty").format(label=label)
                self.warn((label,), message, self.first.where())
                self.data[label] = ""
                continue
            labelled, column = found
            self.data[label] = unwrap(labelled.after(column))

    def _row_with(self, *labels: str, prefix: bool = False) -> tuple[Row, int] | None:
        for row in self.rows:
            column = row.find(*labels, prefix=prefix)
            if column is not None:
                return row, column
        return None

    # --- 项目资金 ---------------------------------------------------------------------------

    def _funds(self) -> None:
        found = self._row_with("年初预算数")
        if found is None:
            raise FormError(
                _("the form has no 项目资金 header row (年初预算数, 全年预算数, 全年执行数)"),
                self.first.where(),
                _("a 自评表 states its funds under these labels; restore the row"),
            )
        header, _column = found
        columns = {name: header.find(label) for label, name in FUND_COLUMNS.items()}
        columns["weight"] = header.find("分值", "分数")
        columns["rate"] = header.find("执行率", prefix=True)
        columns["score"] = header.find("得分")
        self._unit(header)
        funds: dict[str, Any] = {}
        lines: dict[str, dict[str, Decimal]] = {}
        total_row = self._row_with("年度资金总额", prefix=True)
        for needle, label in SOURCES:
            row = next((r for r in self.rows if _labelled(r, needle)), None)
            if row is not None:
                lines[label] = self._amounts(row, columns, ("项目资金", label))
        if total_row is None:
            self.warn(("项目资金",), _("no 年度资金总额 row; 分值 taken as 10"), header.where())
            weight: Decimal | None = Decimal(10)
        else:
            row = total_row[0]
            weight = self._figure(row, columns["weight"], ("项目资金", "分值"))
            total = self._amounts(row, columns, ("项目资金", "年度资金总额"))
            if "当年财政拨款" not in lines:
                self.warn(
                    ("项目资金", "当年财政拨款"),
                    _("no 当年财政拨款 row; the 年度资金总额 is taken as 当年财政拨款"),
                    row.where(),
                )
                lines["当年财政拨款"] = total
            summed = sum_lines(*(_line(line) for line in lines.values()))
            if any(total[k] != getattr(summed, FUND_COLUMNS[k]) for k in total):
                funds["年度资金总额"] = total
                self.warn(
                    ("项目资金", "年度资金总额"),
                    _(
                        "the printed 年度资金总额 is not the sum of its sources; stated as printed "
                        "(docgen check shows the difference)"
                    ),
                    row.where(),
                )
            funds["执行率"] = self._figure(row, columns["rate"], ("项目资金", "执行率"))
            funds["得分"] = self._figure(row, columns["score"], ("项目资金", "得分"))
        if "当年财政拨款" not in lines:
            raise FormError(
                _("the form has no 当年财政拨款 or 年度资金总额 row"),
                header.where(),
                _("restore the funds rows under 年初预算数 / 全年预算数 / 全年执行数"),
            )
        self.data["项目资金"] = {"分值": weight if weight is not None else Decimal(10)}
        for label, line in lines.items():
            if label == "当年财政拨款" or any(line.values()):
                self.data["项目资金"][label] = line
        self.data["项目资金"].update({k: v for k, v in funds.items() if v is not None})
        self._rounding()

    def _unit(self, header: Row) -> None:
        for row in self.rows:
            for _column, folded in row.labels():
                if folded.startswith("项目资金"):
                    match = _UNIT.search(folded)
                    if match:
                        self.data["金额单位"] = match.group(1)
                        return
        self.warn(
            ("金额单位",), _("the 项目资金 label names no unit; 万元 assumed"), header.where()
        )
        self.data["金额单位"] = "万元"

    def _amounts(
        self, row: Row, columns: dict[str, int | None], path: tuple[str, ...]
    ) -> dict[str, Decimal]:
        line = {}
        for label, name in FUND_COLUMNS.items():
            value = self._figure(row, columns[name], (*path, label))
            line[label] = value if value is not None else Decimal(0)
        return line

    def _figure(self, row: Row, column: int | None, path: tuple[str | int, ...]) -> Decimal | None:
        if column is None:
            return None
        text = row.text(column)
        try:
            return number(text)
        except ValueError:
            message = _("{text} is not a number; left out").format(text=repr(text))
            self.warn(path, message, row.where(column))
            return None

    def _rounding(self) -> None:
        """State the 舍入规则 under which the printed 执行率 and 得分 follow from the amounts."""
        funds = self.data["项目资金"]
        rate, score = funds.get("执行率"), funds.get("得分")
        if rate is None or score is None:
            return
        lines = [_line(funds[s]) for _n, s in SOURCES if s in funds]
        total = sum_lines(*lines)
        for rounding in (Rounding.STANDARD, Rounding.TRUNCATE, Rounding.HALF_UP):
            computed = execution_rate(total, rounding)
            if computed == rate and funds_score(funds["分值"], computed, rounding) == score:
                self.data["舍入规则"] = rounding.value
                return

    # --- 年度总体目标 ------------------------------------------------------------------------

    def _goals(self) -> None:
        index = next((i for i, r in enumerate(self.rows) if r.find("预期目标") is not None), None)
        if index is None:
            raise FormError(
                _("the form has no 年度总体目标 row (预期目标, 实际完成情况)"),
                self.first.where(),
                _("restore the 预期目标 / 实际完成情况 rows"),
            )
        header = self.rows[index]
        expected = header.find("预期目标")
        actual = header.find("实际完成情况")
        texts: dict[str, list[str]] = {"预期目标": [], "实际完成情况": []}
        for row in self.rows[index + 1 :]:
            if row.find("三级指标") is not None or _labelled(row, "绩效指标"):
                break
            for label, column in (("预期目标", expected), ("实际完成情况", actual)):
                if column is not None and row.text(column):
                    texts[label].append(row.text(column))
        goals = {}
        for label, parts in texts.items():
            joined = "".join(parts) if self.first.page is not None else "\n".join(parts)
            goals[label] = _paragraphs(joined, self.first.page is not None)
            if not goals[label]:
                message = _("the {label} cell is empty").format(label=label)
                self.warn(("年度总体目标", label), message, header.where())
        self.data["年度总体目标"] = goals

    # --- 绩效指标 ---------------------------------------------------------------------------

    def _indicators(self) -> None:
        start = next((i for i, r in enumerate(self.rows) if r.find("三级指标") is not None), None)
        if start is None:
            raise FormError(
                _("the form has no 绩效指标 header row (一级指标 … 三级指标 … 年度指标值)"),
                self.first.where(),
                _("restore the header row of the indicator table"),
            )
        header = self.rows[start]
        columns = self._indicator_columns(header)
        indicators: list[dict[str, Any]] = []
        origins: list[Row] = []
        groups = ["", ""]
        self.total_row: Row | None = None
        self.indicator_header = (header, columns)
        for row in self.rows[start + 1 :]:
            if row.find("三级指标") is not None:  # the header repeated on a new page
                header, columns = row, self._indicator_columns(row)
                self.indicator_header = (header, columns)
                continue
            if row.find("总分") is not None or row.find("评分等级") is not None:
                self.total_row = self.total_row or (row if row.find("总分") is not None else None)
                continue
            if self.total_row is not None:
                continue
            if any(TITLE in folded for _c, folded in row.labels()):
                break  # the next form's title, inside its table
            values = {label: self._cell(row, header, column) for label, column in columns.items()}
            if not any(values.values()):
                continue
            first_of_table = bool(origins) and origins[-1].table != row.table
            if indicators and (
                not (values["一级指标"] or values["二级指标"] or values["三级指标"])
                or (first_of_table and not values["分值"] and not values["得分"])
            ):
                _join(indicators[-1], values)  # a row cut by a page break
                groups = [key(indicators[-1]["一级指标"]), key(indicators[-1]["二级指标"])]
                continue
            for level, label in enumerate(("一级指标", "二级指标")):
                if values[label]:
                    groups[level] = key(values[label])
                    if level == 0 and not values["二级指标"]:
                        groups[1] = ""
                values[label] = groups[level]
            indicators.append(values)
            origins.append(row)
        if not indicators:
            raise FormError(_("the 绩效指标 table has no rows"), header.where())
        self.data["绩效指标"] = [
            self._indicator(i, values, row, columns)
            for i, (values, row) in enumerate(zip(indicators, origins, strict=True))
        ]

    def _indicator_columns(self, header: Row) -> dict[str, int | None]:
        columns = {
            label: header.find(needle, prefix=needle == "偏差原因")
            for needle, label in INDICATOR_LABELS.items()
        }
        for label in ("三级指标", "年度指标值", "分值"):
            if columns[label] is None:
                raise FormError(
                    _("the 绩效指标 header has no {label} column").format(label=label),
                    header.where(),
                    _("restore the header row of the indicator table"),
                )
        return columns

    def _cell(self, row: Row, header: Row, column: int | None) -> str:
        """Return the text of *row* under a header column.

        A table without its own header is read under the header's cells: by x position when
        it continues the header's table on the next PDF page (its column boundaries lie where
        the header's do), else aligned at the right edge (the official continuation table
        drops the 2022 edition's 绩效指标 column).
        """
        if column is None:
            return ""
        if row.table == header.table:
            return row.text(column)
        bounds = header.bounds(column)
        if bounds is not None and all(row.has_edge(x) for x in bounds):
            found = row.column_at(sum(bounds) / 2)  # the same table on the next PDF page
            return "" if found is None else row.text(found)
        return row.text(column - (len(header.cells) - len(row.cells)))

    def _indicator(
        self, index: int, values: dict[str, str], row: Row, columns: dict[str, int | None]
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for label in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"):
            result[label] = unwrap(values[label])
        for label in ("一级指标", "二级指标", "三级指标"):
            if not result[label]:
                message = _("the {label} cell is empty").format(label=label)
                self.warn(("绩效指标", index, label), message, row.where())
        for label in ("分值", "得分"):
            try:
                figure = number(values[label])
            except ValueError:
                self.warn(
                    ("绩效指标", index, label),
                    _("{text} is not a number; left out").format(text=repr(values[label])),
                    row.where(columns[label]),
                )
                continue
            if figure is None:
                if label == "分值" or values["实际完成值"]:
                    self.warn(
                        ("绩效指标", index, label),
                        _("the {label} cell is empty; left out").format(label=label),
                        row.where(columns[label]),
                    )
                continue
            result[label] = figure
        deviation = values.get("偏差原因分析及改进措施", "")
        if deviation:
            result["偏差原因分析及改进措施"] = _paragraphs(deviation, row.page is not None)
        return result

    # --- 总分 and 评分等级 ------------------------------------------------------------------

    def _closing(self) -> None:
        header, columns = self.indicator_header
        total = self.total_row
        if total is None:
            self.warn(("总分",), _("no 总分 row; 总分 left out"), self.rows[-1].where())
        else:
            text = self._cell(total, header, columns["得分"])
            where = total.where()
            if not text:  # no 得分 column under it: the last figure of the row
                figures = [t for _c, t in total.segments() if t and _is_number(t)]
                text = figures[-1] if figures else ""
            try:
                value = number(text)
            except ValueError:
                value = None
            if value is None:
                message = _("cannot read the 总分 {text}; left out").format(text=repr(text))
                self.warn(("总分",), message, where)
            else:
                self.data["总分"] = value
        found = self._row_with("评分等级")
        if found is not None:
            row, column = found
            grade = unwrap(row.after(column))
            if grade:
                self.data["评分等级"] = grade
            else:
                self.warn(("评分等级",), _("the 评分等级 cell is empty"), row.where(column))

    def _ordered(self) -> dict[str, Any]:
        order = ("年度", "项目名称", "主管部门", "实施单位", "金额单位", "舍入规则", "项目资金")
        rest = ("年度总体目标", "绩效指标", "总分", "评分等级")
        return {k: self.data[k] for k in (*order, *rest) if k in self.data}


def _line(amounts: dict[str, Decimal]) -> FundLine:
    """Return printed amounts as a fund line, unvalidated (check reports what is wrong)."""
    return FundLine.model_construct(
        initial=amounts["年初预算数"], budget=amounts["全年预算数"], executed=amounts["全年执行数"]
    )


def _labelled(row: Row, needle: str) -> bool:
    """Return whether a short cell of *row* carries the label *needle* ("其中：当年财政拨款")."""
    return any(needle in folded and len(folded) <= len(needle) + 6 for _c, folded in row.labels())


def _row_text(row: Row) -> str:
    return " ".join(text for _c, text in row.segments())


def _is_number(text: str) -> bool:
    try:
        return number(text) is not None
    except ValueError:
        return False


def _paragraphs(text: str, from_pdf: bool) -> str:
    """Return a free text's paragraphs: a PDF's wrapped lines joined, a Word cell's kept."""
    if from_pdf:
        return unwrap(text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _join(previous: dict[str, str], values: dict[str, str]) -> None:
    for label, text in values.items():
        if text:
            previous[label] = previous.get(label, "") + text
