# mmlearn — two commands: `make lab` (set up + open JupyterLab) and `make test` (set up + all tests).
# Everything installs into .venv from requirements.txt; nothing else is needed but python3 and make.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test unit notebooks browser lint execute bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

LAB_ARGS ?=
lab: setup  ## open the notebooks in JupyterLab; more options: make lab LAB_ARGS="--port=8890"
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/

test: setup lint  ## unit tests + every notebook under nbval + the real-browser test
	$(PY) -m pytest --doctest-modules mmlearn tests notebooks $(NBVAL)

unit: setup  ## unit tests only (fast)
	$(PY) -m pytest --doctest-modules mmlearn tests -m "not browser"

notebooks: setup  ## notebooks under nbval only
	$(PY) -m pytest notebooks $(NBVAL)

browser: setup  ## the JupyterLab + Chromium test only
	$(PY) -m pytest tests/browser

lint: setup  ## ruff: lint rules (checked here, never rewritten)
	$(PY) -m ruff check .

# Executed notebooks are cleaned (nbstripout, then tools/clean_notebook.py: a second run changes no
# byte) and their text sources, notebooks_text/*.md, rewritten (tools/notebook_text.py).
.PHONY: sync
NOTEBOOKS ?= notebooks/[0-9][0-9]_*.ipynb
execute: setup  ## re-execute the notebooks in place, in order, clean them, then `make sync`
	for nb in $(NOTEBOOKS); do \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=120 "$$nb" || exit 1; \
	  $(VENV)/bin/nbstripout --keep-output --keep-count "$$nb" || exit 1; \
	  $(PY) -m tools.clean_notebook "$$nb" || exit 1; \
	done
	$(PY) -m tools.notebook_text

sync: setup  ## rewrite the notebooks' text sources (notebooks_text/*.md) from the notebooks
	$(PY) -m tools.notebook_text

bench: setup  ## speed and latency measurements (not tests)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
