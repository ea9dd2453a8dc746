"""mmlearn.notebook_hints: a NameError from a cell run too early says "run the cells above first",
in a real kernel, from the first cell on (the kernel configuration ``make setup`` installs), and
after ``import mmlearn`` (Colab and other set-ups)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from IPython.core import application
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from mmlearn import notebook_hints
from tools import lab

HINT = "run the cells above first"


def test_the_names_a_cell_defines():
    source = "%matplotlib inline\nimport numpy as np\nimport os.path\nfor i in []: pass\n"
    source += "def f(): pass\nclass C: pass\na, (b, c) = 1, (2, 3)\nd += 1\n"
    assert notebook_hints.defined_names(source) == {"np", "os", "i", "f", "C", "a", "b", "c", "d"}
    assert notebook_hints.defined_names("x = (") == set()


def _notebook_file(tmp_path, *sources) -> Path:
    path = tmp_path / "lesson.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in sources]), path)
    return path


def test_the_hint_names_only_what_a_cell_above_defines(tmp_path):
    path = _notebook_file(tmp_path, "import mmlearn as mm", "mm.losses", "later = 1")
    assert "'mm' is defined in a cell above" in notebook_hints.hint("mm", path, "mm.losses")
    assert notebook_hints.hint("later", path, "mm.losses") is None  # defined below, not above
    assert notebook_hints.hint("typo", path, "mm.losses") is None
    # a cell edited since the notebook was saved: every code cell counts as above
    assert notebook_hints.hint("later", path, "mm.losses  # edited") is not None
    # no notebook known (Colab, a console): the hint says "if"
    assert notebook_hints.hint("mm", None, "mm.losses").startswith("If 'mm' is defined")
    assert notebook_hints.hint("mm", tmp_path / "missing.ipynb", "").startswith("If 'mm'")


def test_the_kernel_configuration_is_where_ipython_reads_it():
    assert str(lab.kernel_config_path().parent) in (
        application.ENV_CONFIG_DIRS + application.SYSTEM_CONFIG_DIRS
    )


def _config_extensions(monkeypatch, spec) -> list:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    c = Config()
    c.InteractiveShellApp.extensions = []
    exec(lab.KERNEL_CONFIG.read_text(), {"c": c})
    return list(c.InteractiveShellApp.extensions)


def test_the_configuration_loads_the_hints_only_when_this_mmlearn_is_installed(monkeypatch):
    import importlib.util

    ours = importlib.util.find_spec("mmlearn")
    assert _config_extensions(monkeypatch, ours) == ["mmlearn.notebook_hints"]
    assert _config_extensions(monkeypatch, None) == []  # no mmlearn: a kernel as usual
    other = importlib.machinery.ModuleSpec("mmlearn", None, is_package=True)
    other.submodule_search_locations = [str(Path(sys.prefix))]  # another package of that name
    assert _config_extensions(monkeypatch, other) == []


def _run(cells: list[str], cwd: Path, session: Path | None = None, config=True) -> list:
    """Execute ``cells`` in a fresh kernel of this environment (started with the kernel
    configuration, as ``make setup`` installs it, unless ``config`` is False: then no extension
    is loaded at start, even where ``make setup`` has installed the configuration); each cell's
    outputs."""
    nb = new_notebook(cells=[new_code_cell(s) for s in cells])
    # the command line wins over every configuration file IPython reads
    arguments = [
        f"--config={lab.KERNEL_CONFIG}" if config else "--InteractiveShellApp.extensions=[]"
    ]
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    if session is not None:
        env["JPY_SESSION_NAME"] = str(session)
    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        extra_arguments=arguments,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=env)
    return [cell.outputs for cell in nb.cells]


def _shown(outputs) -> str:
    return "".join(
        o.get("text", "") + "".join(o.get("traceback", [])) + o.get("evalue", "") for o in outputs
    )


def test_a_fresh_kernel_adds_the_hint_before_any_cell_imported_mmlearn(tmp_path):
    cells = ["mm.losses", "print(typo)", "print(later)"]
    session = _notebook_file(tmp_path, "import mmlearn as mm", *cells, "later = 1")
    first, typo, later = _run(cells, tmp_path, session=session)
    assert "NameError" in _shown(first) and "name 'mm' is not defined" in _shown(first)
    assert HINT in _shown(first) and "Run All Above Selected Cell" in _shown(first)
    assert "NameError" in _shown(typo) and HINT not in _shown(typo)  # a typo: the plain error
    # defined only below the running cell (found in the notebook by its source): no hint
    assert "NameError" in _shown(later) and HINT not in _shown(later)


def test_import_mmlearn_loads_the_hints_where_the_kernel_configuration_is_missing(tmp_path):
    before, _, after = _run(
        ["undefined_1", "import mmlearn", "undefined_2"], tmp_path, config=False
    )
    assert "NameError" in _shown(before) and HINT not in _shown(before)
    assert "NameError" in _shown(after) and HINT in _shown(after)


@pytest.mark.skipif(not lab.kernel_config_path().is_file(), reason="make setup installs it")
def test_the_installed_configuration_is_this_one():
    assert lab.kernel_config_path().read_text() == lab.KERNEL_CONFIG.read_text()
