"""Shared fixtures: example data, a project factory and golden-file comparison."""

from __future__ import annotations

import os
from pathlib import Path

# The suite reads docgen's messages in English, the language of the msgids, whatever the
# machine's locale (Chinese is the default of C and POSIX); tests of Chinese ask for it.
os.environ["DOCGEN_LANG"] = "en"

from docgen.pipeline import CheckedProject, check_source
from docgen.sources.loader import load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"

MINIMAL = """\
年度: 2024
项目名称: 信息化运维项目
主管部门: 上海市医疗保障局
实施单位: 上海市医疗保障局监督检查所
项目资金:
  分值: 10
  当年财政拨款: {年初预算数: 326.01, 全年预算数: 326.01, 全年执行数: 162.30}
年度总体目标:
  预期目标: 保障系统正常运行。
  实际完成情况: 系统运行正常。
绩效指标:
  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 系统维护数量,
     年度指标值: "=4.00(项)", 实际完成值: "4.00(项)", 分值: 50, 得分: 50}
  - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 系统支撑情况,
     年度指标值: 保障, 实际完成值: 达成指标, 分值: 40, 得分: 40}
"""


def example_files() -> list[Path]:
    return sorted(DATA.glob("*.yaml")) + sorted(DATA.glob("*.json"))


def example_projects() -> list[CheckedProject]:
    return [check_source(source) for path in example_files() for source in load_file(path)]


def checked(text: str = MINIMAL, name: str = "test.yaml") -> CheckedProject:
    """Return the one project of YAML *text*, checked."""
    (source,) = load_text(text, name)
    return check_source(source)
