# 监督一张网 — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.base
# Set-up steps leave stamps here and are skipped while their inputs have not changed, so a second
# `make run` starts in seconds. Stamps of the database name it: another DATABASE_URL starts over.
VAR := $(or $(PORTAL_VAR_DIR),var)
STAMPS := $(VAR)/stamps
DB_KEY := $(shell printf '%s' "$(DATABASE_URL)" | md5sum | cut -c1-12)
MIGRATIONS := $(wildcard */migrations/*.py)
DEMO_INPUTS := $(wildcard demo/*.py demo/*/*.py demo/data/cases/*.toml demo/management/commands/*.py)
STATIC_INPUTS := $(shell find frontend/static $(filter-out $(VAR)/static,$(wildcard */static)) -type f 2>/dev/null)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

# The last line of a set-up step's recipe: one line saying what was done and how long it took
# (the steps themselves print only their errors and summaries). Make expands all the lines of a
# recipe before it runs the first, so the $(shell date) here is the time the step began.
done = @started=$(shell date +%s%N); ms=$$(( ($$(date +%s%N) - started) / 1000000 )); \
	printf '  %-38s %4d.%d s\n' '$(1)' $$((ms / 1000)) $$((ms % 1000 / 100))

.PHONY: run test venv venv-dev npm static catalogues migrate seed serve lint messages lock clean browser \
	forget-missing-database

## run: set everything up and serve the demo city on http://127.0.0.1:8000 (Ctrl-C stops it all)
# The set-up steps run two at a time (the two installs, then collectstatic beside the
# migrations): each keeps one core busy for most of its time. Each says in one line what it did
# and how long it took; the demo's records load after the portal answers (see serve).
run: export PORTAL_DEMO = 1
run: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
run:
	@echo "监督一张网: setting up (a first start takes two or three minutes; later ones skip what has not changed)"
	@$(MAKE) -s --no-print-directory -j2 venv npm
	@$(MAKE) -s --no-print-directory -j2 static catalogues seed
	$(call done,all set up)
	@$(SERVE)

## test: run the whole test suite (set DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL for real services)
test: export DJANGO_SETTINGS_MODULE = portal.settings.test
test: venv-dev npm browser catalogues
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/ruff check .
	$(BIN)/pytest

# uv (pinned in requirements.lock, bootstrapped by pip) installs a lock file in seconds where pip
# takes minutes; it is given the index pip is configured with. It compiles the bytecode as pip
# does: without it every process compiles what it imports, again at each start where
# PYTHONDONTWRITEBYTECODE is set (daphne then started in 16 s instead of 7). Where uv cannot be
# had or fails, pip installs the same lock.
UV := $(shell grep -m1 '^uv==' requirements.lock)
define install_lock
	@if $(BIN)/pip install --quiet "$(UV)" && \
	  index="$${PIP_INDEX_URL:-$$($(BIN)/pip config get global.index-url 2>/dev/null || true)}" && \
	  UV_DEFAULT_INDEX="$${index:-https://pypi.org/simple}" $(BIN)/uv pip install --quiet \
	    --compile-bytecode --python $(BIN)/python -r $(1); then :; else \
	  echo "uv did not install $(1): pip installs it"; \
	  $(BIN)/pip install --quiet --upgrade pip && $(BIN)/pip install --quiet -r $(1); \
	fi
endef

$(BIN)/.installed: requirements.lock
	@$(PYTHON) -m venv $(VENV)
	$(call install_lock,requirements.lock)
	@touch $@
	$(call done,Python packages installed)

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(call install_lock,requirements-dev.lock)
	@touch $@
	$(call done,Python packages for the tests installed)

venv: $(BIN)/.installed
venv-dev: $(BIN)/.installed-dev

frontend/node_modules/.installed: frontend/package-lock.json
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error >/dev/null  # errors go to stderr
	@touch $@
	$(call done,front-end packages installed)

npm: frontend/node_modules/.installed

# Browser tests drive Debian's Chromium; install it when missing and we may.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

