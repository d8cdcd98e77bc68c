"""The locks in requirements/ pin everything, agree with each other and with pyproject.toml,
and are what this environment was installed from."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LOCKS = ROOT / "requirements"
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)(?: ; (?P<marker>[^\\]+?))? \\$"
)


def pins(path: Path) -> dict[tuple[str, str], str]:
    """Return ``{(name, marker): version}`` of a lock, checking each pin carries hashes."""
    found: dict[tuple[str, str], str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if not line or line.startswith((" ", "#")):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}:{number + 1}: not an exact pin with hashes: {line}"
        assert lines[number + 1].strip().startswith("--hash=sha256:"), f"{path.name}: {line}"
        found[(canonicalize_name(match["name"]), match["marker"] or "")] = match["version"]
    return found


RUN, DEV = pins(LOCKS / "run.txt"), pins(LOCKS / "dev.txt")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_run_lock_pins_what_the_dev_lock_pins() -> None:
    differ = {
        key: (version, DEV.get(key)) for key, version in RUN.items() if DEV.get(key) != version
    }
    assert not differ, "run.txt and dev.txt disagree; run `make lock`"


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        (RUN, PROJECT["dependencies"]),
        (DEV, PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
    ids=["run", "dev"],
)
def test_every_declared_dependency_is_locked_within_its_range(
    lock: dict[tuple[str, str], str], requirements: list[str]
) -> None:
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        versions = [v for (n, _), v in lock.items() if n == name]
        assert versions, f"{requirement.name} is not locked; run `make lock`"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name}=={version} is outside {requirement}; run `make lock`"
            )


def test_this_environment_was_installed_from_the_dev_lock() -> None:
    wrong = {}
    for (name, marker), version in DEV.items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, None)
            continue
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"installed versions differ from requirements/dev.txt: {wrong}"
