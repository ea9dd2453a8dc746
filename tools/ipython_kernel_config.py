# IPython kernel configuration of the mmlearn environment, installed into
# <environment>/etc/ipython/ by `make setup` (python -m tools.lab --install-settings); IPython reads
# it at every kernel start (IPython.core.application.ENV_CONFIG_DIRS = [sys.prefix/etc/ipython]).
# It loads mmlearn.notebook_hints: a NameError from a cell run too early says "run the cells above
# first". Only if this environment's mmlearn is the one that ships the extension: found without
# importing anything, so a kernel starts as usual if mmlearn is missing or another package.
import importlib.util
from pathlib import Path

_spec = importlib.util.find_spec("mmlearn")
if _spec is not None and _spec.submodule_search_locations:
    if (Path(_spec.submodule_search_locations[0]) / "notebook_hints.py").is_file():
        c.InteractiveShellApp.extensions.append("mmlearn.notebook_hints")  # noqa: F821 (c: the config)
