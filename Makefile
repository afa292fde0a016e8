# Two entry points for a new user: `make run` and `make test`.
# Both create .venv with a Python >= 3.12 (found by scripts/find-python.sh)
# and install the project with its development extras.

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell ./scripts/find-python.sh)
STAMP := $(VENV)/.installed
# Material for MkDocs prints a banner about its successor on every build; it says nothing
# about this site.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs

.PHONY: run test test-quick lint docs clean browser

# uv installs the same packages as pip from the same index, in parallel: about 15 s here
# against 75 s for pip. If uv cannot be had, pip does the work, with its own output shown.
# uv is told to compile the packages' bytecode, as pip does unasked: where Python may not
# write it (PYTHONDONTWRITEBYTECODE, common in containers and CI), every command would
# otherwise compile some thousand modules as it starts (importing the CLI: 2.4 s against
# 0.7 s here). It adds about 13 s to the set-up, once.
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12; see scripts/find-python.sh" >&2; exit 1; }
	@echo "==> set-up 1/2: creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@echo "==> set-up 2/2: installing the project and its dependencies into $(VENV)"
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check uv 2>/dev/null; then \
		$(BIN)/uv pip install --compile-bytecode --python $(BIN)/python -e '.[dev]'; \
	else \
		$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'; \
	fi
	@touch $(STAMP)

run: $(STAMP)  ## Replay the baseline scenario; outputs and plot in outputs/baseline/
	@echo "==> replaying the baseline (the first run on a machine compiles the model first)"
	$(BIN)/interregnum run scenarios/baseline_1922.yaml --mode replay --seed 1 --out outputs/baseline

# The dashboard's browser test drives Debian's chromium (playwright's own browser download
# does not work offline). Installed where apt-get can be run as root; elsewhere the test is
# skipped, and this says so before the suite starts rather than in its last line.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "==> installing Debian's chromium for the dashboard's browser test"; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "warning: no chromium, and apt-get cannot install it here: the dashboard's browser test will be skipped" >&2; \
	fi

test: $(STAMP) browser  ## Lint, the whole test suite (slow tests too, as CI does), the strict docs build
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -m ""
	$(MKDOCS) build --strict --quiet

test-quick: $(STAMP)  ## The test suite without the tests marked slow (under two minutes)
	$(BIN)/python -m pytest -q

docs: $(STAMP)  ## Regenerate the generated pages of docs/ and build the site into site/
	$(BIN)/python -m simulation.documentation
	$(MKDOCS) build --strict
	@echo "==> the site is in site/ (open site/index.html)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache site
