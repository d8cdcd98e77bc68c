"""Read rendered documents back the way a reviewer would: text, cells and merges."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

W_VAL = qn("w:val")


@dataclass(frozen=True)
class Cell:
    text: str
    span: int
    vmerge: str | None  # "restart", "continue" or None


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def grid(table: object) -> list[list[Cell]]:
    """Return a table's rows as the cells Word shows, with spans and vertical merges."""
    rows = []
    for tr in table._tbl.tr_lst:  # type: ignore[attr-defined]
        cells = []
        for tc in tr.tc_lst:
            tc_pr = tc.tcPr
            span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            state = None if vmerge is None else (vmerge.get(W_VAL) or "continue")
            text = "\n".join(
                "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p"))
            )
            cells.append(Cell(text, int(span.get(W_VAL)) if span is not None else 1, state))
        rows.append(cells)
    return rows


def merged_column(rows: list[list[Cell]], index: int) -> list[tuple[str, int]]:
    """Return the vertical runs of cell *index*: (text, rows spanned) per merged block."""
    runs: list[tuple[str, int]] = []
    for row in rows:
        cell = row[index]
        if cell.vmerge == "continue":
            text, count = runs[-1]
            runs[-1] = (text, count + 1)
        else:
            runs.append((cell.text, 1))
    return runs
