"""The repository's own files agree with each other (requirements, conda env, package)."""

import ast
import os
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)\s*([<>=!~][^#\s]*)?\s*$")


def _specs(lines) -> dict[str, str]:
    """name -> version spec for every requirement line (comments, python, pip, -e skipped)."""
    found = {}
    for line in lines:
        line = line.split("#")[0].rstrip()
        match = REQUIREMENT.match(line)
        if not match or match.group(1) in ("python", "pip", "e"):
            continue
        found[match.group(1).lower().replace("_", "-")] = match.group(2) or ""
    return found


def test_environment_yml_lists_the_same_packages_as_requirements_txt():
    requirements = _specs((ROOT / "requirements.txt").read_text().splitlines())
    env_lines = (ROOT / "environment.yml").read_text().split("dependencies:")[1].splitlines()
    environment = _specs(line for line in env_lines if not line.strip().startswith("- python="))
    assert environment == requirements


def test_binder_environment_lists_the_runtime_part_of_requirements_txt():
    # requirements.txt opens with "# Runtime: ..."; the next comment line starts the test tools
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    assert lines[0].startswith("# Runtime")
    runtime_lines = []
    for line in lines[1:]:
        if line.startswith("#"):
            break
        runtime_lines.append(line)
    env_lines = (ROOT / "binder" / "environment.yml").read_text().split("dependencies:")[1]
    binder = _specs(
        line for line in env_lines.splitlines() if not line.strip().startswith("- python=")
    )
    assert binder == _specs(runtime_lines)
    assert "numpy" in binder and "pytest" not in binder


def test_package_dependencies_are_pinned_like_requirements_txt():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    requirements = _specs((ROOT / "requirements.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _specs(project["dependencies"])
    assert set(runtime) == _imported_distributions(ROOT / "mmlearn")  # all it imports, no more
    for name, spec in runtime.items():
        assert requirements[name] == spec, name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)


# DESIGN.md: "a module imports only modules listed below it" (rank = height in the stack)
LAYERS = {
    "validate": 0,
    "notebook_hints": 0,
    "losses": 1,
    "gradcheck": 2,
    "landscapes": 2,
    "linreg": 3,
    "schedules": 3,
    "optim": 4,
    "data": 4,
    "trajectories": 5,
    "train": 6,
    "nn": 7,
    "fusion": 8,
    "multitask": 8,
    "plots": 9,
    "widgets": 10,
    "check": 11,  # a check about a dashboard asks the dashboard's own computation
}


def _internal_imports(source: str, dots: str = ".") -> set[str]:
    """The package modules ``source`` imports with ``from <dots>x import`` or ``from <dots>
    import x, y`` (``dots="."`` in a module of mmlearn, ``".."`` in a file of a subpackage)."""
    dots = re.escape(dots)
    found = set(re.findall(rf"^\s*from {dots}(\w+)(?:\.\w+)* import", source, re.M))
    for parenthesised, plain in re.findall(
        rf"^\s*from {dots} import (?:\(([^)]*)\)|(.*))$", source, re.M
    ):
        names = re.sub(r"#.*", "", parenthesised or plain).replace("\n", ",").split(",")
        found |= {name.strip() for name in names if name.strip()}
    return found


def test_modules_import_only_modules_below_them():
    package = ROOT / "mmlearn"
    modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
    subpackages = {p.parent.name for p in package.glob("*/__init__.py")}
    assert modules | subpackages <= set(LAYERS), (
        f"add {sorted((modules | subpackages) - set(LAYERS))} to LAYERS"
    )
    for name in modules:
        for imported in _internal_imports((package / f"{name}.py").read_text()):
            assert LAYERS[imported] < LAYERS[name], f"{name} imports {imported}"
    for name in subpackages:  # e.g. widgets/: its files import each other and modules below it
        for path in (package / name).glob("*.py"):
            for imported in _internal_imports(path.read_text(), dots=".."):
                assert LAYERS[imported] < LAYERS[name], f"{name}/{path.name} imports {imported}"


def test_the_import_scanner_sees_both_import_forms():
    source = "from .widgets import x\nfrom . import data, optim\nimport numpy as np\n"
    assert _internal_imports(source) == {"widgets", "data", "optim"}
    in_subpackage = (
        "from .dashboard import x\nfrom ..plots import y\n"
        "    from ..widgets.boundary import z  # inside a function\n"
        "from .. import (  # layers 5 and 6\n    nn,\n    train,\n)\n"
    )
    assert _internal_imports(in_subpackage, dots="..") == {"plots", "widgets", "nn", "train"}


def test_importing_the_package_loads_no_plotting_library():
    """``import mmlearn`` is numpy-only: plots and widgets (matplotlib, ipywidgets) load on
    first use, so a script or a test that never draws does not pay for them."""
    code = (
        "import sys, mmlearn\n"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython', 'mmlearn.plots', "
        "'mmlearn.widgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout


def _private_names_from_other_modules(source: str) -> list[str]:
    """Underscore-named names (not dunders) that ``source``, a module of mmlearn, takes from
    another mmlearn module: ``from .x import _y`` / ``from mmlearn.x import _y``, and
    ``x._y`` / ``mm.x._y`` where ``x`` or ``mm`` is a name bound to an mmlearn module."""

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    tree, found, modules = ast.parse(source), [], set()
    for node in ast.walk(tree):
        ours = isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").split(".")[0] == "mmlearn"
        )
        if ours:
            found += [
                f"from {'.' * node.level}{node.module or ''} import {alias.name}"
                for alias in node.names
                if private(alias.name)
            ]
            if node.module is None or node.module == "mmlearn":  # from . import optim
                modules |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):  # import mmlearn as mm, import mmlearn.optim
            modules |= {
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] == "mmlearn"
            }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in modules:
                found.append(f"{ast.unparse(node)}")
    return found


def test_no_module_uses_a_private_name_of_another():
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted(names)
        for path in sorted((ROOT / "mmlearn").rglob("*.py"))
        if (names := _private_names_from_other_modules(path.read_text()))
    }
    assert offenders == {}, "make these names public (or keep them inside their module)"


