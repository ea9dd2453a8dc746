"""A hint under a ``NameError`` in a notebook: run the cells above first.

A student who opens a notebook and runs a cell in the middle, or restarts the kernel, gets
``NameError: name 'mm' is not defined`` — true, but it does not say what to do. This IPython
extension keeps the error as it is and adds one line below it:

    name 'mm' is defined in a cell above that has not run since the kernel started: run the
    cells above first (JupyterLab: Run → Run All Above Selected Cell; Colab: Runtime → Run before)

It knows the notebook when JupyterLab tells the kernel which one it runs (``JPY_SESSION_NAME``):
it then adds the line only for a name that a code cell above the failing one defines (a typo
gets the plain error). Without the notebook (Colab, a console) the line says "if it is defined in
a cell above".

It is active from the first cell: ``make setup`` (and ``binder/postBuild``) write an IPython
kernel configuration into the environment, ``<sys.prefix>/etc/ipython/ipython_kernel_config.py``,
that loads it (``python -m tools.lab --install-settings``). ``import mmlearn`` inside IPython also
loads it (for Colab and other set-ups), and ``%load_ext mmlearn.notebook_hints`` does by hand.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path

RUN_ABOVE = "JupyterLab: Run → Run All Above Selected Cell; Colab: Runtime → Run before"
MAGIC = re.compile(r"^(\s*)([%!])", re.M)  # IPython's %magics and !shell lines: not Python


def defined_names(source: str) -> set[str]:
    """The names a cell's code binds: assignments, ``def``, ``class``, imports, loop targets
    (anything that does not parse, as a cell being written may not, binds nothing)."""
    try:
        tree = ast.parse(MAGIC.sub(r"\1#\2", source))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def cells_above(notebook: Path, current: str) -> list[str] | None:
    """The sources of the code cells above the cell whose source is ``current`` (all code cells
    when it is not found, e.g. edited but not saved); None if the notebook cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    sources = [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c.get("cell_type") == "code"
    ]
    stripped = [s.strip() for s in sources]
    if current.strip() in stripped:
        return sources[: stripped.index(current.strip())]
    return sources


def hint(name: str, notebook: Path | None, current: str) -> str | None:
    """The line to add under ``NameError: name '<name>' is not defined`` (None: no line)."""
    above = cells_above(notebook, current) if notebook is not None else None
    if above is None:
        return f"If {name!r} is defined in a cell above, run the cells above first ({RUN_ABOVE})."
    if any(name in defined_names(source) for source in above):
        return (
            f"{name!r} is defined in a cell above that has not run since the kernel started: "
            f"run the cells above first ({RUN_ABOVE})."
        )
    return None


def running_notebook() -> Path | None:
    """The notebook file JupyterLab started this kernel for, if it says so and it exists."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    path = Path(session)
    return path if session.endswith(".ipynb") and path.is_file() else None


def show_name_error(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler for NameError: the usual traceback, with the hint as a
    note below it. (UnboundLocalError, a NameError inside a function, gets no hint.)"""
    name = getattr(value, "name", None)
    if name and etype is NameError:
        raw_cells = shell.history_manager.input_hist_raw if shell.history_manager else []
        line = hint(name, running_notebook(), raw_cells[-1] if raw_cells else "")
        if line and not hasattr(value, "add_note"):  # Python 3.10: the line above the error
            print(line)
        elif line and line not in getattr(value, "__notes__", []):
            value.add_note(line)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def load_ipython_extension(shell) -> None:
    """Called by ``%load_ext mmlearn.notebook_hints`` and the kernel configuration."""
    shell.set_custom_exc((NameError,), show_name_error)


def unload_ipython_extension(shell) -> None:
    shell.set_custom_exc((), None)


def load_in_running_ipython() -> None:
    """Load the extension into the IPython this code runs in, if any (``import mmlearn`` calls
    this; a plain Python script is left alone, IPython is not even imported)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and getattr(shell, "extension_manager", None) is not None:
        shell.extension_manager.load_extension(__name__)
