# Zone Portal: `make run` and `make test` are all the set-up a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help run test setup db demo lint format messages browser-deps bench fuzz clean

help:
	@echo "make run    set up everything, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   set up everything, then ruff and the whole pytest suite (browser tests too)"
	@echo "make bench  build a 10x database and print server times (see bench/README.md)"
	@echo "make fuzz   schemathesis against a live server, as superuser and liaison (slow)"
	@echo "make lint | format | demo | messages"

.env:
	cp .env.example .env

$(STAMP):
	mkdir -p $(STAMP)

$(STAMP)/venv: requirements.txt requirements-dev.txt | $(STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(STAMP)/npm: package.json package-lock.json | $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# gettext's msgfmt compiles the English catalogue.
messages: $(STAMP)/venv
	@command -v msgfmt >/dev/null || scripts/apt_install.sh gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

setup: .env $(STAMP)/venv $(STAMP)/npm messages db

db: .env $(STAMP)/venv
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_reference_data

demo: setup
	$(PY) manage.py load_demo

run: demo
	@echo "Zone Portal on http://$(HOST):$(PORT)/ — demo accounts in README.md"
	$(PY) manage.py runserver $(HOST):$(PORT)

browser-deps:
	@command -v chromium >/dev/null || scripts/apt_install.sh chromium
	@fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || scripts/apt_install.sh fonts-wqy-microhei

lint: $(STAMP)/venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)/venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: setup browser-deps lint
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

# Not part of `make test`: many minutes, and it writes into its own database (README, "Fuzzing").
FUZZ_ARGS ?=
fuzz: setup
	$(PY) scripts/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) node_modules $(STAMP) staticfiles
