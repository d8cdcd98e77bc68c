"""Hostile templates for the tests, and the real ``docgen`` command run on them."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from tests.commands import run_docgen
from tests.conftest import MINIMAL, ROOT

BUILT_IN = ROOT / "templates" / "table.docx"


def hostile_docx(
    *,
    tag: str | None = None,
    parts: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Return the built-in 自评表 with ``{{ 项目名称 }}`` replaced by *tag*, parts replaced
    or added (*parts*), and members added under any name (*extra*, written as given)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(BUILT_IN) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = (parts or {}).get(info.filename) or source.read(info)
            if info.filename == "word/document.xml" and tag is not None:
                text = data.decode("utf-8")
                assert "{{ 项目名称 }}" in text
                data = text.replace("{{ 项目名称 }}", tag, 1).encode("utf-8")
            target.writestr(info, data)
        for name, data in (extra or {}).items():
            info = zipfile.ZipInfo(name)
            target.writestr(info, data)
    return buffer.getvalue()


def folder_with_template(root: Path, docx: bytes, name: str = "table.docx") -> Path:
    """Write a project and a ``templates/`` folder beside it, as a stranger hands them over."""
    dept = root / "dept"
    (dept / "templates").mkdir(parents=True)
    (dept / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    (dept / "templates" / name).write_bytes(docx)
    return dept


def docgen(
    cwd: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the real ``docgen`` command in *cwd*; a hang fails the test instead of the suite."""
    return run_docgen(*args, cwd=cwd, env=env, timeout=timeout)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *messages: str) -> None:
    """Assert exit status 1 and *messages*, with no traceback and no 'bug in docgen'."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for message in messages:
        assert message in output, output
    assert "Traceback" not in output and "bug in docgen" not in output, output
