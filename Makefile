# Maillage — the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
# The first Python >= 3.12 found (pyenv selects 3.13 inside the repository, see .python-version).
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.txt | md5sum | cut -c1-12)
DEMO_DB := var/maillage.sqlite3
# The demo: tracebacks, and the printed passwords alone open every account (see the README).
# Its places stay at their communes' centres or where staff put them: no address is sent out.
DEMO_ENV := DEBUG=true TWO_FACTOR_REQUIRED=false GEOCODER_BACKEND=maillage.network.geocoding.NoGeocoder
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: install demo serve test test-fast test-postgres check format lint typecheck messages bench bench-quick bench-import bench-open-data bench-places production-run load-run clean

install: $(STAMP)

$(STAMP): requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "Maillage needs Python 3.12 or newer: none was found."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

## Build a clean demo database (territories + demo dataset) and serve it on http://localhost:8000
demo: install
	@mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DEMO_ENV) $(PY) manage.py migrate --verbosity 0
	$(DEMO_ENV) $(PY) manage.py load_territories
	$(DEMO_ENV) $(PY) manage.py demo
	@$(MAKE) --no-print-directory serve

## Serve the existing database without rebuilding it, with the tasks worker beside it (e-mails,
## imports); Ctrl+C stops both
serve: install
	@echo "Maillage est servi sur http://localhost:8000 (Ctrl+C pour arrêter)."
	@$(DEMO_ENV) $(PY) manage.py db_worker --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEMO_ENV) $(PY) manage.py runserver localhost:8000

## The whole suite, browser tests included
test: install
	@bash scripts/ensure-chromium.sh
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## Everything but the browser tests
test-fast: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e" $(PYTEST_ARGS)

## The database tests again, on a throwaway PostgreSQL cluster
test-postgres: install
	bash scripts/test-postgres.sh -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## Lint, format (Python and templates), types, migrations, deployment checks
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/mypy config maillage tests
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=false HTTPS=true EMAIL_BACKEND=smtp SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=maillage.example.org $(PY) manage.py check --deploy --fail-level WARNING

## Time the territory loader (must stay under 30 s) and the demo builder on a scratch SQLite
## database, then the national-scale benchmark on a throwaway PostgreSQL (docs/performance.md;
## BENCH_SCALE=0.01 for a quick run)
bench: install
	@rm -f var/bench.sqlite3 var/bench.sqlite3-wal var/bench.sqlite3-shm
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) manage.py migrate --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) manage.py load_territories
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) manage.py demo | head -n 1
	@rm -f var/bench.sqlite3 var/bench.sqlite3-wal var/bench.sqlite3-shm
	bash scripts/bench.sh
	$(MAKE) --no-print-directory bench-import
	$(MAKE) --no-print-directory bench-open-data
	$(MAKE) --no-print-directory bench-places

## Every benchmark at a tiny scale (under a minute): CI runs it so that they keep working
bench-quick: install
	BENCH_SCALE=0.001 BENCH_RUNS=3 bash scripts/bench.sh
	EQUIPMENT_SALES=2000 bash scripts/bench-equipment.sh
	IMPORT_BENCH_ROWS=200 $(MAKE) --no-print-directory bench-import
	OPEN_DATA_BENCH_PLACES=500 $(MAKE) --no-print-directory bench-open-data
	PLACES_BENCH_PLACES=500 PLACES_BENCH_ROUNDS=5 $(MAKE) --no-print-directory bench-places

## Import a file of 5,000 people on a scratch SQLite database, twice (docs/performance.md)
bench-import: install
	@rm -f var/bench-import.sqlite3 var/bench-import.sqlite3-wal var/bench-import.sqlite3-shm
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-import.sqlite3 $(PY) manage.py migrate --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-import.sqlite3 $(PY) scripts/bench_import.py
	@rm -f var/bench-import.sqlite3 var/bench-import.sqlite3-wal var/bench-import.sqlite3-shm

## The open data's files streamed with OPEN_DATA_BENCH_PLACES public places (20,000): time and memory
bench-open-data: install
	@rm -f var/bench-open-data.sqlite3 var/bench-open-data.sqlite3-wal var/bench-open-data.sqlite3-shm
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-open-data.sqlite3 $(PY) manage.py migrate --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-open-data.sqlite3 $(PY) scripts/bench_open_data.py
	@rm -f var/bench-open-data.sqlite3 var/bench-open-data.sqlite3-wal var/bench-open-data.sqlite3-shm

bench-places: install
	@rm -f var/bench-places.sqlite3 var/bench-places.sqlite3-wal var/bench-places.sqlite3-shm
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-places.sqlite3 $(PY) manage.py migrate --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-places.sqlite3 $(PY) scripts/bench_places.py
	@rm -f var/bench-places.sqlite3 var/bench-places.sqlite3-wal var/bench-places.sqlite3-shm

## Production settings on a throwaway PostgreSQL: migrate, collectstatic, check --deploy,
## gunicorn (2 workers) and the tasks worker, then a smoke test signing in with the second factor
production-run: install
	bash scripts/production-run.sh

## The demo served as in production (PostgreSQL, gunicorn with 2 workers), then wrk on each
## field screen and the dashboard: 50 connections for LOAD_SECONDS (60) each (docs/performance.md)
load-run: install
	bash scripts/load-run.sh

## Update the English catalogue after changing French strings, then compile it
messages: install
	$(PY) manage.py makemessages -l en -l uk -l ar --ignore=.venv --ignore=tests --ignore=static --no-obsolete
	$(PY) manage.py compilemessages -l en -l uk -l ar --ignore=.venv

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat

clean:
	rm -rf $(VENV) var/static .mypy_cache .ruff_cache
