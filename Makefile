# The commands: `make demo`, `make check` (lint, types, the fast tests) and `make test` (everything).
# Each creates .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE := examples/readout.txt

.PHONY: demo check test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[web,scale,test,bench]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: $(VENV)/.installed
	$(BIN)/duizhao align $(EXAMPLE) --format table
	$(BIN)/duizhao align $(EXAMPLE) --format tsv,jsonl,tmx,moses,vecalign,intertext,html,png --output out/
	@echo "Outputs written to out/:" && ls out/

# Under a minute on 2 cores: ruff and mypy at 0 findings, then the tests that need no browser, OmegaT,
# Ray or long encoding (`-m slow` marks those).
FAST_TESTS := not slow and not browser and not omegat and not ray

check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "$(FAST_TESTS)"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out .pytest_cache .cache/tests
