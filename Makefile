# One task runner. `make` runs lint, type checks and tests; `make demo` labels an example feed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all check demo test lint format typecheck bench clean

all: check

check: lint typecheck test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(BIN)/headlines predict data/feeds/msn-nl-example.txt

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