# The collected files carry their own stamp: removing var/static collects again.
static: venv npm $(VAR)/static/.collected
$(VAR)/static/.collected: $(STATIC_INPUTS) frontend/node_modules/.installed $(BIN)/.installed
	@$(BIN)/python manage.py collectstatic --noinput -v 0
	@touch $@
	$(call done,static files collected)

# A missing SQLite file means a new database: its stamps go, and it is migrated and seeded again.
migrate seed: forget-missing-database
forget-missing-database:
	@if [ -z "$$DATABASE_URL" ] && [ ! -f "$(VAR)/portal.sqlite3" ]; then rm -f $(STAMPS)/*-$(DB_KEY); fi

migrate: venv
	@$(MAKE) -s --no-print-directory $(STAMPS)/migrated-$(DB_KEY)
$(STAMPS)/migrated-$(DB_KEY): $(MIGRATIONS) requirements.lock
	@$(BIN)/python manage.py migrate --noinput -v 0
	@mkdir -p $(STAMPS) && touch $@
	$(call done,database migrated)

# seed_demo is idempotent and takes seconds on a seeded database; the stamp saves even that.
# It skips Django's system checks (1–2 s of CPU): `migrate` runs them on every new database.
# The board's demo is seeded before serving; the linked-system records load beside the running
# portal (`serve` below), and resume there at every start until they are all in.
seed: venv migrate
	@$(MAKE) -s --no-print-directory $(STAMPS)/seeded-$(DB_KEY)
$(STAMPS)/seeded-$(DB_KEY): $(STAMPS)/migrated-$(DB_KEY) $(DEMO_INPUTS)
	@$(BIN)/python manage.py seed_demo --records-later --skip-checks
	@mkdir -p $(STAMPS) && touch $@
	$(call done,demo city seeded)

# daphne, a Celery worker and beat together (portal/serve.py): Ctrl-C stops all three within
# seconds, a second Ctrl-C at once; any one of them ending stops the others. Export links
# and Wagtail's notices point at this address unless PORTAL_BASE_URL says otherwise. In the
# demo (`make run`) the demo's records load beside them, and the search page shows how far.
# `run` serves with the same line, not through a make of its own: a make that Ctrl-C interrupts
# says so ("*** [run] Interrupt") after the supervisor's own "Stopped".
SERVE = exec $(BIN)/python -m portal.serve --host $(HOST) --port $(PORT) $(if $(filter 1,$(PORTAL_DEMO)),--demo-records)
serve: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
serve: venv
	@$(SERVE)

## lint: ruff over the whole tree
lint: venv-dev
	$(BIN)/ruff check .

I18N_IGNORE := --ignore=.venv --ignore=frontend/node_modules --ignore=var

# Compiled catalogues are build output, made from locale/*.po by GNU gettext's msgfmt, as
# compilemessages does, without starting Django for it.
# Extracting messages needs settings but no secret: the test settings will do.
messages: export DJANGO_SETTINGS_MODULE = portal.settings.test
catalogues: $(CATALOGUES)
$(CATALOGUES): %.mo: %.po
	@msgfmt --check-format -o $@ $<
	$(call done,translations compiled ($(notdir $<)))

## messages: refresh the Chinese catalogue from the code (then translate what is new)
messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans $(I18N_IGNORE) --no-obsolete --no-location
	$(BIN)/python manage.py makemessages -d djangojs -l zh_Hans $(I18N_IGNORE) --no-obsolete --no-location

## lock: re-resolve requirements*.in into the pinned lock files that installs use
lock:
	rm -rf var/lock-rt var/lock-all
	$(PYTHON) -m venv var/lock-rt && var/lock-rt/bin/pip install -q -r requirements.in
	$(PYTHON) -m venv var/lock-all && var/lock-all/bin/pip install -q -r requirements.in -r requirements-dev.in
	var/lock-rt/bin/pip freeze --exclude pip > requirements.lock
	comm -13 <(sort requirements.lock) <(var/lock-all/bin/pip freeze --exclude pip | sort) > requirements-dev.lock

clean:
	rm -rf $(VENV) frontend/node_modules var
