# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
NOX_ARGS ?=

.PHONY: demo test test-sqlite test-postgres test-matrix lint format bench system-packages services clean

$(VENV)/.demo-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.test-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## Run the sample site on SQLite with the database live store: http://127.0.0.1:8000/admin/
demo: $(VENV)/.demo-installed
	$(PY) sample_site/manage.py migrate --noinput
	$(PY) sample_site/manage.py demo_setup
	$(PY) sample_site/manage.py runserver 127.0.0.1:8000

## Install what the tests need, then run the whole suite on SQLite and on PostgreSQL.
test: $(VENV)/.test-installed system-packages services test-sqlite test-postgres

test-sqlite: $(VENV)/.test-installed
	$(PY) -m pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# Tests that only exercise external services (Apache, memcached) do not depend on the database.
test-postgres: $(VENV)/.test-installed
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest -q -m "not services" $(PYTEST_ARGS)

## The suite on every other supported (Python, Django) pair and on the oldest dependencies,
## on SQLite without the external-service tests (noxfile.py; a missing Python is skipped).
test-matrix: $(VENV)/.nox-installed
	$(VENV)/bin/nox $(NOX_ARGS)

$(VENV)/.nox-installed: $(VENV)/.test-installed
	$(PY) -m pip install --quiet 'nox>=2024.10.9'
	touch $@

system-packages:
	@scripts/ensure-system-packages

services:
	@scripts/ensure-services

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Print the benchmarks' figures (see bench/README.md); bench/pg_volume.py is run on its own.
bench: $(VENV)/.test-installed
	@scripts/ensure-system-packages goaccess
	$(PY) bench/parse_log.py
	$(PY) bench/pipe.py
	$(PY) bench/report.py
	$(PY) bench/vs_goaccess.py

clean:
	rm -rf $(VENV) .nox build *.egg-info .pytest_cache .ruff_cache .coverage htmlcov
