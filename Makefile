# Satu Pintu. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEBIAN_PACKAGES := nodejs npm libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core

.PHONY: install run serve worker test lint bench clean messages

# Installs the pinned Python packages into .venv and the front-end assets from the npm
# registry. As root on Debian it first installs the system packages it needs.
install: $(BIN)/.installed node_modules/.installed

$(BIN)/.installed: requirements.lock
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && \
	  { ! command -v npm >/dev/null || ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1; }; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES); fi
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Install, migrate, load reference data, load demo data once, then serve with a worker.
# Demo seeding writes its notification e-mails to var/demo-mail/ (one file per message) instead
# of printing them; the running server keeps the console backend.
SEED := EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
  EMAIL_FILE_PATH=var/demo-mail $(BIN)/python manage.py
# Development: DEBUG=1 (and with it the development SECRET_KEY) unless the caller set DEBUG.
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	@$(SEED) load_reference
	@$(SEED) seed_demo --people 5000 --if-empty
	@$(SEED) load_framework --activate --if-none-in-force
	@$(SEED) seed_competency_demo
	@$(SEED) certificate_reminders
	@$(SEED) seed_need_demo --if-empty --match-registry
	@$(SEED) seed_logbook_demo --if-empty
	@$(SEED) seed_collaboration_demo
	@$(SEED) distribution_refresh
	@$(SEED) distribution_snapshot
	@$(SEED) load_incentive_example --if-empty
	@$(SEED) recompute_incentives
	@echo "E-mail pemberitahuan dari data demo disimpan di var/demo-mail/ (tidak dikirim)."
	@echo "Satu Pintu: http://$(HOST):$(PORT)/  (pekerja latar belakang dan penjadwal berjalan di samping server)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker --interval 1 & \
	  $(BIN)/python manage.py run_scheduler & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

# The suite runs in parallel, one process per core (pytest-xdist; each process has its own
# test database). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
# Type-checked strictly (pyproject [tool.mypy]); more packages join as they are annotated.
MYPY_PACKAGES := accounts registry imports
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/mypy $(MYPY_PACKAGES)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -n $(TEST_WORKERS)

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports --no-cache && \
	  DEBUG=1 $(BIN)/mypy $(MYPY_PACKAGES)

# English catalogues: extract every translatable string into each app's locale/en/LC_MESSAGES
# (project templates: locale/), keep the translations already there, compile the .mo files.
# Needs GNU gettext (Debian: gettext). Fill the new empty msgstr entries, then run it again.
MESSAGE_DIRS := -i .venv -i node_modules -i var -i tests -i bench -i static -i docs
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-location --no-obsolete --no-wrap $(MESSAGE_DIRS) -v0
	@# msgmerge's guesses from similar strings ("#, fuzzy") are wrong more often than right: empty them.
	@for po in $$(git ls-files '*/locale/en/LC_MESSAGES/django.po' 'locale/en/LC_MESSAGES/django.po'); do \
	  msgattrib --clear-fuzzy --empty --clear-previous --no-wrap --no-location -o $$po $$po; done
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en $(MESSAGE_DIRS) -v0

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var/test.sqlite3
