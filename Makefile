# The README's two commands: `make run` and `make test`. Each sets itself up from scratch.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint templates system-packages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Render every example project in data/ into out/ (and the seed-001 workbook into out/workbook/).
run: $(STAMP)
	$(BIN)/docgen render data -o out
	$(BIN)/docgen render 'data/*.xlsx' -o out/workbook

## Lint, type-check and run the whole test suite.
test: lint $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Install LibreOffice, fonts, poppler and Chromium (as root) so that no test is skipped.
system-packages:
	bash scripts/install-system-packages.sh

## Rebuild the default templates from templates/build.py (then review and commit them).
templates: $(STAMP)
	$(BIN)/python templates/build.py

clean:
	rm -rf out $(VENV) .pytest_cache .mypy_cache .ruff_cache
