# Zone Portal: `make run` and `make test` are all the set-up a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

# `make run` serves as production does, over plain http on this machine: DEBUG off, but no
# HTTPS redirect and no secure-only cookies (a reverse proxy with TLS sets those in production).
# Passed to the processes only; .env keeps DEBUG=1 for `make dev` and `make test`.
RUN_ENV := DEBUG=0 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 \
	SECURE_HSTS_SECONDS=0 SECURE_HSTS_INCLUDE_SUBDOMAINS=0 SECURE_HSTS_PRELOAD=0

.PHONY: help run dev test setup db demo lint format messages browser-deps bench clean static \
	secret-key chaos backup restore fuzz

help:
	@echo "make run    set up everything, load demo data, serve as production (gunicorn, Celery"
	@echo "            worker and beat under honcho) on http://$(HOST):$(PORT)"
	@echo "make dev    the same data, served by Django's auto-reloading runserver"
	@echo "make test   set up everything, then ruff and the whole pytest suite (browser tests too)"
	@echo "make bench  build a 10x database and print server times (see bench/README.md)"
	@echo "make backup | restore FILE=...   dated backup; restore into a fresh database"
	@echo "make chaos  restart a private PostgreSQL and Redis under load (bench/README.md)"
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

# A local secret key, generated once and kept in the git-ignored .env.
secret-key: .env $(STAMP)/venv
	@grep -q '^SECRET_KEY=' .env || { \
		echo "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" >> .env; \
		echo "Generated a local SECRET_KEY in .env"; }

static: setup secret-key
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v 0

run: demo static
	@mkdir -p var
	@echo "Zone Portal on http://$(HOST):$(PORT)/ — demo accounts in README.md; Ctrl-C stops all"
	@# honcho must not read .env itself: its DEBUG=1 would override RUN_ENV (Django reads .env).
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) $(RUN_ENV) \
		$(VENV)/bin/honcho start --procfile Procfile --port $(PORT) --env /dev/null

dev: demo
	@echo "Zone Portal (development) on http://$(HOST):$(PORT)/"
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

# A dated backup (database + uploaded files) in backups/; restore it into a fresh database.
backup: .env $(STAMP)/venv
	$(PY) scripts/backup.py backup

restore: .env $(STAMP)/venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<name>.tar [DATABASE=name]"; exit 2; }
	$(PY) scripts/backup.py restore "$(FILE)" $(if $(DATABASE),--database "$(DATABASE)")

# Restarts a PRIVATE PostgreSQL cluster and Redis (never the shared ones) under load.
chaos: setup
	$(PY) bench/chaos.py

# Not part of `make test`: many minutes, and it writes into its own database (README, "Fuzzing").
FUZZ_ARGS ?=
fuzz: setup
	$(PY) scripts/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) node_modules $(STAMP) staticfiles
