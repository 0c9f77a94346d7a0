# Two commands on a fresh machine: `make demo` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_REGION ?= 341282
DEMO_PEOPLE ?= 100000
DEMO_SEED ?= 1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jiuye

.PHONY: install demo serve test test-sqlite test-postgres test-live browser-deps system-deps lint bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# Migrate, load the reference data, generate the demo city (once) and serve it. DEBUG
# stays off (as in production): WhiteNoise serves the collected static files.
demo: export DEMO_PASSWORD := $(or $(DEMO_PASSWORD),jiuye-demo)
# No SMS gateway in the demo: sign-up codes are shown on the page (and in the log).
demo: export SHOW_CODES := $(or $(SHOW_CODES),1)
demo: install system-deps
	$(BIN)/python -m jiuye.createdb
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py generate_city --region $(DEMO_REGION) --people $(DEMO_PEOPLE) --seed $(DEMO_SEED)
	-$(BIN)/python manage.py evaluate_matching --save --examples 0
	$(BIN)/python manage.py keep_circles
	@echo "\n平台地址: http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	@# Django's deployment checklist, with the settings a production site sets (a throwaway key).
	DEBUG=0 HTTPS=1 ALLOWED_HOSTS=jiuye.example.gov.cn SECRET_KEY=$$($(BIN)/python -c \
	  "import secrets; print(secrets.token_urlsafe(50))") \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# The whole suite, against SQLite and against PostgreSQL, then the browser test.
test: lint test-sqlite test-postgres test-live

test-sqlite: install system-deps
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: install system-deps
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q

# PDFs (WeasyPrint) need Pango, and Chinese text a CJK font: installed with apt when
# missing (needs root, as on CI).
system-deps:
	@ldconfig -p | grep -q libpango-1.0 && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	   libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk)

# Browser tests drive Debian's Chromium (never a downloaded browser); CJK fonts so that
# screenshots show Chinese. Installed with apt when missing (needs root, as on CI).
browser-deps:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

# Browser and queue-worker tests, in their own session: they commit for real, which would
# wipe the shared test data. SQLite in a file, so the worker's own connections see the data.
test-live: install browser-deps
	env -u DATABASE_URL SQLITE_TEST_NAME=$(CURDIR)/var/test-live.sqlite3 $(BIN)/pytest -q -m live

bench: install
	$(BIN)/python bench/import.py --quick
