"""Generated projects for the benchmarks: realistic texts, 5–60 indicators, a fixed seed.

Each project is one of the examples in data/ with another name, scaled figures, 5 to 60 of
its indicators (those that met their target with full marks, so the projects check clean) and
its free texts (年度总体目标, 偏差原因分析及改进措施) rebuilt from the examples' own sentences
at 40–600 characters: the seeds' goals run to 600 characters.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from docgen.pipeline import check_source
from docgen.rules.targets import target_met
from docgen.sources.loader import load_file

ROOT = Path(__file__).resolve().parents[1]
PROJECTS_PER_FILE = 10
SEED = 20261123
LONGEST_TEXT = 600


def examples() -> list[dict[str, Any]]:
    """Return the examples of data/ as checked, JSON-safe project data."""
    projects = []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        for source in load_file(path):
            item = check_source(source)
            assert item.project is not None, item.findings
            projects.append(item.project.model_dump(mode="json", exclude_none=True))
    return projects


def _sentences(projects: list[dict[str, Any]]) -> list[str]:
    """Return the sentences of the examples' free texts (each ends with 。)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and len(value) > 20:
            parts = value.replace("\n", "。").split("。")
            found.extend(part.strip() + "。" for part in parts if part.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for project in projects:
        walk(project.get("年度总体目标"))
        walk(project.get("自评报告"))
    return sorted(set(found))


def _text(
    sentences: list[str], rng: random.Random, shortest: int, longest: int, paragraphs: int = 1
) -> str:
    """Return sentences joined up to a length drawn between *shortest* and *longest*, in up to
    *paragraphs* paragraphs (one a line, as the seeds' 实际完成情况 are written)."""
    goal = rng.randint(shortest, longest)
    text = ""
    while len(text) < goal:
        text += rng.choice(sentences)
        if len(text) < goal and rng.random() < (paragraphs - 1) / 4:
            text += "\n"
    text = text[:goal].rstrip("，、\n")
    return text + ("" if text.endswith("。") else "。")


def vary(
    base: dict[str, Any], number: int, rng: random.Random, sentences: list[str]
) -> dict[str, Any]:
    """Return a new project made from *base*: name, figures, indicators and texts varied."""
    project = json.loads(json.dumps(base))
    for key in ("总分", "评分等级", "自评报告"):
        project.pop(key, None)
    project["项目名称"] = f"{base['项目名称']}（样本{number:05d}）"
    funds = project["项目资金"]
    for key in ("执行率", "得分", "年度资金总额"):
        funds.pop(key, None)
    factor = Decimal(rng.randint(50, 400)) / 100
    line = funds["当年财政拨款"]
    budget = (Decimal(line["全年预算数"]) * factor).quantize(Decimal("0.01"))
    line["年初预算数"] = line["全年预算数"] = str(budget)
    share = Decimal(rng.randint(40, 100)) / 100
    line["全年执行数"] = str((budget * share).quantize(Decimal("0.01")))
    project["年度总体目标"] = {
        "预期目标": _text(sentences, rng, 80, LONGEST_TEXT),
        "实际完成情况": _text(sentences, rng, 80, LONGEST_TEXT, paragraphs=4),
    }
    rows = [
        row
        for row in project["绩效指标"]
        if row.get("得分", row["分值"]) == row["分值"]
        and target_met(row["年度指标值"], row["实际完成值"]) is not False
    ]
    count = rng.randint(5, 60)
    indicators = [dict(rows[i % len(rows)]) for i in range(count)]
    indicators.sort(key=lambda r: (r["一级指标"], r["二级指标"]))  # keep groups together
    weight = (Decimal(90) / count).quantize(Decimal("0.01"))
    for i, row in enumerate(indicators):
        row["三级指标"] = f"{row['三级指标']}{i + 1}"
        row["分值"] = str(weight if i < count - 1 else Decimal(90) - weight * (count - 1))
        row["得分"] = row["分值"]
        row.pop("偏差原因分析及改进措施", None)
        if rng.random() < 0.2:  # a remark on some rows, as the seeds have
            row["偏差原因分析及改进措施"] = _text(sentences, rng, 10, 120)
    project["绩效指标"] = indicators
    return project


def generate(count: int, folder: Path, fmt: str = "yaml", seed: int = SEED) -> list[Path]:
    """Write *count* generated projects into *folder*, 10 per file; return the files."""
    rng = random.Random(seed)
    bases = examples()
    sentences = _sentences(bases)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, count, PROJECTS_PER_FILE):
        chunk = [
            vary(bases[n % len(bases)], n, rng, sentences)
            for n in range(start, min(start + PROJECTS_PER_FILE, count))
        ]
        path = folder / f"projects_{start // PROJECTS_PER_FILE:05d}.{fmt}"
        if fmt == "json":
            text = json.dumps(chunk, ensure_ascii=False, indent=1)
        else:
            text = yaml.safe_dump(chunk, allow_unicode=True, sort_keys=False, width=1 << 20)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files
