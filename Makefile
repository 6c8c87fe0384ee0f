# kinerja — one entry point. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= data/kotalama
REPORTS ?= reports
N_PEGAWAI ?= 6000
SEED ?= 2025
WORKERS ?=

.PHONY: help venv lock sysdeps data reports test lint format clean-reports

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

# The environment is installed from the lock files (exact versions, sha256 hashes checked),
# never resolved afresh: pip installs uv from requirements-tools.lock, uv makes the venv
# match requirements.lock exactly (`uv pip sync`), then installs this package in editable
# mode without looking at its dependencies again. `make lock` rewrites the lock files.
# Python writes bytecode on first import, for the modules a run uses; where that is
# switched off (PYTHONDONTWRITEBYTECODE), every import would compile afresh, so compile all
# of site-packages at install instead (about 25 s on 2 cores), as pip does.
UV := $(VENV)/bin/uv
LOCK := requirements.lock
TOOLS_LOCK := requirements-tools.lock
UV_BYTECODE := $(if $(PYTHONDONTWRITEBYTECODE),--compile-bytecode,)
export UV_PYTHON_DOWNLOADS := never

$(VENV)/.tools: $(TOOLS_LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(TOOLS_LOCK)
	@touch $@

# JupyterLab's default viewer for notebooks/*.py (an editable install skips data files)
LABCONFIG := jupyter-config/labconfig/default_setting_overrides.json

$(VENV)/.installed: $(VENV)/.tools $(LOCK) pyproject.toml $(LABCONFIG)
	$(UV) pip sync --quiet --python $(PY) --require-hashes $(UV_BYTECODE) $(LOCK)
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	install -D -m 644 $(LABCONFIG) $(VENV)/etc/jupyter/labconfig/default_setting_overrides.json
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment and install the package from the lock

lock: $(VENV)/.tools ## Re-resolve pyproject.toml into the lock files and environment.yml (UPGRADE=1: newest releases)
	$(PY) scripts/lock.py $(if $(UPGRADE),--upgrade,)

sysdeps: ## Install system libraries the PDF export needs (Pango), if missing
	@bash scripts/system-deps.sh

$(DATA)/truth.json: | $(VENV)/.installed
	$(VENV)/bin/kinerja generate-data --out $(DATA) --n-pegawai $(N_PEGAWAI) --seed $(SEED)

data: venv $(DATA)/truth.json ## Generate the synthetic Kotalama dataset into data/ if it is not there

reports: venv sysdeps data ## Write every period's report under reports/ (the main job)
	$(VENV)/bin/kinerja batch --data $(DATA) --out $(REPORTS) $(if $(WORKERS),--workers $(WORKERS),)

# The suite runs in one process per CPU (pytest-xdist), a test file per process at a time
# so that a file's module fixtures (its synthetic city, its batch) are made once.
test: venv sysdeps ## Run the test suite
	$(PY) -m pytest -n auto --dist loadfile

lint: venv ## Lint (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check kinerja_analysis tests bench notebooks

format: venv ## Format code and notebooks (ruff)
	$(VENV)/bin/ruff format kinerja_analysis tests bench notebooks

clean-reports: ## Remove generated reports
	find $(REPORTS) -mindepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} +
