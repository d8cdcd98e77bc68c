# The README's two commands: `make run` and `make test`. Each sets itself up from scratch,
# installing exactly what the committed locks in requirements/ pin (hash-checked).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_LOCK := requirements/run.txt
DEV_LOCK := requirements/dev.txt
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
# `make lock` takes the newest releases that pyproject.toml allows; `make lock UPGRADE=` only
# adds what pyproject.toml newly asks for and keeps every other pin.
UPGRADE ?= --upgrade
COMPILE = UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile --quiet --universal \
	--python-version 3.10 --generate-hashes $(UPGRADE)

.PHONY: run test test-pythons lint lock messages templates system-packages clean

# Install from a lock: every package pinned and hash-checked, then docgen itself (editable,
# built with the pinned setuptools, no other download).
define install
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(1)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
endef

$(RUN_STAMP): $(RUN_LOCK) pyproject.toml
	$(call install,$(RUN_LOCK))
	touch $@

# The dev lock holds everything the run lock pins, at the same versions (a test checks it).
$(DEV_STAMP): $(DEV_LOCK) pyproject.toml
	$(call install,$(DEV_LOCK))
	touch $@ $(RUN_STAMP)

## Render every example project in data/ into out/ (and the seed-001 workbook into out/workbook/).
run: $(RUN_STAMP)
	$(BIN)/docgen render data -o out
	$(BIN)/docgen render 'data/*.xlsx' -o out/workbook

## Lint, type-check and run the whole test suite; then the suite on the lowest and the newest
## Python that pyproject.toml declares.
test: lint $(DEV_STAMP)
	$(BIN)/pytest
	$(MAKE) test-pythons

## The whole suite on Python 3.10 and 3.13, each in its own .venv-3.X from the same lock.
test-pythons:
	bash scripts/test-pythons.sh 3.10 3.13

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Refresh the locks on purpose; then run `make test` and review `git diff requirements/`.
lock: $(DEV_STAMP)
	$(COMPILE) pyproject.toml requirements/build.in requirements/tools.in --extra dev \
		-o $(DEV_LOCK)
	$(COMPILE) pyproject.toml requirements/build.in -c $(DEV_LOCK) -o $(RUN_LOCK)

## Extract the messages of docgen/ (every _("…") and N_("…")), merge them into the Chinese
## catalog docgen/locale/zh/LC_MESSAGES/docgen.po, and compile its .mo (commit both; a test
## checks that the .mo is the .po compiled and that no message lacks its translation).
LOCALE := docgen/locale
BABEL_WRAP := --no-wrap
messages: $(DEV_STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --sort-output --add-location=file $(BABEL_WRAP) \
		--project docgen --copyright-holder docgen -o $(LOCALE)/docgen.pot docgen
	$(BIN)/pybabel -q update -i $(LOCALE)/docgen.pot -d $(LOCALE) -D docgen -l zh $(BABEL_WRAP) \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel -q compile -d $(LOCALE) -D docgen -l zh --statistics

## Install LibreOffice, fonts, poppler and Chromium (as root) so that no test is skipped.
system-packages:
	bash scripts/install-system-packages.sh

## Rebuild the default templates from templates/build.py (then review and commit them).
templates: $(DEV_STAMP)
	$(BIN)/python templates/build.py

clean:
	rm -rf out $(VENV) $(VENV)-3.* .pytest_cache .mypy_cache .ruff_cache
