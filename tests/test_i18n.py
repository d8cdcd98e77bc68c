"""Chinese first: which language docgen speaks, and that every message has its translation.

The command runs as a user runs it (a subprocess from their own folder); the locale of a
server (``C``, ``POSIX``, none) gives Chinese, ``en_US.UTF-8`` English, ``DOCGEN_LANG``
overrides both. The catalog tests read the shipped ``.po`` and ``.mo`` files.
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from docgen.errors import Finding, InputError, Severity
from docgen.i18n import (
    _,
    current_language,
    language_accepted,
    language_from_env,
    translations,
    using_language,
)
from tests.commands import run_docgen
from tests.conftest import MINIMAL, ROOT
from tests.untranslated import untranslated

CATALOG = ROOT / "docgen" / "locale" / "zh" / "LC_MESSAGES" / "docgen.po"
COMPILED = CATALOG.with_suffix(".mo")
# Every module of docgen/ whose messages go through the catalog (``_("…")``, ``N_("…")``).
# (`diff` output stays English on purpose: it is the text golden files are compared by.)
CONVERTED = sorted(
    str(path.relative_to(ROOT))
    for path in (ROOT / "docgen").rglob("*.py")
    if "_(" in path.read_text(encoding="utf-8")
)
# No locale setting of the caller's leaks into the subprocess's choice.
NO_LOCALE = {"DOCGEN_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
PLANTED = MINIMAL.replace("分值: 50, 得分: 50}", "分值: 50, 得分: 55}")


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh"),
        ({"LANG": "C"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "zh"),  # LC_ALL first, as in POSIX
        ({"LANG": "C", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "DOCGEN_LANG": "zh"}, "zh"),
        ({"LANG": "C", "DOCGEN_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "DOCGEN_LANG": ""}, "en"),  # empty: not set
    ],
)
def test_the_language_follows_docgen_lang_then_the_locale(
    environ: dict[str, str], language: str
) -> None:
    assert language_from_env(environ) == language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,en;q=0.5,zh;q=0.7", "zh"),
        ("zh;q=0, en", "en"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_picks_the_best_of_docgens_languages(
    header: str | None, language: str | None
) -> None:
    assert language_accepted(header) == language


def test_a_language_set_in_one_thread_does_not_reach_another() -> None:
    seen: dict[str, str] = {}
    ready = threading.Barrier(2)

    def speak(language: str) -> None:
        with using_language(language):
            ready.wait()  # both are inside their block at once
            seen[language] = _("error")

    threads = [threading.Thread(target=speak, args=(lang,)) for lang in ("zh", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"zh": "错误", "en": "error"}
    assert current_language() == "en"  # the suite's own (tests/conftest.py), unchanged


def test_findings_and_errors_are_framed_in_the_language() -> None:
    finding = Finding(Severity.WARNING, ("绩效指标", 0, "得分"), "m", "f.yaml", 3, "h")
    error = InputError("m", file="f.yaml", line=3, hint="h")
    with using_language("zh"):
        assert (str(finding), str(error)) == (
            "f.yaml:3: 提醒: 绩效指标[0].得分: m；h",
            "f.yaml:3: m\n  提示: h",
        )
    with using_language("en"):
        assert (str(finding), str(error)) == (
            "f.yaml:3: warning: 绩效指标[0].得分: m; h",
            "f.yaml:3: m\n  hint: h",
        )
    assert finding.to_json()["severity"] == "warning"  # machine values stay as they are


def planted(tmp_path: Path) -> Path:
    (tmp_path / "dept").mkdir()
    (tmp_path / "dept" / "p.yaml").write_text(PLANTED, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("locale", "finding", "summary"),
    [
        (
            {"LANG": "C"},
            "dept/p.yaml:13: 错误: 绩效指标[0].得分: 得分 55 超过分值 50；指标得分不能超过其分值",
            "已检查 1 个项目，1 个有错误，0 个提醒",
        ),
        (
            {"LANG": "en_US.UTF-8"},
            "dept/p.yaml:13: error: 绩效指标[0].得分: 得分 55 exceeds 分值 50; "
            "an indicator scores at most its 分值",
            "1 project(s) checked, 1 with errors, 0 warning(s)",
        ),
        (
            {"LANG": "en_US.UTF-8", "DOCGEN_LANG": "zh"},
            "dept/p.yaml:13: 错误: 绩效指标[0].得分: 得分 55 超过分值 50",
            "已检查 1 个项目",
        ),
        (
            {"LANG": "C", "DOCGEN_LANG": "en"},
            "dept/p.yaml:13: error: 绩效指标[0].得分: 得分 55 exceeds 分值 50",
            "1 project(s) checked",
        ),
    ],
)
def test_check_speaks_the_users_language(
    tmp_path: Path, locale: dict[str, str], finding: str, summary: str
) -> None:
    result = run_docgen(  # the 自评表 only: the 自评报告's gaps would add warnings
        "check", "-k", "table", "dept/p.yaml", cwd=planted(tmp_path), env={**NO_LOCALE, **locale}
    )
    assert result.returncode == 1
    assert finding in result.stderr
    assert summary in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreadable_file_gives_its_error_and_hint_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("年度: [2024\n", encoding="utf-8")
    chinese = run_docgen("check", "bad.yaml", cwd=tmp_path, env={**NO_LOCALE, "LANG": "C"})
    assert chinese.returncode == 1
    assert "bad.yaml:2: YAML 语法错误" in chinese.stderr
    assert "提示: 请检查缩进和引号" in chinese.stderr
    english = run_docgen("check", "bad.yaml", cwd=tmp_path, env={"DOCGEN_LANG": "en"})
    assert "bad.yaml:2: YAML syntax error" in english.stderr
    assert "hint: check indentation and quoting" in english.stderr


def test_help_is_chinese_on_a_server_and_english_on_request(tmp_path: Path) -> None:
    chinese = run_docgen(
        "render", "--help", cwd=tmp_path, env={**NO_LOCALE, "LANG": "POSIX", "COLUMNS": "80"}
    )
    assert chinese.returncode == 0
    assert "为每个项目的每种文档生成一份，写入输出文件夹。" in chinese.stdout
    assert "覆盖所有文件的舍入规则" in chinese.stdout
    assert "Override every file's" not in chinese.stdout
    assert "…" not in chinese.stdout  # on 80 columns, no line of Chinese is cut short
    english = run_docgen("render", "--help", cwd=tmp_path, env={"DOCGEN_LANG": "en"})
    assert "Render one document per project and kind into the output folder." in english.stdout


@pytest.mark.parametrize(("word", "english"), [("截断", "truncate"), ("四舍五入", "half-up")])
def test_rounding_takes_the_words_the_data_uses(tmp_path: Path, word: str, english: str) -> None:
    (tmp_path / "p.yaml").write_text(
        (ROOT / "data" / "seed002_shanghai_yibao_2024.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    by_word = run_docgen("check", "p.yaml", "--rounding", word, cwd=tmp_path)
    by_english = run_docgen("check", "p.yaml", "--rounding", english, cwd=tmp_path)
    assert "Invalid value" not in by_word.stderr
    assert (by_word.returncode, by_word.stderr) == (by_english.returncode, by_english.stderr)
    if word == "截断":  # 162.30/326.01 truncated: 执行率 49.78 %, 得分 4.97, not the stated 4.98
        assert (
            "项目资金.得分: stated 4.98 but 分值 × 执行率 gives 4.97 (舍入规则 截断)"
            in by_word.stderr
        )


def test_kind_takes_the_forms_names(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen("render", "p.yaml", "--kind", "自评表", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".docx"]
    assert "1 document(s) written to out" in result.stderr


def test_batch_reports_in_chinese(tmp_path: Path) -> None:
    work = planted(tmp_path)
    (work / "dept" / "ok.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_docgen(
        "batch", "dept", "-o", "out", "-j", "1", cwd=work, env={**NO_LOCALE, "LANG": "C"}
    )
    assert result.returncode == 1
    assert "失败 dept/p.yaml" in result.stderr
    assert "已生成 1 个，0 个未改动（跳过），1 个失败" in result.stderr


def test_templates_check_reports_in_chinese(tmp_path: Path) -> None:
    from tests.render.test_check import variant

    broken = variant(tmp_path, ("{{ 项目名称 }}", "{{ 项目名城 }}"))
    result = run_docgen(
        "templates", "check", broken.name, cwd=tmp_path, env={**NO_LOCALE, "LANG": "C"}
    )
    assert result.returncode == 1
    assert "错误: 未知的变量 '项目名城'；是否想写 '项目名称'？" in result.stderr
    assert "改法: 模板可用的全部变量见 docs/variables.md" in result.stderr
    assert f"{broken.name} 中有 1 个问题" in result.stderr


def test_a_workbook_error_is_chinese(tmp_path: Path) -> None:
    from tests.excel.test_reader import make_book

    make_book(tmp_path, {"Sheet1": [["x"]]}, "填报.xlsx")
    result = run_docgen("check", "填报.xlsx", cwd=tmp_path, env={**NO_LOCALE, "LANG": "C"})
    assert result.returncode == 1
    assert "填报.xlsx: 没有工作表 '项目'" in result.stderr
    assert (
        "提示: 请在名为「项目」的工作表中每个项目写一行；`docgen workbook` 生成的「填写说明」表"
        in (result.stderr)
    )


# -- the catalog ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def catalog() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def extracted(module: str) -> list[str]:
    return [
        message
        for _line, message, _comments, _context in extract_from_file("python", ROOT / module)
        if isinstance(message, str)
    ]


@pytest.mark.parametrize("module", CONVERTED)
def test_every_message_of_a_converted_module_has_its_chinese(module: str) -> None:
    messages = extracted(module)
    known = catalog()
    missing = [m for m in messages if not known.get(m)]
    assert not missing, f"not in the catalog, or untranslated (run make messages): {missing}"
    zh = translations("zh")
    leaks = [m for m in messages if zh.gettext(m) == m]
    assert not leaks, f"the compiled catalog gives these in English: {leaks}"


def test_no_module_hides_the_translation_function() -> None:
    """A module that translates never binds ``_`` (``for _, x in …``, ``a, _ = …``): in a
    function that does, every ``_("…")`` would fail."""
    bound = []
    for path in sorted((ROOT / "docgen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if "_" not in {
            a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
        }:
            continue
        bound += [
            f"{path.relative_to(ROOT)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
        ]
    assert not bound


def test_translations_keep_every_placeholder() -> None:
    wrong = {
        msgid: text
        for msgid, text in catalog().items()
        if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    }
    assert not wrong


def test_the_shipped_mo_is_the_po_compiled() -> None:
    with CATALOG.open("rb") as handle:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(handle))
    assert COMPILED.read_bytes() == compiled.getvalue(), "run make messages and commit the .mo"


def test_the_wheel_ships_the_catalog(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("docgen/locale/zh/LC_MESSAGES/docgen.mo") == COMPILED.read_bytes()


# Literal English that is not a message to translate: docgen/pdf_bridge.py runs under the
# system Python (python3-uno) without docgen, and its error only says what LibreOffice did;
# product names in the service's API pages.
NOT_TRANSLATED = {
    ("docgen/pdf_bridge.py", "LibreOffice could not load it"),
    ("docgen/service/apidocs.py", " - Swagger UI"),
    ("docgen/service/apidocs.py", " - ReDoc"),
    ("docgen/service/app.py", "docgen"),
}


def test_no_user_facing_english_escapes_the_catalog() -> None:
    """Every text given straight to an error, a warning, an echo or a help goes through
    ``_()`` (``tests/untranslated.py`` says what it looks for)."""
    found = {
        (str(path.relative_to(ROOT)), text)
        for path in sorted((ROOT / "docgen").rglob("*.py"))
        for _line, _called, text in untranslated(path)
    }
    assert found - NOT_TRANSLATED == set()
