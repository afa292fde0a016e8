# Two entry points for a new user: `make run` and `make test`.
# Both create .venv with a Python >= 3.12 (found by scripts/find-python.sh)
# and install the project with its development extras.

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell ./scripts/find-python.sh)
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12; see scripts/find-python.sh" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)  ## Replay the baseline scenario; outputs and plot in outputs/baseline/
	$(BIN)/interregnum run scenarios/baseline_1922.yaml --mode replay --seed 1 --out outputs/baseline

test: $(STAMP)  ## Run the linter and the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
