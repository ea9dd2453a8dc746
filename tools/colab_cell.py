"""Put the Colab set-up cell into notebooks: ``python -m tools.colab_cell [NN_name ...]``.

Colab opens one notebook without the repository around it, so ``import mmlearn`` needs an install
first. The set-up cell does that on Colab only — from THIS repository's git URL, never the bare
PyPI name ``mmlearn``, which belongs to an unrelated package that pulls in torch — and does
nothing anywhere else (JupyterLab, Binder, nbval, the editions, which leave the cell out).

Every notebook gets the same cell, tagged ``colab-setup``, right after its title cell, so it runs
before the notebook's imports. Running the tool again changes nothing; after the repository URL
changes it rewrites the cell in place. Re-execute the notebooks afterwards (``make execute``):
the new cell shifts their execution counts.
"""

from __future__ import annotations

import argparse

import nbformat

from tools.editions import COLAB_TAG, notebook_paths, tags

# A placeholder until the repository is published: set it (or pass --repo-url) and run the tool.
REPO_URL = "https://github.com/YOUR-ORG/mmlearn.git"
POSITION = 1  # after the title cell: notebooks open with their title and learning objectives

SOURCE = """\
# Colab only: install mmlearn from its repository (this cell does nothing anywhere else).
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "mmlearn @ git+{url}"], check=True)
    from google.colab import output

    output.enable_custom_widget_manager()  # the dashboards use ipywidgets 8"""


def colab_cell(repo_url: str = REPO_URL) -> nbformat.NotebookNode:
    """The set-up cell, installing mmlearn from ``repo_url`` (a git URL of this repository)."""
    if not repo_url.startswith(("https://", "ssh://", "git@", "file://")):
        raise ValueError(f"repo_url must be a git URL of this repository, got {repo_url!r}")
    return nbformat.v4.new_code_cell(
        source=SOURCE.format(url=repo_url), metadata={"tags": [COLAB_TAG]}, id=COLAB_TAG
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
    parser.add_argument("--repo-url", default=REPO_URL, help=f"default: {REPO_URL}")
    args = parser.parse_args()
    cell = colab_cell(args.repo_url)
    for path in notebook_paths(args.notebooks):
        nb = nbformat.read(path, as_version=4)
        if put_colab_cell(nb, cell):
            nbformat.write(nb, path)
            print(f"{path.name}: Colab cell written")
        else:
            print(f"{path.name}: unchanged")
    if args.repo_url == REPO_URL and "YOUR-ORG" in REPO_URL:
        print(f"note: {REPO_URL} is a placeholder; pass --repo-url or set REPO_URL")


if __name__ == "__main__":
    main()
