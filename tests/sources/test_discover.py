from __future__ import annotations

from pathlib import Path

from docgen.sources.discover import discover


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_folders_are_searched_recursively_in_name_order(tmp_path: Path) -> None:
    touch(tmp_path, "b.yaml", "a.json", "sub/c.yml", "sub/readme.txt", "Z.YAML")
    files, problems = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "Z.YAML",
        "a.json",
        "b.yaml",
        "sub/c.yml",
    ]
    assert problems == []


def test_hidden_tool_and_schema_files_are_skipped(tmp_path: Path) -> None:
    touch(tmp_path, ".git/x.yaml", "node_modules/y.json", "env/pyvenv.cfg", "env/lib/z.json",
          "docgen.schema.json", ".hidden.yaml", "~$open.yaml", "real.yaml")  # fmt: skip
    files, _ = discover([tmp_path])
    assert [p.name for p in files] == ["real.yaml"]


def test_patterns_expand_and_duplicates_are_dropped(tmp_path: Path) -> None:
    touch(tmp_path, "dept/a.yaml", "dept/x/b.yaml", "dept/c.txt")
    files, problems = discover([f"{tmp_path}/dept/**/*.yaml", tmp_path / "dept" / "a.yaml"])
    assert [p.name for p in files] == ["a.yaml", "b.yaml"]
    assert problems == []


def test_what_matches_nothing_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    files, problems = discover(
        [tmp_path / "missing.yaml", f"{tmp_path}/*.json", tmp_path / "empty"]
    )
    assert files == []
    assert [p.message for p in problems] == [
        "no such file or folder",
        "no project files match this pattern",
        "no project files (.yaml, .yml, .json) in this folder",
    ]


def test_an_explicit_file_is_taken_whatever_its_suffix(tmp_path: Path) -> None:
    touch(tmp_path, "project.txt")
    files, _ = discover([tmp_path / "project.txt"])
    assert [p.name for p in files] == ["project.txt"]


def test_a_templates_folder_beside_the_data_is_not_searched_for_projects(tmp_path: Path) -> None:
    from tests.commands import run_docgen
    from tests.conftest import MINIMAL

    dept = tmp_path / "dept"
    dept.mkdir()
    (dept / "p.yaml").write_text(MINIMAL, encoding="utf-8")
    assert (
        run_docgen("templates", "init", "自评表", "-o", "dept/templates", cwd=tmp_path).returncode
        == 0
    )
    assert (dept / "templates" / "table.yaml").exists()  # a config, not a project
    result = run_docgen("check", "dept", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 project(s) checked, 0 with errors" in result.stderr
    assert "dept/templates/table.docx, found beside the data" in result.stderr
