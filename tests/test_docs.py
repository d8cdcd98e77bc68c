"""Every example in the README and docs/ runs: shell blocks are executed, snippets validated.

As typer does with its ``docs_src/``: an example that is not run rots. Each fenced block of
README*.md and docs/*.md is one of

- ``sh``: run with bash (``set -euo pipefail``) in a fresh folder holding a copy of ``data/``,
  with the installed ``docgen`` first on PATH, as a user on a fresh clone would;
- ``yaml`` / ``json``: a complete project, checked with no errors; or, after a
  ``<!-- docs-test: … -->`` comment, a part of one (see ``_validate_fragment``);
- ``python``: run as the comment before it says;
- ``text``: output or a listing, shown as it is.

A comment ``<!-- docs-test: DIRECTIVE -->`` on the line before a block says how it is tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from docgen.pipeline import CheckedProject, check_source
from docgen.sources.loader import load_text
from tests.commands import DOCGEN, user_env
from tests.conftest import DATA, ROOT

DOCUMENTS = sorted([*ROOT.glob("README*.md"), *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"^```(?P<lang>[^\n`]*)\n(?P<code>.*?)^```", re.MULTILINE | re.DOTALL)
DIRECTIVE = re.compile(r"<!-- docs-test: (?P<text>.*?) -->\s*\Z")
LANGUAGES = {"sh", "yaml", "json", "python", "text"}


@dataclass(frozen=True)
class Block:
    """One fenced block of a document."""

    file: Path
    line: int
    lang: str
    code: str
    directive: str | None

    @property
    def id(self) -> str:
        return f"{self.file.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """Return the fenced blocks of *path*, each with the directive written just before it."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = DIRECTIVE.search(text[: match.start()])
        line = text.count("\n", 0, match.start()) + 1
        lang = match["lang"].strip()
        found.append(Block(path, line, lang, match["code"], before["text"] if before else None))
    return found


ALL = [block for path in DOCUMENTS for block in blocks(path)]


def of(lang: str, directive: str | None = "*") -> list[Block]:
    return [b for b in ALL if b.lang == lang and (directive == "*" or b.directive == directive)]


def params(selected: list[Block]) -> list[object]:
    return [pytest.param(b, id=b.id) for b in selected]


def test_every_block_says_what_it_is() -> None:
    unknown = [f"{b.id}: ```{b.lang}" for b in ALL if b.lang not in LANGUAGES]
    assert not unknown, "tag each block with one of " + ", ".join(sorted(LANGUAGES))
    assert len(of("sh")) >= 8, "the README's shell examples were not found"
    readmes = {b.file.name for b in of("sh", "server")}
    assert {"README.md", "README.en.md"} <= readmes, "both READMEs show the service's commands"


def test_the_readmes_are_one_text_in_two_languages() -> None:
    """README.md (Chinese) and README.en.md (English) show the same examples, in the same order
    (what docgen prints, in ``text`` blocks, each in its README's language)."""
    chinese, english = ROOT / "README.md", ROOT / "README.en.md"
    shown = {path: [(b.lang, b.code, b.directive) for b in ALL if b.file == path and b.lang != "text"]
             for path in (chinese, english)}  # fmt: skip
    assert shown[chinese] == shown[english], "translate the prose; copy the blocks as they are"
    assert "(README.en.md)" in chinese.read_text(encoding="utf-8").split("\n", 1)[0]
    assert "(README.md)" in english.read_text(encoding="utf-8").split("\n", 1)[0]


