"""Notebook hygiene: every committed notebook is executed, in order, without errors, with outputs,
a title and learning objectives — otherwise nbval would have nothing honest to compare."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def hygiene_problems(nb: dict, name: str) -> list[str]:
    """Everything that keeps nbval from validating notebook ``nb`` honestly."""
    found = []
    if not re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name):
        found.append("name is not NN_topic.ipynb")
    code = _code_cells(nb)
    counts = [c.get("execution_count") for c in code]
    if any(n is None for n in counts):
        found.append(f"{counts.count(None)} code cell(s) never executed")
    numbered = [n for n in counts if n is not None]
    if numbered != list(range(1, len(numbered) + 1)):
        found.append(f"not executed top to bottom in one fresh kernel: counts {numbered}")
    if code and not any(c.get("outputs") for c in code):
        found.append("no outputs at all: nbval would check nothing")
    for i, cell in enumerate(code):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "raises-exception" not in tags:
                found.append(f"code cell {i} has an error output ({out.get('ename')})")
    first = "".join(nb["cells"][0]["source"]) if nb["cells"] else ""
    if not first.lstrip().startswith("# ") or "learning objectives" not in first.lower():
        found.append("first cell lacks a title and learning objectives")
    if "widgets" in nb.get("metadata", {}):
        found.append("saved widget state present: run nbstripout --keep-output --keep-count")
    return found


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_and_clean(path):
    assert hygiene_problems(json.loads(path.read_text(encoding="utf-8")), path.name) == []


def _nb(cells, **meta):
    return {"cells": cells, "metadata": meta}


TITLE = {"cell_type": "markdown", "source": ["# 00 · Title\n", "**Learning objectives**\n"]}


def _code(count, outputs=(), tags=()):
    return {
        "cell_type": "code",
        "source": ["x = 1"],
        "execution_count": count,
        "outputs": list(outputs),
        "metadata": {"tags": list(tags)},
    }


STREAM = {"output_type": "stream", "name": "stdout", "text": "1\n"}
ERROR = {"output_type": "error", "ename": "ValueError", "evalue": "", "traceback": []}


@pytest.mark.parametrize(
    "cells, meta, problem",
    [
        ([TITLE, _code(1, [STREAM]), _code(None)], {}, "never executed"),
        ([TITLE, _code(2, [STREAM]), _code(1)], {}, "top to bottom"),
        ([TITLE, _code(1), _code(2)], {}, "no outputs"),
        ([TITLE, _code(1, [ERROR])], {}, "error output"),
        ([{"cell_type": "markdown", "source": ["intro"]}, _code(1, [STREAM])], {}, "title"),
        ([TITLE, _code(1, [STREAM])], {"widgets": {}}, "widget state"),
    ],
)
def test_hygiene_catches_each_problem(cells, meta, problem):
    found = hygiene_problems(_nb(cells, **meta), "00_x.ipynb")
    assert any(problem in p for p in found), found


def test_hygiene_accepts_a_clean_notebook_and_tagged_exceptions():
    cells = [TITLE, _code(1, [STREAM]), _code(2, [ERROR], tags=["raises-exception"])]
    assert hygiene_problems(_nb(cells), "00_x.ipynb") == []
    assert hygiene_problems(_nb(cells), "welcome.ipynb") == ["name is not NN_topic.ipynb"]
