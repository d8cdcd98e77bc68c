"""Errors keep everything they say when they cross a process boundary."""

from __future__ import annotations

import pickle

import pytest

from docgen.errors import (
    DocgenError,
    Finding,
    InputError,
    InvalidProjectError,
    OutputError,
    Severity,
    TemplateProblem,
)

FINDING = Finding(Severity.ERROR, ("绩效指标", 0, "得分"), "得分 60 exceeds 分值 50", "p.yaml", 13)


@pytest.mark.parametrize(
    "error",
    [
        DocgenError("m", file="a.yaml", line=3, path=("项目资金",), hint="h"),
        InputError("no such file", file="x.yaml", hint="check the path"),
        OutputError("cannot write", file="out/a.docx", hint="free space"),
        TemplateProblem("broken tag", file="t.docx", line="table 1, row 2"),
        InvalidProjectError([FINDING], file="p.yaml"),
    ],
)
def test_an_error_survives_pickling_whole(error: DocgenError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__
    assert copy.to_json() == error.to_json()
