# The README's commands. Everything runs inside a virtual environment in .venv, created
# from the pinned requirements.txt the first time (and again when the pins change).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: setup book test notebooks bench lint clean

$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup: $(INSTALLED)

## book: build the HTML book from the outputs stored in the notebooks
book: $(INSTALLED)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

## test: ruff, then unit tests, every notebook executed in the fast budget, and the book build
test: lint
	$(BIN)/python -m pytest

## notebooks: re-run every chapter in the default budget and store its outputs (minutes)
notebooks: $(INSTALLED)
	DAE_BUDGET=$${DAE_BUDGET:-default} $(BIN)/jupyter execute --inplace notebooks/*.ipynb

## bench: the benchmark in the default budget (about 25 min on 2 CPU cores); its results go to
## book/results, where the results chapter reads them. BENCH_BUDGET=fast for a smoke run.
bench: $(INSTALLED)
	$(BIN)/python -m dae_utils.bench --budget $${BENCH_BUDGET:-default} --out $${BENCH_OUT:-book/results}

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf _build
