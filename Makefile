# `make run` starts the app; `make test` installs everything the tests need and runs them.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8501

.PHONY: run test bench chromium

$(VENV)/.installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/python -m streamlit run app.py --server.port=$(PORT)

chromium:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

test: $(VENV)/.installed chromium
	$(VENV)/bin/python -m pytest

bench: $(VENV)/.installed
	for script in bench/*.py; do $(VENV)/bin/python $$script || exit 1; done
