"""The maintainer scripts in tools/: the notebook cleaner that `make execute` runs, and the text
sources that `make sync` writes (and that must match the committed notebooks)."""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import clean_notebook, notebook_text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
VIEW = clean_notebook.WIDGET_VIEW


def _stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def _widget(model_id):
    data = {
        VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0},
        "text/plain": "interactive(...)",
    }
    return new_output("display_data", data=data)


def _executed_notebook():
    """A notebook as nbconvert + nbstripout leave it: chunked prints, a random widget id."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · Title\n**Learning objectives**"),
            new_code_cell(
                "print(1); print(2)",
                execution_count=1,
                outputs=[
                    _stream("1\n"),
                    _stream("2\n"),
                    _stream("warn\n", "stderr"),
                    _stream("3\n"),
                ],
            ),
            new_code_cell(
                "dashboard()",
                execution_count=2,
                outputs=[_widget("3f0c5a0c9e8b4d2fa1b2c3d4e5f60718"), _widget("")],
            ),
        ]
    )
    nb.metadata["jupytext"] = {"default_lexer": "ipython3"}
    return nb


def test_clean_merges_consecutive_prints_of_one_stream_only():
    outputs = clean_notebook.clean(_executed_notebook(), "00_x.ipynb").cells[1].outputs
    assert [(out.name, out.text) for out in outputs] == [
        ("stdout", "1\n2\n"),
        ("stderr", "warn\n"),
        ("stdout", "3\n"),
    ]


def test_clean_gives_widget_views_ids_from_the_notebook_and_the_cell():
    def ids(name):
        cell = clean_notebook.clean(_executed_notebook(), name).cells[2]
        return [out.data[VIEW]["model_id"] for out in cell.outputs]

    first, closed = ids("00_x.ipynb")
    assert ids("00_x.ipynb") == [first, closed]  # the same on every run
    assert len(first) == 32 and int(first, 16) >= 0  # the form ipywidgets uses
    assert first != "3f0c5a0c9e8b4d2fa1b2c3d4e5f60718" and first != ids("01_y.ipynb")[0]
    assert closed == ""  # a closed widget stays closed
    assert first != clean_notebook.widget_model_id("00_x.ipynb", 3, 0)


def test_clean_drops_jupytext_metadata_and_keeps_everything_else():
    nb = clean_notebook.clean(_executed_notebook(), "00_x.ipynb")
    assert "jupytext" not in nb.metadata
    assert [c.source for c in nb.cells] == [c.source for c in _executed_notebook().cells]
    assert nb.cells[2].outputs[0].data["text/plain"] == "interactive(...)"
    nbformat.validate(nb)


def test_cleaning_a_file_twice_changes_nothing_the_second_time(tmp_path):
    path = tmp_path / "00_x.ipynb"
    nbformat.write(_executed_notebook(), path)
    assert clean_notebook.main([str(path)]) == 0
    once = path.read_bytes()
    assert clean_notebook.main([str(path)]) == 0
    assert path.read_bytes() == once
    assert b"3f0c5a0c9e8b4d2f" not in once


# Text sources: notebooks/NN_x.ipynb -> notebooks_text/NN_x.md (MyST markdown, no outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_committed_notebook_is_already_clean(path):
    """What make execute leaves: fixed widget ids, merged prints, no jupytext metadata; so a
    re-execution that changes nothing shows no diff."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    cleaned = clean_notebook.clean(nbformat.from_dict(copy.deepcopy(nb)), path.name)
    assert cleaned == nb, f"run: python -m tools.clean_notebook {path.relative_to(ROOT)}"


def test_every_notebook_has_an_up_to_date_text_source():
    assert notebook_text.problems(NOTEBOOKS) == [], (
        "the text sources in notebooks_text/ are stale: regenerate them with `make sync` "
        "(python -m tools.notebook_text) and commit them"
    )


def _cells(nb):
    return [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_text_source_reads_back_as_its_notebooks_cells_and_tags_without_outputs(path):
    # so that editing the text source and syncing it back loses nothing
    back = jupytext.read(notebook_text.text_path(path))
    assert _cells(back) == _cells(nbformat.read(path, as_version=4))
    assert not any(cell.get("outputs") for cell in back.cells)


def _project(tmp_path):
    """A copy of the repository's jupytext configuration with one small executed notebook."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "00_x.ipynb"
    nb = clean_notebook.clean(_executed_notebook(), path.name)
    nb.cells[1].metadata["tags"] = ["solution"]
    nbformat.write(nb, path)
    return path


def test_sync_writes_missing_text_sources_and_deletes_orphans(tmp_path):
    notebook = _project(tmp_path)
    text, orphan = notebook_text.text_path(notebook), tmp_path / "notebooks_text" / "99_rm.md"
    assert notebook_text.problems([notebook]) == [f"{text} is missing or differs from {notebook}"]
    orphan.parent.mkdir()
    orphan.write_text("old")
    assert notebook_text.problems([notebook])[1] == f"{orphan} has no notebook"
    assert notebook_text.write([notebook]) == [text, orphan]
    assert not orphan.exists() and notebook_text.problems([notebook]) == []
    assert notebook_text.write([notebook]) == []  # nothing stale: nothing rewritten


def test_an_edited_text_source_goes_back_into_its_notebook_with_jupytext_sync(tmp_path):
    # the workflow CONTRIBUTING.md describes, with the repository's [tool.jupytext] pairing
    notebook = _project(tmp_path)
    notebook_text.write([notebook])
    text = notebook_text.text_path(notebook)
    assert text == tmp_path / "notebooks_text" / "00_x.md"
    text.write_text(text.read_text().replace("print(1); print(2)", "print(10)"))
    later = os.stat(notebook).st_mtime + 10
    os.utime(text, (later, later))
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--quiet", "--sync", str(text)], cwd=tmp_path, check=True
    )
    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells[1].source == "print(10)"
    assert nb.cells[1].metadata["tags"] == ["solution"]
    assert nb.cells[1].outputs[0].text == "1\n2\n"  # outputs kept: stale until re-executed
    nbformat.write(clean_notebook.clean(nb, notebook.name), notebook)
    assert notebook_text.problems([notebook]) == []
