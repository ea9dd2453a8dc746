# mmlearn — two commands: `make lab` (set up + open JupyterLab) and `make test` (set up + all tests).
# Everything installs into .venv from requirements.txt; nothing else is needed but python3 and make.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Classroom kit (README "Teaching with mmlearn"): extra JupyterLab arguments for `make lab`, and
# the project's JupyterLab settings (no news pop-up, no update check) and IPython kernel
# configuration (mmlearn.notebook_hints) inside the environment.
LAB_ARGS     ?=
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/mmlearn.json

.PHONY: setup lab student html slides test unit notebooks browser lint execute bench clean

setup: $(STAMP) $(LAB_SETTINGS)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

# --- classroom kit: JupyterLab anywhere, the student and reading editions, the slides (tools/) ---
$(LAB_SETTINGS): tools/lab_overrides.json tools/ipython_kernel_config.py tools/lab.py | $(STAMP)
	$(PY) -m tools.lab --install-settings

lab: setup  ## open the notebooks in JupyterLab; as root, without a screen too; LAB_ARGS="--port=9999"
	$(PY) -m tools.lab $(LAB_ARGS)

student: setup  ## the student edition: exercises as stubs, no answers shown -> build/student/
	$(PY) -m tools.build_student

html: setup  ## the reading edition of every notebook, offline -> build/html/index.html
	$(PY) -m tools.build_html

slides: setup  ## lecture slides, one offline reveal.js deck per notebook -> build/slides/index.html
	$(PY) -m tools.build_slides
# --- end of the classroom kit ---------------------------------------------------------------------

test: setup lint  ## unit tests + every notebook under nbval + the real-browser test
	$(PY) -m pytest --doctest-modules mmlearn tests notebooks $(NBVAL)

unit: setup  ## unit tests only (fast)
	$(PY) -m pytest --doctest-modules mmlearn tests -m "not browser"

notebooks: setup  ## notebooks under nbval only
	$(PY) -m pytest notebooks $(NBVAL)

browser: setup  ## the JupyterLab + Chromium test only
	$(PY) -m pytest tests/browser

lint: setup  ## ruff: lint rules and formatting (checked here, never rewritten)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# JPY_SESSION_NAME tells the kernel which notebook it runs, as JupyterLab does, so that
# mmlearn.notebook_hints adds its NameError hint only where a cell above defines the name.
# Executed notebooks are cleaned (nbstripout, then tools/clean_notebook.py: a second run changes no
# byte) and their text sources, notebooks_text/*.md, rewritten (tools/notebook_text.py).
.PHONY: sync
NOTEBOOKS ?= notebooks/[0-9][0-9]_*.ipynb
execute: setup  ## re-execute the notebooks in place, in order, clean them, then `make sync`
	for nb in $(NOTEBOOKS); do \
	  JPY_SESSION_NAME="$(CURDIR)/$$nb" \
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
