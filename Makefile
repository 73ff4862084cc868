# The one place that knows how to set up, run and test qwensite.
# `make serve` and `make test` are the README's two commands.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/qwensite
REDIS_TEST_URL ?= redis://127.0.0.1:6379/8
# The suite runs in this many processes (pytest-xdist), a test file to a process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
export PLAYWRIGHT_BROWSERS_PATH := 0
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: serve test install setup-db browser lint format check migrations-check \
        test-sqlite test-postgres editor clean bench loadtest schemathesis audit

## serve: set everything up, load the document's content and serve http://127.0.0.1:8000
serve: install setup-db
	DJANGO_DEBUG=true $(MANAGE) runserver $(HOST):$(PORT)

## test: set everything up and run every check and the whole suite on SQLite and PostgreSQL
test: install browser lint check migrations-check schemathesis test-sqlite test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

setup-db: $(VENV)/.installed
	DJANGO_DEBUG=true $(MANAGE) migrate --noinput
	DJANGO_DEBUG=true $(MANAGE) loaddata fixtures/qwen_history.json

# Browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless; }

## editor: create an editor account (asks for a username and a password)
editor: install setup-db
	@read -p "Editor username: " username && DJANGO_DEBUG=true $(MANAGE) create_editor "$$username"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.installed
	DJANGO_DEBUG=true $(MANAGE) check
	DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-django \
	  DJANGO_ALLOWED_HOSTS=qwensite.example.org DJANGO_SITE_URL=https://qwensite.example.org \
	  REDIS_URL=redis://127.0.0.1:6379/0 DJANGO_TRUSTED_PROXY_COUNT=1 \
	  $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_DEBUG=true $(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

migrations-check: $(VENV)/.installed
	DJANGO_DEBUG=true $(MANAGE) makemigrations --check --dry-run

test-sqlite: install
	REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$(REDIS_TEST_URL) REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## bench: the performance benchmark (gunicorn + wrk, 1k and 100k releases); not part of `make test`
bench: install
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

## audit: Lighthouse (phone) on home, catalogue, a release page and the article; not part of `make test`
audit: install
	$(BIN)/python -m benchmarks.audit $(AUDIT_ARGS)

## loadtest: 60 s of mixed reads at 64 connections with edits landing; fails on any error or stale page
loadtest: install
	$(BIN)/python -m benchmarks.loadtest $(LOADTEST_ARGS)

# schemathesis: fuzz the API against its own OpenAPI document, on a real server (gunicorn,
# production settings, the document's content in a throwaway SQLite database, a free loopback
# port), deterministically, with a bounded number of examples per operation. First as an
# anonymous client with every check; then the writes again as an editor with a token, so that
# they are fuzzed past authentication too, with every check but positive_data_acceptance (a
# schema cannot state the model's own rules, such as "a month-precision date is the first of
# the month", which answer 400).
SCHEMATHESIS_EXAMPLES ?= 10
SCHEMATHESIS_RUN = $(BIN)/schemathesis run http://127.0.0.1:$$port/api/v1/schema/ --wait-for-schema 30 \
	--max-examples $(SCHEMATHESIS_EXAMPLES) --generation-deterministic --no-color --workers 1
EDITOR_TOKEN = from django.contrib.auth.models import Permission, User; \
	from rest_framework.authtoken.models import Token; \
	user = User.objects.create(username="schemathesis-editor"); \
	user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["releases", "articles"])); \
	print(Token.objects.create(user=user).key)
schemathesis: install
	@set -eu; tmp=$$(mktemp -d); \
	port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	export DATABASE_URL="sqlite:///$$tmp/api.sqlite3" DJANGO_SECRET_KEY="schemathesis-$$(date +%s)-throwaway-key-for-a-loopback-server" \
	  DJANGO_SECURE_SSL_REDIRECT=false DJANGO_API_ANON_RATE=1000000/minute DJANGO_AXES_ENABLED=false; \
	$(MANAGE) migrate --noinput -v 0; $(MANAGE) loaddata fixtures/qwen_history.json -v 0; \
	$(MANAGE) collectstatic --noinput -v 0; \
	token=$$($(MANAGE) shell -v 0 -c '$(EDITOR_TOKEN)'); \
	$(BIN)/gunicorn qwensite.wsgi --bind 127.0.0.1:$$port --workers 2 --log-level warning --pid $$tmp/server.pid & \
	trap 'kill $$(cat $$tmp/server.pid 2>/dev/null) 2>/dev/null; wait; rm -rf $$tmp' EXIT; \
	$(SCHEMATHESIS_RUN) --checks all; \
	$(SCHEMATHESIS_RUN) --checks all --exclude-checks positive_data_acceptance -H "Authorization: Token $$token" \
	  --include-method POST --include-method PUT --include-method PATCH --include-method DELETE

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 audit
