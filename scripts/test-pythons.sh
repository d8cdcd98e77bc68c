#!/usr/bin/env bash
# Run the whole test suite on each Python version named (e.g. 3.10 3.13), each in its own
# virtual environment .venv-X.Y installed from the dev lock, as `make test` does for .venv.
#
# An interpreter is taken from PATH (pythonX.Y) or from pyenv's versions. Where a version is
# missing the run says so and goes on; in CI (CI set) a missing version is a failure, since CI
# is where every declared version must be proven.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local version=$1 candidate
  if candidate=$(command -v "python$version" 2>/dev/null) && "$candidate" -c pass 2>/dev/null; then
    echo "$candidate"; return 0
  fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)/versions/$version".*/bin/"python$version"; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  return 1
}

status=0
for version in "$@"; do
  if ! python=$(find_python "$version"); then
    if [ -n "${CI:-}" ]; then
      echo "test-pythons: Python $version not found, and CI must test it" >&2
      status=1
    else
      echo "test-pythons: Python $version not found; skipping it (install it, e.g. with pyenv)" >&2
    fi
    continue
  fi
  venv=".venv-$version"
  stamp="$venv/.dev-installed"
  if [ ! -f "$stamp" ] || [ requirements/dev.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
      -r requirements/dev.txt
    PYTHONWARNINGS=ignore "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
      --no-build-isolation -e .
    touch "$stamp"
  fi
  echo "== the test suite on $("$venv/bin/python" --version)"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider || status=1
done
exit $status
