# Two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.13.9
# What running needs, and that plus the development tools (pytest, ruff, mypy, Playwright).
RUNTIME := $(VENV)/.synced-runtime
DEV := $(VENV)/.synced-dev

export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run reset test lint format install system-deps bench-deps bench api-schema

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Each set is synced again only when the lock changes. --inexact keeps what the other set (and
# uv itself) installed: `make run` after `make test` keeps the tools, and the dev set includes
# the runtime one, so it stamps both.
$(RUNTIME): uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --no-dev --python $(BIN)/python
	touch $(RUNTIME)

$(DEV): uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $(RUNTIME) $(DEV)

install: $(DEV)

run: $(RUNTIME)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo --size demo
	EJOURNAL_BASE_DOMAIN=$${EJOURNAL_BASE_DOMAIN:-localhost:$(PORT)} $(BIN)/python manage.py demo_welcome --school 1399
	EJOURNAL_BASE_DOMAIN=$${EJOURNAL_BASE_DOMAIN:-localhost:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The demo afresh: the next `make run` seeds a new demo school. Only the SQLite demo database
# is deleted (with its letters and uploaded files), never one named by DATABASE_URL.
reset:
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "DATABASE_URL is set: make reset deletes only the SQLite demo (db.sqlite3)."; exit 1; \
	fi
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	rm -rf var/mail var/media

# Real programs the tests drive: Chromium (browser tests) and LibreOffice (it must read our
# XLSX exports). Installed from Debian's packages when missing.
SYSTEM_PACKAGES := chromium libreoffice-calc-nogui
# Debian packages, installed when missing (as root with apt-get): $(call apt-ensure,command:package ...)
define apt-ensure
	@missing=""; \
	for pair in $(1); do cmd="$${pair%%:*}"; \
	  command -v "$$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$$cmd" ] || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "This needs these Debian packages:$$missing"; exit 1; \
	  fi; \
	fi
endef

# The browser tests' Chromium (or CHROMIUM=/path/to/chrome), LibreOffice to read the XLSX, and
# PgBouncer for the replica tests (which start their own PostgreSQL pair with the server's tools).
system-deps:
	$(call apt-ensure,$(if $(CHROMIUM),,chromium:chromium) soffice:libreoffice-calc-nogui pgbouncer:pgbouncer)

bench-deps:
	$(call apt-ensure,wrk:wrk psql:postgresql-client)

test: $(DEV) system-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy .
	$(BIN)/lint-imports --no-logo

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The hot paths under wrk against a bare Django view, on PostgreSQL and Redis (bench/run.py).
bench: $(RUNTIME) bench-deps
	QUICK=$(QUICK) BENCH_SETUP=$(BENCH_SETUP) $(BIN)/python bench/run.py

# Refresh the checked-in OpenAPI document of /api/v1 after changing the API; review its diff.
api-schema: $(DEV)
	EJOURNAL_API_SNAPSHOT=refresh $(BIN)/pytest ejournal/api/tests/test_openapi.py -q -p no:cacheprovider
