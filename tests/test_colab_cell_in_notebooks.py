"""Every notebook carries exactly one Colab set-up cell, right after its title, identical to the one
tools/colab_cell.py makes: same source (so the same install URL) and the same tag.
"""

from __future__ import annotations

import nbformat
import pytest

from tools import colab_cell
from tools.editions import COLAB_TAG, notebook_paths

EXPECTED = colab_cell.colab_cell()


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_every_notebook_has_the_one_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    found = [i for i, c in enumerate(nb.cells) if COLAB_TAG in c.metadata.get("tags", [])]
    assert found == [colab_cell.POSITION], f"Colab cells at {found}: run python -m tools.colab_cell"
    assert colab_cell.same_cell(nb.cells[colab_cell.POSITION], EXPECTED), (
        "the Colab cell differs from tools/colab_cell.py's: run python -m tools.colab_cell"
    )
    assert not nb.cells[colab_cell.POSITION].get("outputs"), "outside Colab it prints nothing"
