"""Build the default templates in this folder: ``python templates/build.py [DIR]``.

The .docx files are committed; these scripts are how they were made, so that a change to the
layout is a reviewed change to code.  Open a result in Word to edit it further: the
placeholders are docxtpl/Jinja tags with the form's own labels as variable names.

- ``table.docx``  — 财政项目支出绩效自评表, 2023/2024 edition (``build_table.py``)
- ``table-2022.docx`` — 财政项目支出绩效自评表, 2022 edition (``build_table.py``)
- ``report.docx`` — 财政项目支出绩效自评价报告 (``build_report.py``)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_report  # noqa: E402
import build_table  # noqa: E402


def main(argv: Sequence[str] = ()) -> int:
    """Build every default template into this folder (or the folder given)."""
    out = Path(argv[0]) if argv else HERE
    builders = (
        ("table.docx", build_table.build),
        ("table-2022.docx", build_table.build_2022),
        ("report.docx", build_report.build),
    )
    for name, builder in builders:
        builder(out / name)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
