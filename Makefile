# One task runner. `make` runs lint, type checks and tests; `make demo` labels an example feed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all check demo test lint format typecheck bench clean

all: check

check: lint typecheck test

# Setting up and the demo write nothing but the labelled rows to stdout, so that
# `make demo > page.csv` is a CSV file; what they say goes to stderr.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV): python -m venv, pip install -e '.[dev]'" >&2
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip >&2
	@$(BIN)/python -m pip install --quiet -e '.[dev]' >&2
	@# An editable install compiles nothing, where a wheel's compiles every module; where
	@# PYTHONDONTWRITEBYTECODE is set, each run would compile the package again (0.1 s).
	@$(BIN)/python -m compileall -q headlines >&2
	@touch $@

demo: $(STAMP)
	@$(BIN)/headlines predict data/feeds/msn-nl-example.txt

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check headlines tests benchmarks
	$(BIN)/ruff format --check headlines tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format headlines tests benchmarks
	$(BIN)/ruff check --fix headlines tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info models/*.headlines models/*.joblib models/*.card.json
