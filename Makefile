# sitewatch — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Port of the demo's simulated website group: `make demo PORT=8801` when 8800 is taken.
PORT ?= 8800

.PHONY: install system-deps demo test lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/sitewatch demo --port $(PORT)

system-deps:
	@bash scripts/system-deps.sh

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for script in bench/*.py; do \
		case $$script in bench/peak_trace.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python -P $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info data/demo.db*
