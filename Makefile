# Two commands matter: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON311 ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
PIP_FLAGS := --disable-pip-version-check --progress-bar off -q

.PHONY: setup run test test-fast bench eval lint format clean help cluster load

help:
	@echo "make run    - set up, build the demo catalogue and models, start the assistant"
	@echo "make test   - set up and run the whole test suite"
	@echo "make bench  - benchmarks -> bench/results.json and bench/results.md"
	@echo "make lint   - ruff"

setup: $(VENV)/.installed $(RASA_VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON311) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || \
	  { echo "Python 3.11 is needed (set PYTHON311=/path/to/python3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) torch==2.13.0
	$(PY) -m pip install $(PIP_FLAGS) -c constraints.txt -e '.[dev]'
	touch $@

$(RASA_VENV)/.installed: bot/requirements.txt bot/constraints.txt
	@python310=$$(scripts/find-python310.sh) || exit 1; \
	  test -x $(RASA_VENV)/bin/python || $$python310 -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(RASA_VENV)/bin/python -m pip install $(PIP_FLAGS) -c bot/constraints.txt -r bot/requirements.txt
	touch $@

run: setup
	$(VENV)/bin/shopguide run

# Two Rasa servers and two action servers behind nginx, sharing Redis and Chroma (needs nginx and
# redis-server: sudo apt-get install -y nginx redis-server); logs in var/cluster/logs
cluster: setup
	$(VENV)/bin/shopguide cluster

# 50 locust shoppers x 20 turns against a fresh cluster, then every tracker checked in Redis:
# bench/results-load.json and bench/results-load.md
load: setup
	$(PY) -m bench.load

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

# About an hour on 2 cores, most of it filling Chroma to 1M items twice (embedded and server)
bench: setup
	$(PY) -m bench.run --sizes 10000,100000,1000000 --queries 100

# Multimodal model evaluation on ../shared/data (or SHOPGUIDE_SHARED_DATA): reports/eval/myntra/
SHARED_DATA ?= $(or $(SHOPGUIDE_SHARED_DATA),../shared/data)
eval: setup
	$(VENV)/bin/shopguide eval $(SHARED_DATA)/myntra/catalog_with_images.csv --name myntra \
	  --map title=productDisplayName,category=articleType,colours=baseColour \
	  --photos $(SHARED_DATA)/clothing-cc0 --brand-from-title
	$(VENV)/bin/shopguide eval-personalisation $(SHARED_DATA)/myntra/catalog_with_images.csv --tune \
	  --map title=productDisplayName,category=articleType,colours=baseColour
	$(VENV)/bin/shopguide eval-nlu --extra-seeds 2

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var
