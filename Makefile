# `make run` starts the app; `make test` installs everything the tests need and runs them.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8501
# Debian packages the tests drive: the browser, and a PostgreSQL server for the store's tests.
APT_PACKAGES ?= chromium postgresql

.PHONY: run test lint bench system-packages

$(VENV)/.installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/python -c "import kmeans_core; kmeans_core.warm_up()"
	$(VENV)/bin/python -m streamlit run app.py --server.port=$(PORT)

system-packages:
	@test -x /usr/bin/chromium && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed system-packages lint
	$(VENV)/bin/python -c "import kmeans_core; kmeans_core.warm_up()"
	$(VENV)/bin/python -m pytest

bench: $(VENV)/.installed
	for script in bench/*.py; do $(VENV)/bin/python $$script || exit 1; done
