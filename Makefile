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

.PHONY: help venv sysdeps data reports test lint format clean-reports

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment and install the package

sysdeps: ## Install system libraries the PDF export needs (Pango), if missing
	@bash scripts/system-deps.sh

$(DATA)/truth.json: | $(VENV)/.installed
	$(VENV)/bin/kinerja generate-data --out $(DATA) --n-pegawai $(N_PEGAWAI) --seed $(SEED)

data: venv $(DATA)/truth.json ## Generate the synthetic Kotalama dataset into data/ if it is not there

reports: venv sysdeps data ## Write every period's report under reports/ (the main job)
	$(VENV)/bin/kinerja batch --data $(DATA) --out $(REPORTS) $(if $(WORKERS),--workers $(WORKERS),)

test: venv sysdeps ## Run the test suite
	$(PY) -m pytest

lint: venv ## Lint (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check kinerja_analysis tests bench notebooks

format: venv ## Format code and notebooks (ruff)
	$(VENV)/bin/ruff format kinerja_analysis tests bench notebooks

clean-reports: ## Remove generated reports
	find $(REPORTS) -mindepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} +
