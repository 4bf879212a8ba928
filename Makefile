# Cellules FWB — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test setup build venv node browser postgres libreoffice netns gettext test-core test-pyodide test-e2e lint grid bench clean

run: build
	$(PY) -m app serve --port $(PORT)

# The native and Pyodide suites run side by side (one process each: two cores), then the browser suite on
# two pytest-xdist workers (a test file stays on one worker: its module fixtures share one booted page).
# Each part prints how long it took; pytest prints its 25 slowest tests.
test: setup build
	$(VENV)/bin/ruff check app tools tests bench
	$(PY) -m tools.run_parts \
	  "native: $(PY) -m pytest tests --ignore=tests/e2e -q --durations=25" \
	  "pyodide: node tests/pyodide/run.mjs"
	time $(PY) -m pytest tests/e2e -q -n 2 --dist loadfile --durations=25 --reruns 1 --only-rerun "Target crashed"

setup: venv node browser postgres libreoffice netns gettext

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,grid]'
	touch $@

node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium drives the browser tests (Playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium (needed by the browser tests)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# Debian's PostgreSQL server: the Supabase tests start a throw-away cluster with it.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql (needed by the Supabase tests)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q postgresql; }

# ip and unshare: the live-sync tests make their own network namespace (a veth pair, no outside network).
netns:
	@command -v ip >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 || { \
	  echo "Installing Debian's iproute2 and util-linux (needed by the live-sync tests)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q iproute2 util-linux; }

# LibreOffice Calc, headless: tests/formats reads the CSV exports back through it (~30 s to install).
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing Debian's libreoffice-calc-nogui (needed by the CSV export tests)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
	    --no-install-recommends libreoffice-calc-nogui; }

# msgfmt: tests/lint/test_catalogues.py checks every catalogue of locale/ with `msgfmt --check`.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext (msgfmt checks the word catalogues)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q gettext; }

build: venv node
	$(PY) -m tools.build_site

grid: venv
	$(PY) -m tools.build_grid

bench: setup build
	$(PY) bench/boot.py

lint: venv
	$(VENV)/bin/ruff check app tools tests bench

clean:
	rm -rf build .cache