def github_anchor(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, - for spaces."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in DOCUMENTS])
def test_in_page_links_lead_to_a_heading(path: Path) -> None:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    missing = [link for link in re.findall(r"\]\(#([^)]+)\)", text) if link not in anchors]
    assert not missing, f"{path.name}: no heading for {missing}"


# ---------------------------------------------------------------------------------------------
# Shell blocks


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """Return a folder laid out as a user's: a copy of the examples in data/."""
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def shell_env(**extra: str) -> dict[str, str]:
    return user_env(**extra)


def run_shell(
    code: str, cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def needs_libreoffice(code: str) -> bool:
    return "--pdf" in code or "docgen preview" in code


SAVED_AS = re.compile(r"with the yaml example above saved as (\S+)")


def previous_yaml(block: Block) -> Block:
    """Return the last complete YAML example before *block* in its document."""
    earlier = [b for b in ALL if b.file == block.file and b.line < block.line]
    return [b for b in earlier if b.lang == "yaml" and b.directive is None][-1]


@pytest.mark.parametrize(
    "block", params(of("sh", None) + [b for b in of("sh") if SAVED_AS.fullmatch(b.directive or "")])
)
def test_shell_example_runs(block: Block, sandbox: Path) -> None:
    saved = SAVED_AS.fullmatch(block.directive or "")
    if saved:
        (sandbox / saved[1]).write_text(previous_yaml(block).code, encoding="utf-8")
    if needs_libreoffice(block.code) and not (shutil.which("soffice") and shutil.which("pdftoppm")):
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler are required in CI")
        pytest.skip("needs LibreOffice and poppler")
    result = run_shell(block.code, sandbox, shell_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{block.id} failed:\n{block.code}\n{output}"
    assert "Traceback" not in output


def test_the_skipped_shell_blocks_say_why() -> None:
    for block in of("sh"):
        if block.directive and block.directive.startswith("skip"):
            assert block.directive.removeprefix("skip").strip(": "), f"{block.id}: say why"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVED = sorted({b.file for b in of("sh", "server")})


@pytest.mark.parametrize("readme", [pytest.param(p, id=p.name) for p in SERVED])
def test_service_examples_run_against_a_real_server(readme: Path, sandbox: Path) -> None:
    # Each README (README.md in Chinese, README.en.md in English) has its own pair of blocks.
    (server_block,) = [b for b in of("sh", "server") if b.file == readme]
    (client_block,) = [b for b in of("sh", "with the server above") if b.file == readme]
    port = str(free_port())
    env = shell_env(DOCGEN_API_TOKEN="docs-test-token")
    command = server_block.code.split("#")[0].replace("8000", port)
    log = (sandbox / "server.log").open("wb")
    server = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=sandbox,
        env={**env, "DOCGEN_SERVICE_TEMPLATES": str(sandbox / "service-templates")},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + (sandbox / "server.log").read_text())
        result = run_shell(client_block.code.replace("127.0.0.1:8000", f"127.0.0.1:{port}"),
                           sandbox, env)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        # /v1/check printed its report; -OJ saved the document under its readable ASCII name.
        report, _ = json.JSONDecoder().raw_decode(result.stdout)
        assert report["ok"] is True
        (saved,) = sandbox.glob("*.docx")
        assert re.fullmatch(r"2022_table_[0-9a-f]{8}\.docx", saved.name)
        with zipfile.ZipFile(saved) as document:
            assert "word/document.xml" in document.namelist()
        with zipfile.ZipFile(sandbox / "batch.zip") as archive:
            assert "汇总.xlsx" in archive.namelist()
        assert (sandbox / "service-templates").is_dir()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


# ---------------------------------------------------------------------------------------------
# YAML and JSON snippets


def checked_text(text: str, name: str) -> CheckedProject:
    (source,) = load_text(text, name)
    return check_source(source)


@pytest.mark.parametrize("block", params(of("yaml", None) + of("json", None)))
def test_snippet_is_a_valid_project(block: Block) -> None:
    item = checked_text(block.code, f"{block.id}.{block.lang}")
    assert item.project is not None
    assert not item.errors, "\n".join(str(e) for e in item.errors)


def _base_project(block: Block) -> tuple[dict[str, object], str]:
    """Return the project a fragment belongs to (its directive names it) and the key."""
    assert block.directive is not None
    match = re.fullmatch(r"replaces (\S+) of (.+?)(; .*)?", block.directive)
    assert match, f"{block.id}: unknown directive {block.directive!r}"
    key, where = match[1], match[2]
    if where == "the example above":
        text = previous_yaml(block).code
    else:
        text = (ROOT / where).read_text(encoding="utf-8")
    return yaml.safe_load(text), key


@pytest.mark.parametrize("block", params([b for b in of("yaml") if (b.directive or "")
                                          .startswith("replaces")]))  # fmt: skip
def test_fragment_fits_its_project(block: Block) -> None:
    project, key = _base_project(block)
    fragment = yaml.safe_load(block.code)
    assert list(fragment) == [key], f"{block.id} should hold only {key}"
    project[key] = fragment[key]
    item = checked_text(json.dumps(project, ensure_ascii=False), f"{block.id}.json")
    assert item.project is not None, "\n".join(str(f) for f in item.findings)
    if block.directive and block.directive.endswith("gives its first row"):
        # The nested shape gives the same row as the flat list of the example above.
        base, _ = _base_project(block)
        flat = checked_text(json.dumps(base, ensure_ascii=False), "base.json")
        assert flat.project is not None
        assert item.project.indicators[0] == flat.project.indicators[0]
    else:
        assert not item.errors, "\n".join(str(e) for e in item.errors)


@pytest.mark.parametrize("block", params(of("yaml", "config of table.docx")))
def test_template_config_example_is_accepted(block: Block, sandbox: Path) -> None:
    env = shell_env()
    init = run_shell("docgen templates init 自评表 -o mine", sandbox, env)
    assert init.returncode == 0, init.stderr
    (sandbox / "mine" / "table.yaml").write_text(block.code, encoding="utf-8")
    result = run_shell(
        "docgen templates check mine/table.docx --data data/seed000_minhang_yibao_2022.yaml",
        sandbox,
        env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# Python


@pytest.mark.parametrize("block", params(of("python")))
def test_python_example_runs_as_its_comment_says(block: Block, sandbox: Path) -> None:
    assert block.directive is not None and block.directive.startswith("pytest"), block.id
    first_line = block.code.splitlines()[0]
    target = sandbox / re.fullmatch(r"# (\S+) in your repository", first_line)[1]  # type: ignore[index]
    target.parent.mkdir(parents=True)
    target.write_text(block.code, encoding="utf-8")
    env = shell_env()
    assert run_shell("docgen templates init 自评表 -o templates", sandbox, env).returncode == 0
    pytest_command = f"{DOCGEN.with_name('python')} -m pytest -q -p no:cacheprovider {target}"
    first = run_shell(pytest_command, sandbox, env)
    # A missing golden file is written, and the test fails so that someone looks at it.
    assert first.returncode == 1, first.stdout
    golden = list(sandbox.glob("tests/golden/*.docx.txt"))
    assert len(golden) == 1, first.stdout
    second = run_shell(pytest_command, sandbox, env)
    assert second.returncode == 0, second.stdout
