"""The student edition (tools/build_student.py, ``make student``): how a solution becomes a stub,
and the real thing — every notebook built as a student notebook and executed top to bottom in a
fresh kernel of this environment, as a student's Run All would: no error, no solution code left,
no ✓ anywhere, and each exercise's self-check saying "not answered yet".

The notebooks are found by their tags (``solution``, ``answer``), never by cell numbers, so the
test follows the notebooks as they change."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mmlearn import notebook_hints
from tools import build_student
from tools.build_student import StubError, stub_source, student_notebook
from tools.editions import Chapter, notebook_paths, read_chapters, tags


def test_assignments_become_named_stubs_and_task_comments_stay():
    source = (
        "# the learning rate that converges in one step\n"
        "lr = 1 / 3  # 1/L\n"
        "a, b = divmod(7, 2)\n"
        "c = d = a + b\n"
        "c += 1\n"
        "total: float = 2.0\n"
        "c\n"
    )
    assert stub_source(source) == (
        "# the learning rate that converges in one step\n"
        "lr = ...  # your answer\n"
        "a, b = ..., ...  # your answer\n"
        "c = d = ...  # your answer\n"
        "total: float = ...  # your answer"
    )


def test_a_function_keeps_its_decorators_signature_and_docstring_not_its_body():
    source = (
        "@staticmethod\n"
        "def step(p, g, *, lr=0.1) -> float:\n"
        '    """One step: p - lr * g."""\n'
        "    # the update\n"
        "    return p - lr * g\n"
    )
    stub = stub_source(source)
    assert stub == (
        "@staticmethod\n"
        "def step(p, g, *, lr=0.1) -> float:\n"
        '    """One step: p - lr * g."""\n'
        "    ...  # your code"
    )
    namespace = {}
    exec(stub.replace("@staticmethod\n", ""), namespace)
    assert namespace["step"](1.0, 2.0) is None  # runs, and the self-check sees an empty body


@pytest.mark.parametrize(
    "source, why",
    [
        ("for i in range(3):\n    x = i\n", "top-level For"),
        ("model.lr = 0.1\n", "assignment to 'model.lr'"),
        ("x += 1\n", "not assigned first"),
        ("print(1 / 3)\n", "nothing to leave a stub for"),
        ("x = (\n", "does not parse"),
    ],
)
def test_a_cell_that_cannot_be_stubbed_is_refused_with_the_reason(source, why):
    with pytest.raises(StubError, match=re.escape(why)):
        stub_source(source)


def test_the_build_error_names_the_notebook_and_the_cell():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · Test"),
            new_code_cell("while True:\n    pass", metadata={"tags": ["solution"]}, id="loop"),
        ]
    )
    with pytest.raises(StubError, match=r"00_test\.ipynb, cell 1 \(id loop\)"):
        student_notebook(Chapter(Path("00_test.ipynb"), nb, "00 · Test"))


def test_model_answers_become_a_placeholder_and_answer_prose_goes():
    tick = nbformat.v4.new_output("stream", text="✓ x = 2\n")
    solution = new_code_cell(
        "x = 2", metadata={"tags": ["solution"]}, execution_count=3, outputs=[tick]
    )
    check = new_code_cell("mm.check.parabola.x(x)", execution_count=4, outputs=[tick])
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · Test"),
            solution,
            check,
            new_markdown_cell("**Model answer.** Because.", metadata={"tags": ["solution"]}),
            new_markdown_cell("So x was 2.", metadata={"tags": ["answer"]}),
        ]
    )
    student = student_notebook(Chapter(Path("00_test.ipynb"), nb, "00"))
    assert [c.source for c in student.cells] == [
        "# 00 · Test",
        "x = ...  # your answer",
        "mm.check.parabola.x(x)",
        build_student.YOUR_ANSWER,
    ]
    assert [(c.outputs, c.execution_count) for c in student.cells[1:3]] == [([], None)] * 2
    assert nb.cells[1].source == "x = 2"  # the answer key is untouched


# --- the real edition, executed --------------------------------------------------------------


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    build_student.build(out, notebook_paths())
    return out


def _solution_lines(source: str) -> set[str]:
    """The pieces of a solution that give it away: each statement of a function's body (not its
    signature or docstring), each assignment's right-hand side (unless a bare number or name),
    as ``ast.unparse`` writes them (so comments and layout do not matter)."""
    lines = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            lines.update(ast.unparse(stmt) for stmt in body)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            if not isinstance(node.value, ast.Constant | ast.Name):  # `= 1`: found everywhere
                lines.add(ast.unparse(node.value))
    return lines


def _text(cell) -> str:
    """Everything a code cell shows: streams, results, errors."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(str(output.get("data", {}).get("text/plain", "")))
        parts.extend(output.get("traceback", []))
    return "".join(parts)


def _exercise_checks(nb) -> list[int]:
    """The index of each exercise's self-check: the first cell calling ``mm.check.`` after a
    solution code cell (an experiment may come between them)."""
    checks, waiting = [], False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "solution" in tags(cell):
            waiting = True
        elif waiting and build_student.is_self_check(cell):
            checks.append(i)
            waiting = False
    return checks


def _pieces(code_cells) -> set[str]:
    """Every statement and expression of the cells, as ``ast.unparse`` writes it."""
    code = "\n".join(c.source for c in code_cells)
    code = notebook_hints.MAGIC.sub(r"\1#\2", code)  # IPython magics and shell lines
    return {ast.unparse(node) for node in ast.walk(ast.parse(code))}


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_run_all_on_a_student_notebook_completes_and_gives_nothing_away(edition, path):
    [teacher] = read_chapters([path])
    student_path = edition / path.name
    nb = nbformat.read(student_path, as_version=4)
    code = [c for c in teacher.nb.cells if c.cell_type == "code"]
    solutions = [c for c in code if "solution" in tags(c)]
    given_away = {piece for c in solutions for piece in _solution_lines(c.source)}
    shown_anyway = _pieces(c for c in code if c not in solutions)  # the lesson's own code
    left = given_away & _pieces(c for c in nb.cells if c.cell_type == "code") - shown_anyway
    assert not left, f"solution code left in the student edition: {left}"
    revealing = [
        c.source
        for c in teacher.nb.cells
        if c.cell_type == "markdown" and {"solution", "answer"} & set(tags(c))
    ]
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert not [text for text in revealing if text in markdown], "a model answer is left"
    saved_ticks = [i for i, c in enumerate(nb.cells) if "✓" in _text(c)]
    assert not saved_ticks, f"saved outputs of cells {saved_ticks} give an answer away"

    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(edition)}}
    ).execute()  # fails the test on an error, except in cells tagged raises-exception
    ticks = [i for i, c in enumerate(nb.cells) if "✓" in _text(c)]
    assert not ticks, f"cells {ticks} print ✓ with the stubs in place"
    checks = _exercise_checks(nb)
    assert len(checks) >= 1
    for i in checks:
        assert "not answered yet" in _text(nb.cells[i]), (i, nb.cells[i].source, _text(nb.cells[i]))
