# Two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.13.9
STAMP := $(VENV)/.synced

export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test lint format install system-deps bench

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Re-sync only when the lock file changes.
$(STAMP): uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo --size demo
	EJOURNAL_BASE_DOMAIN=$${EJOURNAL_BASE_DOMAIN:-localhost:$(PORT)} $(BIN)/python manage.py demo_welcome --school 1399
	EJOURNAL_BASE_DOMAIN=$${EJOURNAL_BASE_DOMAIN:-localhost:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Real programs the tests drive: Chromium (browser tests) and LibreOffice (it must read our
# XLSX exports). Installed from Debian's packages when missing.
SYSTEM_PACKAGES := chromium libreoffice-calc-nogui
system-deps:
	@missing=""; \
	{ [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1; } || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages:$$missing (or CHROMIUM=/path/to/chrome)."; exit 1; \
	  fi; \
	fi

test: $(STAMP) system-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The hot pages against a bare response on one gunicorn, on a generated full school.
bench: $(STAMP)
	$(BIN)/python bench/run.py
