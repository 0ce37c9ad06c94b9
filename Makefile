# Fangxian: `make run` sets everything up and starts the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FX := $(VENV)/bin/fangxian
VENDOR := static/vendor
PYTEST := $(VENV)/bin/pytest
PYTEST_ARGS ?= -q

# Run pytest ($(1): a command prefix). pytest exits 5 when it collects no tests (a -k or -m filter
# that matches nothing, a run before any test exists): say so and go on. Every other non-zero
# status (failures 1, errors or interruption 2, internal 3, usage 4) fails the target.
define run-pytest
	$(1) $(PYTEST) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; else exit $$status; fi
endef

.PHONY: run setup venv npm vendor migrate demo serve test test-sqlite test-postgres check lint format messages bench bench-pg system-test-deps clean

run: setup demo serve

setup: venv vendor migrate

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

npm: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: npm
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/

migrate: venv
	$(FX) manage migrate --noinput

demo: setup
	$(FX) demo

serve: setup
	$(FX) serve

# Debian packages the browser tests and the PostgreSQL run need (installed only when missing).
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: setup system-test-deps check test-sqlite test-postgres

# SQLite even when the environment names another database.
test-sqlite: setup
	$(call run-pytest,env -u DATABASE_URL)

# A throwaway PostgreSQL server for the run (scripts/with-postgres.sh sets DATABASE_URL).
test-postgres: setup system-test-deps
	$(call run-pytest,scripts/with-postgres.sh)

check: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(FX) manage makemigrations --check --dry-run
	$(PY) scripts/check_messages.py

lint: check

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv
	$(FX) manage makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=static
	$(FX) manage compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

bench: setup
	$(PY) -m bench

# The same on a throwaway PostgreSQL server, at the sizes issue 5 names (10 M scans, 1 M people:
# about half an hour on 2 cores); FANGXIAN_BENCH_ONLY=places runs only the place-code cases.
bench-pg: setup system-test-deps
	scripts/with-postgres.sh $(PY) -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
