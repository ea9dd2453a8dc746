"""mmlearn — how neural networks are optimized, taught from scratch in numpy.

The numpy-only modules are imported eagerly; ``plots`` and ``widgets`` (which need
matplotlib and ipywidgets) load on first use, e.g. ``mm.widgets.gd_1d_dashboard()``.
"""

from __future__ import annotations

import importlib
import platform
import sys

from . import (
    check,
    data,
    fusion,
    gradcheck,
    landscapes,
    linreg,
    losses,
    multitask,
    nn,
    notebook_hints,
    optim,
    schedules,
    train,
    trajectories,
    validate,
)

__version__ = "0.1.0"
__all__ = [
    "check",
    "data",
    "fusion",
    "gradcheck",
    "landscapes",
    "linreg",
    "losses",
    "multitask",
    "nn",
    "notebook_hints",
    "optim",
    "schedules",
    "train",
    "trajectories",
    "validate",
    "plots",
    "widgets",
    "show_versions",
    "__version__",
]

_LAZY = {"plots", "widgets"}

# In a notebook: a NameError from a cell run too early says to run the cells above first
# (make setup's kernel configuration loads this before the first cell; here for other set-ups).
notebook_hints.load_in_running_ipython()


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mmlearn' has no attribute {name!r}")


def show_versions() -> None:
    """Print the versions of Python and of the libraries the notebooks use."""
    lines = [("python", platform.python_version()), ("platform", platform.platform(terse=True))]
    for pkg in ("mmlearn", "numpy", "matplotlib", "ipywidgets"):
        try:
            version = (
                sys.modules[pkg].__version__
                if pkg in sys.modules
                else (importlib.import_module(pkg).__version__)
            )
        except ImportError:
            version = "not installed"
        lines.append((pkg, version))
    for name, version in lines:
        print(f"{name:<11}{version}")
