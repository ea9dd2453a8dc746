"""tools/colab_cell.py: one identical set-up cell per notebook, installing mmlearn from this
repository on Colab, checking everywhere that ``import mmlearn`` finds this package, and printing
nothing when all is well. (That every committed notebook carries the cell is
tests/test_colab_cell_in_notebooks.py.)"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
import types

import nbformat
import pytest

from tools import colab_cell
from tools.editions import COLAB_TAG, notebook_paths

URL = "https://example.org/teaching/mmlearn.git"
OURS = importlib.util.find_spec("mmlearn")


def _other_mmlearn(tmp_path):
    """The spec of an unrelated package that is also called mmlearn."""
    (tmp_path / "mmlearn").mkdir()
    (tmp_path / "mmlearn" / "__init__.py").write_text("import torch\n")
    spec = importlib.machinery.ModuleSpec("mmlearn", None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path / "mmlearn")]
    return spec


def _run_cell(monkeypatch, on_colab: bool, found, url: str = URL, installs=None) -> list:
    """Execute the cell's code with ``import mmlearn`` finding ``found`` (a spec or None; after
    a pip install, ``installs``); returns the commands it ran (none are really run) and raises
    what the cell raises."""
    commands, widget_managers, finds = [], [], [found]

    def pip(cmd, **kw):
        commands.append((cmd, kw))
        finds.append(installs)

    monkeypatch.setattr(subprocess, "run", pip)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: finds[-1] if name == "mmlearn" else real_find_spec(name, *a),
    )
    if on_colab:
        google, colab = types.ModuleType("google"), types.ModuleType("google.colab")
        colab.output = types.SimpleNamespace(
            enable_custom_widget_manager=lambda: widget_managers.append(True)
        )
        google.colab = colab
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(colab_cell.colab_cell(url).source, {})
    assert len(widget_managers) == (1 if on_colab else 0)
    return commands


def test_outside_colab_with_this_package_the_cell_does_and_prints_nothing(monkeypatch, capsys):
    assert _run_cell(monkeypatch, on_colab=False, found=OURS) == []
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("on_colab", [False, True])
def test_another_package_called_mmlearn_is_named_with_what_to_do(monkeypatch, tmp_path, on_colab):
    other = _other_mmlearn(tmp_path)
    with pytest.raises(ImportError, match="pip uninstall mmlearn") as error:
        _run_cell(monkeypatch, on_colab=on_colab, found=other, installs=other)
    assert "install the course repository" in str(error.value)


def test_without_any_mmlearn_the_cell_says_how_to_install_it(monkeypatch):
    with pytest.raises(ImportError, match="does not find the course's mmlearn"):
        _run_cell(monkeypatch, on_colab=False, found=None)


def test_on_colab_the_cell_installs_mmlearn_from_the_repository_never_from_pypi(monkeypatch):
    [(command, options)] = _run_cell(monkeypatch, on_colab=True, found=None, installs=OURS)
    assert command == [sys.executable, "-m", "pip", "install", "--quiet", f"mmlearn @ git+{URL}"]
    assert options == {"check": True}


def test_on_colab_an_installed_mmlearn_is_not_installed_again(monkeypatch):
    assert _run_cell(monkeypatch, on_colab=True, found=OURS) == []


def test_on_colab_the_placeholder_url_stops_with_a_message_not_a_pip_failure(monkeypatch):
    with pytest.raises(RuntimeError, match="REPO_URL is not set") as error:
        _run_cell(monkeypatch, on_colab=True, found=None, url=colab_cell.PLACEHOLDER)
    assert "sets REPO_URL in tools/colab_cell.py" in str(error.value)


@pytest.mark.parametrize("url", ["mmlearn", 'https://x.org/a".git', "https://x.org/a b.git"])
def test_the_repository_url_must_be_a_url(url):
    with pytest.raises(ValueError, match="repo_url"):
        colab_cell.colab_cell(url)


@pytest.fixture
def notebook(tmp_path):
    path = tmp_path / "00_welcome.ipynb"
    shutil.copy(notebook_paths(["00_welcome"])[0], path)
    return path


def _colab_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if COLAB_TAG in c.metadata.get("tags", [])]


def test_the_cell_goes_after_the_title_once_and_a_second_run_changes_nothing(notebook):
    original = nbformat.read(notebook, as_version=4)
    nb = nbformat.read(notebook, as_version=4)
    assert colab_cell.put_colab_cell(nb, colab_cell.colab_cell(URL))
    nbformat.write(nb, notebook)
    written = notebook.read_text(encoding="utf-8")

    again = nbformat.read(notebook, as_version=4)
    assert not colab_cell.put_colab_cell(again, colab_cell.colab_cell(URL))
    [(position, cell)] = _colab_cells(again)
    assert position == colab_cell.POSITION == 1
    assert again.cells[0].source.startswith("# 00 ·")
    assert [c.source for c in again.cells[:1] + again.cells[2:]] == [
        c.source for c in original.cells if COLAB_TAG not in c.metadata.get("tags", [])
    ]
    nbformat.write(again, notebook)
    assert notebook.read_text(encoding="utf-8") == written


def test_a_new_url_rewrites_the_one_cell_and_an_executed_cell_counts_as_the_same(notebook):
    nb = nbformat.read(notebook, as_version=4)
    colab_cell.put_colab_cell(nb, colab_cell.colab_cell(URL))
    nb.cells[1].execution_count, nb.cells[1].id = 1, "1"  # as after make execute + nbstripout
    assert not colab_cell.put_colab_cell(nb, colab_cell.colab_cell(URL))
    assert colab_cell.put_colab_cell(nb, colab_cell.colab_cell("https://example.org/other.git"))
    [(_, cell)] = _colab_cells(nb)
    assert 'REPO_URL = "https://example.org/other.git"' in cell.source


def test_writing_a_notebook_back_changes_only_what_changed():
    # the tool rewrites notebooks with nbformat: an unchanged notebook must come out byte-identical
    for path in notebook_paths():
        assert nbformat.writes(nbformat.read(path, as_version=4)) + "\n" == path.read_text(
            encoding="utf-8"
        ), path.name
