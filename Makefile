# 监督一张网 — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.base

.PHONY: run test venv venv-dev npm static catalogues migrate seed serve lint messages lock clean browser

## run: set everything up and serve the demo city on http://127.0.0.1:8000 (Ctrl-C stops it all)
run: export PORTAL_DEMO = 1
run: venv npm static catalogues migrate seed serve

## test: run the whole test suite (set DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL for real services)
test: export DJANGO_SETTINGS_MODULE = portal.settings.test
test: venv-dev npm browser catalogues
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/ruff check .
	$(BIN)/pytest

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

venv: $(BIN)/.installed
venv-dev: $(BIN)/.installed-dev

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

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

static: venv npm
	$(BIN)/python manage.py collectstatic --noinput -v 0

migrate: venv
	$(BIN)/python manage.py migrate --noinput -v 0

seed: venv
	$(BIN)/python manage.py seed_demo

# daphne, a Celery worker and beat together; Ctrl-C (or any one of them dying) stops all three.
serve: venv
	@echo "监督一张网: http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A portal worker --loglevel=warning --concurrency=2 & \
	$(BIN)/celery -A portal beat --loglevel=warning & \
	$(BIN)/daphne -b $(HOST) -p $(PORT) portal.asgi:application & \
	wait -n

## lint: ruff over the whole tree
lint: venv-dev
	$(BIN)/ruff check .

I18N_IGNORE := --ignore=.venv --ignore=frontend/node_modules --ignore=var

# Compiled catalogues are build output, made from locale/*.po (GNU gettext's msgfmt).
# Compiling and extracting messages needs settings but no secret: the test settings will do.
catalogues messages: export DJANGO_SETTINGS_MODULE = portal.settings.test
catalogues: venv
	$(BIN)/python manage.py compilemessages -l zh_Hans $(I18N_IGNORE) -v 0

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
