"""The repository's own files agree with each other (requirements, conda env, package)."""

import os
import re
import subprocess
import sys
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
    binder = _specs(line for line in env_lines.splitlines()
                    if not line.strip().startswith("- python="))
    assert binder == _specs(runtime_lines)
    assert "numpy" in binder and "pytest" not in binder


def test_package_dependencies_are_pinned_like_requirements_txt():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    requirements = _specs((ROOT / "requirements.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _specs(project["dependencies"])
    assert set(runtime) == {"numpy", "matplotlib", "ipywidgets"}
    for name, spec in runtime.items():
        assert requirements[name] == spec, name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)


# DESIGN.md: "a module imports only modules listed below it" (rank = height in the stack)
LAYERS = {"_validate": 0, "losses": 1, "gradcheck": 2, "landscapes": 2, "linreg": 3,
          "_selfcheck": 3, "schedules": 3, "optim": 4, "data": 4, "nn": 5, "train": 6,
          "fusion": 7, "multitask": 7, "check_nn": 8, "check": 9, "plots": 10, "dashboard": 11,
          "widgets_nn": 12, "widgets_race": 12, "widgets": 13}


def _internal_imports(source: str) -> set[str]:
    found = set(re.findall(r"^\s*from \.(\w+) import", source, re.M))
    for group in re.findall(r"^\s*from \. import \(?([\w ,\n]+?)\)?$", source, re.M):
        found |= {name.strip() for name in group.split(",") if name.strip()}
    return found


def test_modules_import_only_modules_below_them():
    package = ROOT / "mmlearn"
    modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
    subpackages = {p.parent.name for p in package.glob("*/__init__.py")}
    assert modules | subpackages <= set(LAYERS), \
        f"add {sorted((modules | subpackages) - set(LAYERS))} to LAYERS"
    for name in modules:
        for imported in _internal_imports((package / f"{name}.py").read_text()):
            assert LAYERS[imported] < LAYERS[name], f"{name} imports {imported}"
    for name in subpackages:  # e.g. optim/: its files import each other and modules below it
        for path in (package / name).glob("*.py"):
            for imported in re.findall(r"^\s*from \.\.(\w+) import", path.read_text(), re.M):
                assert LAYERS[imported] < LAYERS[name], f"{name}/{path.name} imports {imported}"


def test_the_import_scanner_sees_both_import_forms():
    source = "from .widgets import x\nfrom . import data, optim\nimport numpy as np\n"
    assert _internal_imports(source) == {"widgets", "data", "optim"}


def test_every_public_name_of_the_package_resolves():
    # a fresh interpreter: in this one, other tests may already have imported the submodules
    code = "import mmlearn\nfor name in mmlearn.__all__:\n    getattr(mmlearn, name)\n"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ,
                                                                  "MPLBACKEND": "Agg"})
