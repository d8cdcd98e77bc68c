"""Download names: the UTF-8 name for browsers, a readable ASCII one for everything else."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from docgen.service.app import _disposition


def parts(header: str) -> tuple[str, str]:
    match = re.fullmatch(r"attachment; filename=\"([^\"]*)\"; filename\*=UTF-8''(\S+)", header)
    assert match, header
    return match[1], unquote(match[2])


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("2022_闵行区“一站式”医疗救助系统(2022运维)_自评表.docx", r"2022_table_[0-9a-f]{8}\.docx"),
        ("2024_信息化运维项目_自评报告.pdf", r"2024_report_[0-9a-f]{8}\.pdf"),
        ("2024_信息化运维项目_自评表_2.docx", r"2024_table_2_[0-9a-f]{8}\.docx"),
        ("汇总_自评表.docx", r"summary_table_[0-9a-f]{8}\.docx"),
        ("docgen-batch.zip", r"docgen-batch\.zip"),
        ("名称.docx", r"[0-9a-f]{8}\.docx"),
    ],
)
def test_ascii_fallback_keeps_year_kind_and_a_hash(name: str, fallback: str) -> None:
    ascii_name, utf8_name = parts(_disposition(name))
    assert re.fullmatch(fallback, ascii_name), ascii_name
    assert utf8_name == name


def test_two_projects_never_share_a_fallback() -> None:
    a, _ = parts(_disposition("2024_信息化运维项目_自评表.docx"))
    b, _ = parts(_disposition("2024_医疗保险执行情况监督检查费_自评表.docx"))
    assert a != b


def test_quotes_and_controls_never_reach_the_header() -> None:
    ascii_name, _ = parts(_disposition('2024_a"b\r\nX-Evil: 1_自评表.docx'))
    assert '"' not in ascii_name and "\r" not in ascii_name and "\n" not in ascii_name
