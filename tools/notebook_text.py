"""The notebooks' text sources: notebooks_text/NN_x.md beside notebooks/NN_x.ipynb, for review.

A notebook's diff is unreadable (JSON, mostly base64 PNG). Its text source holds the same cells as
MyST markdown and no outputs: prose reads as prose, code sits in ```{code-cell}``` blocks with its
tags, and a change to either shows as a plain-text diff. The notebook stays the source of truth
(it is executed, tested and opened by students); the text source is generated from it, and
tests/test_tooling.py fails when one is stale.

    python -m tools.notebook_text           # rewrite the stale text sources (what `make sync` runs)
    python -m tools.notebook_text --check   # only name them; exit status 1 if there are any

The pairing and the metadata kept are configured once, in pyproject.toml ``[tool.jupytext]``, which
the jupytext command line reads too: after editing a text source, run (from the repository root)
``jupytext --sync notebooks_text/NN_x.md`` to copy its cells into the notebook, keeping the
outputs, then re-execute. JupyterLab started by `make lab` serves notebooks/ only and so does not
see that configuration: students' saves never touch the text sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
from jupytext.config import load_jupytext_config

ROOT = Path(__file__).resolve().parents[1]
FORMAT = "md:myst"


def text_path(notebook: Path) -> Path:
    """notebooks/NN_x.ipynb -> notebooks_text/NN_x.md (a sibling folder of the notebook's)."""
    return notebook.parent.parent / f"{notebook.parent.name}_text" / f"{notebook.stem}.md"


def text_source(notebook: Path) -> str:
    """What jupytext writes for ``notebook``, with the nearest configuration (pyproject.toml)."""
    config = load_jupytext_config(str(notebook.resolve().parent))
    return jupytext.writes(jupytext.read(notebook), fmt=FORMAT, config=config)


def is_stale(notebook: Path) -> bool:
    """True when the text source of ``notebook`` is missing or differs from what jupytext makes."""
    path = text_path(notebook)
    return not path.exists() or path.read_text(encoding="utf-8") != text_source(notebook)


def orphans(notebooks: list[Path]) -> list[Path]:
    """Text sources left from removed or renamed notebooks."""
    expected = {text_path(notebook) for notebook in notebooks}
    present = {path for folder in {p.parent for p in expected} for path in folder.glob("*.md")}
    return sorted(present - expected)


def problems(notebooks: list[Path]) -> list[str]:
    """One line per stale or orphaned text source of ``notebooks``."""
    return [
        f"{text_path(nb)} is missing or differs from {nb}" for nb in notebooks if is_stale(nb)
    ] + [f"{path} has no notebook" for path in orphans(notebooks)]


def write(notebooks: list[Path]) -> list[Path]:
    """Rewrite the stale text sources of ``notebooks``, delete orphans; return the paths touched."""
    touched = []
    for notebook in notebooks:
        if is_stale(notebook):
            path = text_path(notebook)
            path.parent.mkdir(exist_ok=True)
            path.write_text(text_source(notebook), encoding="utf-8")
            touched.append(path)
    for path in orphans(notebooks):
        path.unlink()
        touched.append(path)
    return touched


def main(args: list[str]) -> int:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args == ["--check"]:
        found = problems(notebooks)
        for line in found:
            print(line)
        if found:
            print("regenerate the text sources: make sync (or python -m tools.notebook_text)")
        return 1 if found else 0
    if args:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    for path in write(notebooks):
        print(f"{'wrote' if path.exists() else 'deleted'} {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