def test_the_private_name_scanner_sees_imports_and_attributes():
    source = (
        "from .base import Optimizer, _checked\nfrom . import optim\n"
        "import mmlearn as mm\nfrom mmlearn.optim import _x as y\n"
        "a = optim._all_finite(g) + mm.optim.rules._Rule + self._own + optim.__name__\n"
    )
    assert sorted(_private_names_from_other_modules(source)) == [
        "from .base import _checked",
        "from mmlearn.optim import _x",
        "mm.optim.rules._Rule",
        "optim._all_finite",
    ]


def test_every_public_name_of_the_package_resolves():
    # a fresh interpreter: in this one, other tests may already have imported the submodules
    code = "import mmlearn\nfor name in mmlearn.__all__:\n    getattr(mmlearn, name)\n"
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={**os.environ, "MPLBACKEND": "Agg"}
    )


def test_the_version_is_written_once_in_the_package_and_read_without_importing_it():
    # pyproject.toml: dynamic version = mmlearn.__version__; setuptools must read it statically,
    # since a build environment has no numpy to import mmlearn with.
    pytest.importorskip("setuptools", reason="setuptools reads pyproject.toml")
    code = (
        "import sys, warnings\nwarnings.simplefilter('ignore')\n"
        "from setuptools.config.pyprojecttoml import read_configuration\n"
        "print(read_configuration('pyproject.toml')['project']['version'])\n"
        "print('imported' if 'mmlearn' in sys.modules else 'read')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    import mmlearn

    assert out == [mmlearn.__version__, "read"]


def _imported_distributions(package: Path) -> set[str]:
    """The installed distributions (e.g. "pillow" for ``import PIL``) that ``package`` imports,
    leaving out the standard library and the package itself."""
    modules = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names) | {package.name}
    installed = packages_distributions()
    return {dist.lower() for module in modules for dist in installed.get(module, [module])}


def test_the_import_scan_names_distributions_not_modules(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(
        "import os\nfrom PIL import Image\nfrom . import b\n"
        "from pkg.b import c\nimport numpy.linalg\n"
    )
    assert _imported_distributions(tmp_path / "pkg") == {"pillow", "numpy"}
