# Habitat Ensemble: `make run` serves the portal with demo data, `make test` tests it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run worker test lint format bench bench-quick clean-demo messages ci

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	PORT=$(PORT) bash scripts/run-dev.sh

worker: install
	$(PY) manage.py db_worker

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# BENCH_ARGS: --fresh (rebuild the data), --only KEYS, --seconds N, --write-baseline.
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

bench-quick: install
	$(PY) -m bench.run --quick $(BENCH_ARGS)

clean-demo: install
	$(PY) manage.py remove_demo_data

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run
