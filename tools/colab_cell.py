"""Put the set-up cell into notebooks: ``python -m tools.colab_cell [NN_name ...]``.

The cell runs first in every notebook and does two things:
- **on Colab**, which opens one notebook without the repository around it, it installs mmlearn
  from THIS repository's git URL — never the bare PyPI name ``mmlearn``, which belongs to an
  unrelated package that pulls in torch — unless it is installed already; with the placeholder
  URL it stops with a message saying so, instead of a pip failure;
- **everywhere**, it checks that ``import mmlearn`` finds this course's package (a folder with
  ``check/common.py``, which only it ships) and otherwise stops with what to do: uninstall the
  other package, install this repository. With the right package outside Colab it prints nothing.

Every notebook gets the same cell, tagged ``colab-setup``, right after its title cell, so it runs
before the notebook's imports. Running the tool again changes nothing; after the repository URL
changes it rewrites the cell in place. Re-execute the notebooks afterwards (``make execute``):
the new cell shifts their execution counts.
"""

from __future__ import annotations

import argparse

import nbformat

from tools.editions import COLAB_TAG, notebook_paths, tags

# A placeholder until the repository is published: set it here, then run the tool and make execute.
PLACEHOLDER = "https://github.com/YOUR-ORG/mmlearn.git"
REPO_URL = PLACEHOLDER
POSITION = 1  # after the title cell: notebooks open with their title and learning objectives

SOURCE = """\
# Set-up, the same in every notebook: on Colab, install mmlearn from the course repository;
# everywhere, check that `import mmlearn` finds the course's package. Prints nothing if all is well.
import importlib.util
import sys
from pathlib import Path

REPO_URL = "<REPO_URL>"


def course_mmlearn_found():
    \"\"\"True if `import mmlearn` imports the course's package (only it has check/common.py).\"\"\"
    importlib.invalidate_caches()
    spec = importlib.util.find_spec("mmlearn")
    folders = (spec.submodule_search_locations or []) if spec else []
    return any((Path(folder) / "check" / "common.py").is_file() for folder in folders)


if "google.colab" in sys.modules:
    if not course_mmlearn_found():
        if "YOUR-ORG" in REPO_URL:
            raise RuntimeError(
                "This copy's REPO_URL is not set, so mmlearn cannot be installed on Colab: the "
                "teacher sets REPO_URL in tools/colab_cell.py to the course repository's git URL, "
                "runs python -m tools.colab_cell and shares the notebooks again."
            )
        import subprocess

        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "mmlearn @ git+" + REPO_URL],
            check=True,
        )
    from google.colab import output

    output.enable_custom_widget_manager()  # the dashboards use ipywidgets 8

if not course_mmlearn_found():
    raise ImportError(
        "`import mmlearn` does not find the course's mmlearn package. The package called mmlearn "
        "on PyPI is an unrelated one: if you ran `pip install mmlearn`, run `pip uninstall "
        "mmlearn`. Then install the course repository (in its folder: `make lab`, or `pip "
        "install -e .`) and restart the kernel (Kernel -> Restart Kernel)."
    )"""


def colab_cell(repo_url: str = REPO_URL) -> nbformat.NotebookNode:
    """The set-up cell, installing mmlearn from ``repo_url`` (a git URL of this repository)."""
    url_like = repo_url.startswith(("https://", "ssh://", "git@", "file://"))
    if not url_like or any(char in repo_url for char in '"\\ \n'):
        raise ValueError(f"repo_url must be a git URL of this repository, got {repo_url!r}")
    return nbformat.v4.new_code_cell(
        source=SOURCE.replace("<REPO_URL>", repo_url), metadata={"tags": [COLAB_TAG]}, id=COLAB_TAG
    )


def put_colab_cell(nb, cell) -> bool:
    """Make ``cell`` the one Colab cell of ``nb``, at ``POSITION``; False if it already was.
    A cell that is already right keeps its execution count and outputs."""
    found = [i for i, c in enumerate(nb.cells) if COLAB_TAG in tags(c)]
    if found == [POSITION] and same_cell(nb.cells[POSITION], cell):
        return False
    for i in reversed(found):
        del nb.cells[i]
    nb.cells.insert(POSITION, cell)
    return True


def same_cell(a, b) -> bool:
    """Same kind, source and metadata: what a reader of the notebook sees of the cell (its id,
    execution count and outputs change with every re-execution)."""
    return (a.cell_type, a.source, a.metadata) == (b.cell_type, b.source, b.metadata)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names (default: all)")
    args = parser.parse_args()
    cell = colab_cell()  # REPO_URL, the one place the URL is set
    for path in notebook_paths(args.notebooks):
        nb = nbformat.read(path, as_version=4)
        if put_colab_cell(nb, cell):
            nbformat.write(nb, path)
            print(f"{path.name}: Colab cell written")
        else:
            print(f"{path.name}: unchanged")
    if REPO_URL == PLACEHOLDER:
        print(f"note: {PLACEHOLDER} is a placeholder: set REPO_URL in tools/colab_cell.py")


if __name__ == "__main__":
    main()
