"""Make a re-executed notebook byte-stable, so that its diff shows what changed and nothing else.

    python -m tools.clean_notebook notebooks/NN_x.ipynb ...   # `make execute` runs it per notebook

Run after ``nbstripout --keep-output --keep-count``. Executing the same notebook twice on the same
machine gives the same text and the same PNG bytes; what still changed from run to run was:

- widget views: ipywidgets gives every widget a random model id. nbstripout already drops the
  saved widget state that id points to, so the id refers to nothing either way; here it becomes
  one derived from the notebook's name and the cell's index.
- printed text: the kernel sends ``print`` output in chunks, flushed at times that vary, so the
  same lines are saved as one stream output or as several. Consecutive stream outputs of one
  cell (same stream) are merged into one; nbval merges them the same way before comparing.
- ``metadata.jupytext``, which jupytext writes into a notebook updated from its text source: the
  pairing lives in pyproject.toml ``[tool.jupytext]``, not in each notebook.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_model_id(notebook: str, cell_index: int, output_index: int) -> str:
    """A fixed id in ipywidgets' form (32 hex digits) for one widget output of one cell."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mmlearn/{notebook}/{cell_index}/{output_index}").hex


def merge_streams(outputs: list) -> list:
    """``outputs`` with each run of consecutive same-stream outputs merged into one."""
    merged = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.output_type == "stream"
            and last is not None
            and last.output_type == "stream"
            and last.name == out.name
        ):
            last.text += out.text
        else:
            merged.append(out)
    return merged


def clean(nb: nbformat.NotebookNode, notebook: str) -> nbformat.NotebookNode:
    """Clean ``nb`` (the notebook named ``notebook``, e.g. "03_sgd.ipynb") in place; return it."""
    nb.metadata.pop("jupytext", None)
    for cell_index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = merge_streams(cell.outputs)
        for output_index, out in enumerate(cell.outputs):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and view.get("model_id"):  # "" means a closed widget: keep it
                view["model_id"] = widget_model_id(notebook, cell_index, output_index)
    return nb


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    for path in paths:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nbformat.write(clean(nb, Path(path).name), path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
