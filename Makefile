# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
NOX_ARGS ?=

.PHONY: demo test test-sqlite test-postgres test-matrix lint format dist bench system-packages venv-package clean

# A stock Debian Python has no ensurepip, so `python3 -m venv` needs python3-venv first.
venv-package:
	@PYTHON=$(PYTHON) scripts/ensure-system-packages venv

$(VENV)/.demo-installed: pyproject.toml | venv-package
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | venv-package
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## Run the sample site on SQLite with the database live store: http://127.0.0.1:8000/admin/
demo: $(VENV)/.demo-installed
	$(PY) sample_site/manage.py migrate --noinput
	$(PY) sample_site/manage.py demo_setup
	$(PY) sample_site/manage.py runserver 127.0.0.1:8000

## Install what the tests need, then run the whole suite on SQLite and on PostgreSQL. The tests
## start every server they use (PostgreSQL, Redis, memcached, Apache, nginx) on free ports and
## stop it at the end; nothing needs to run before and nothing is left running after.
test: system-packages $(VENV)/.test-installed test-sqlite test-postgres

# The servers are the tests' own: a DATABASE_URL or REDIS_URL of the shell is not used.
test-sqlite: $(VENV)/.test-installed
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# On a throwaway PostgreSQL server (tests/fixtures/postgres.py). Tests that only exercise external
# services (Apache, memcached, Redis) do not depend on the database.
test-postgres: $(VENV)/.test-installed
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -p tests.fixtures.postgres -q -m "not services" $(PYTEST_ARGS)

## The suite on every other supported (Python, Django) pair and on the oldest dependencies,
## on SQLite without the external-service tests (noxfile.py; a missing Python is skipped).
test-matrix: $(VENV)/.nox-installed
	$(VENV)/bin/nox $(NOX_ARGS)

$(VENV)/.nox-installed: $(VENV)/.test-installed
	$(PY) -m pip install --quiet 'nox>=2024.10.9'
	touch $@

system-packages:
	@PYTHON=$(PYTHON) scripts/ensure-system-packages venv test

## Build the sdist and the wheel into dist/ (afresh: a stale *.egg-info adds files to the sdist).
dist: $(VENV)/.test-installed
	rm -rf dist build *.egg-info
	$(PY) -m build --outdir dist .

## ruff, then mypy: the package as pyproject.toml configures it (logs/ and live/ strict), and
## logs/ and live/ under mypy's own --strict, which may enable flags the configuration lists not.
lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --strict --follow-imports=silent --no-warn-unused-configs admin_hits/logs admin_hits/live

format: $(VENV)/.test-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Print the benchmarks' figures (see bench/README.md); bench/pg_volume.py is run on its own.
bench: $(VENV)/.test-installed
	@scripts/ensure-system-packages bench
	$(PY) bench/parse_log.py
	$(PY) bench/pipe.py
	$(PY) bench/report.py
	$(PY) bench/vs_goaccess.py

clean:
	rm -rf $(VENV) .nox build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache .coverage htmlcov
