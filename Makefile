# The README's commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help venv install install-dev run demo test lint format check ci bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed  ## Create the virtualenv and install the service

install-dev: $(VENV)/.installed-dev  ## ... plus the test and lint tools

demo: install  ## Migrate, load the demo data, create one demo user per role and demo-admin (revokes earlier demo tokens)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_users

run: demo  ## Set up, load demo data, print demo tokens, serve API and admin on 127.0.0.1:8000
	@echo "API: http://$(HOST):$(PORT)/api/v1/  docs: http://$(HOST):$(PORT)/api/docs/  admin: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev  ## Install and run the whole test suite (SQLite, or PostgreSQL with DATABASE_URL)
	SCRM_ENV=test $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; \
	exit $$status

lint: install-dev  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev  ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install  ## Django system checks and migrations in sync with models
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev  ## Ingest benchmark against PostgreSQL (needs DATABASE_URL)
	$(PY) bench/ingest.py

clean:  ## Remove the virtualenv and local database
	rm -rf $(VENV) db.sqlite3 staticfiles
