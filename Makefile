# PlanVoice — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench bench-pg bench-faults translations compile-translations install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

compile-translations: $(STAMP)
	$(BIN)/pybabel compile -d translations >/dev/null

## run: set up, migrate, import the bundled plan, load demo data, serve on http://127.0.0.1:$(PORT)
# Links in e-mails point where this server listens, unless PUBLIC_URL is set in the environment.
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: compile-translations
	$(FLASK) db upgrade
	$(FLASK) plan import
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

## test: lint, then the whole suite, one worker per core (PLANVOICE_TEST_DATABASE_URL adds PostgreSQL)
test: compile-translations lint
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: gunicorn (2 workers) on a database holding the plan; prints req/s and latency
bench: compile-translations
	$(BIN)/python bench/run.py

## bench-pg: every page on PostgreSQL (ARGS=--dev, --rebuild, --only X); budgets, bench/results/*.json
bench-pg: compile-translations
	$(BIN)/python bench/pg.py $(ARGS)

## bench-faults: kill gunicorn and restart PostgreSQL under writes; lost = duplicated = 0 or exit 1
bench-faults: compile-translations
	$(BIN)/python bench/faults.py

## translations: extract messages, update both catalogs, fill English, compile
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --project PlanVoice --version 0.1 -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python translations/fill_english.py translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d translations >/dev/null

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
