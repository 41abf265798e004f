# `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Serving needs the runtime dependencies only; testing and linting need the dev tools too.
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEV_STAMP := $(VENV)/.dev-stamp
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint test-sqlite test-postgres reliability bench clean messages compilemessages

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(DEV_STAMP)

# Every process `run` starts sees HOST and PORT, so the links in mail point where it serves.
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: $(RUNTIME_STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@# The relay loop delivers retries and anything a crash left behind; it stops with the server.
	$(BIN)/python manage.py relay_events --interval 5 & relay=$$!; \
	trap 'kill $$relay 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-value-for-the-check \
		ALLOWED_HOSTS=helpdesk.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: install
	$(BIN)/pytest

# The adapter, API and event tests again, on PostgreSQL (skipped with a reason if it is not
# running, unless REQUIRE_SERVICES=1).
test-postgres: install
	@status=0; $(BIN)/python -m tests.support.services postgres || status=$$?; \
	if [ $$status -eq 0 ]; then \
		DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -m "not browser" \
			--ignore=tests/domain --ignore=tests/service --ignore=tests/test_spec_runner.py; \
	elif [ $$status -eq 1 ]; then exit 1; fi

# The reliability suite alone (tests/reliability/), on PostgreSQL; `make test` runs it too.
reliability: install
	@status=0; $(BIN)/python -m tests.support.services postgres || status=$$?; \
	if [ $$status -eq 0 ]; then \
		DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -m reliability -p no:cacheprovider; \
	elif [ $$status -eq 1 ]; then exit 1; fi

# Translations (docs/configuration.md, "Languages"): `make messages` refreshes the catalogues
# under locale/ from the code and templates, `make compilemessages` compiles them. Both need
# Debian's gettext. The compiled .mo files are committed, so `make run` needs no gettext.
LOCALES ?= de
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=deploy

messages: $(DEV_STAMP)
	$(BIN)/python manage.py makemessages $(foreach l,$(LOCALES),--locale=$(l)) --domain=django \
		--add-location=file --no-obsolete $(I18N_IGNORE)

compilemessages: $(RUNTIME_STAMP)
	$(BIN)/python manage.py compilemessages $(foreach l,$(LOCALES),--locale=$(l)) $(I18N_IGNORE)

clean:
	rm -rf $(VENV) var
