"""The student edition: ``python -m tools.build_student`` (``make student``) writes
``build/student/``, the notebooks to hand out, with the glossary, the references and INSTALL.md.

The repository's notebooks stay the answer key; in the student copy of each one:
- every code cell tagged ``solution`` becomes a stub that keeps the names the self-check below it
  reads: ``name = expr`` becomes ``name = ...  # your answer`` (each assignment of the cell), and
  ``def f(args):`` keeps its signature and docstring with ``...  # your code`` as its body.
  Full-line comments between statements stay (they state the task); comments inside a solution
  do not. A cell that cannot be stubbed this way stops the build, naming notebook and cell;
- markdown cells tagged ``solution`` (model answers) become a "*Your answer:*" cell (or go, where
  the cell before already ends with such a place for the answer); markdown
  tagged ``answer`` (prose that gives an answer away) is dropped;
- the outputs and execution counts of solution cells and of self-check cells (``mm.check.``) are
  cleared, so no saved "✓" gives an answer away.
Run All on a student notebook completes: each self-check prints "✗ not answered yet" for a
stub. tests/test_student_edition.py builds the edition and executes every notebook to prove it.
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
from pathlib import Path

import nbformat

from tools.editions import (
    BUILD,
    DOCS,
    NOTEBOOKS,
    SOLUTION_TAG,
    TEMPLATES,
    Chapter,
    command_line,
    read_chapters,
    tags,
)

OUT = BUILD / "student"
ANSWER_TAG = "answer"  # prose that gives an answer away: not in the student edition
SELF_CHECK = re.compile(r"\bmm\.check\.")
ANSWER_NOTE = "  # your answer"  # after the `...` of a stubbed assignment
CODE_NOTE = "  # your code"  # after the `...` body of a stubbed function
YOUR_ANSWER = "*Your answer:* (double-click this cell to write it)"
INSTALL = TEMPLATES / "student_INSTALL.md"


class StubError(ValueError):
    """A solution cell the student edition cannot turn into a stub (says which and why)."""


def _stub_function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The function's decorators, signature and docstring, with ``...  # your code`` as body."""
    stub = copy.deepcopy(node)
    docstring = ast.get_docstring(node, clean=False)
    stub.body = [ast.Expr(ast.Constant(docstring))] if docstring is not None else []
    stub.body.append(ast.Expr(ast.Constant(...)))
    return ast.unparse(stub) + CODE_NOTE


def _stub_names(targets: list[ast.expr]) -> str:
    """``a = ...`` for names, ``a, b = ..., ...`` for a tuple of names (unpacking stays valid);
    a :class:`StubError` for anything else (an attribute, an index, ``*rest``)."""
    width, left = 1, ""
    for target in targets:
        names = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        if not all(isinstance(name, ast.Name) for name in names):
            raise StubError(f"cannot stub an assignment to {ast.unparse(target)!r}")
        width = max(width, len(names))
        left += ", ".join(name.id for name in names) + " = "
    return left + ", ".join(["..."] * width) + ANSWER_NOTE


def _stub_statement(node: ast.stmt, assigned: set[str]) -> str | None:
    """The stub of one top-level statement of a solution cell (None: left out)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return _stub_function(node)
    if isinstance(node, ast.Assign):
        stub = _stub_names(node.targets)
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        stub = f"{node.target.id}: {ast.unparse(node.annotation)} = ...{ANSWER_NOTE}"
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        if node.target.id in assigned:
            return None  # part of computing a name the cell already stubs
        raise StubError(
            f"cannot stub {ast.unparse(node)!r}: {node.target.id} is not assigned first"
        )
    elif isinstance(node, ast.Expr | ast.Pass):
        return None  # a value shown or computed on the way: part of the solution
    elif isinstance(node, ast.Import | ast.ImportFrom):
        return ast.unparse(node)
    else:
        first_line = ast.unparse(node).splitlines()[0]
        raise StubError(
            f"cannot stub a top-level {type(node).__name__} ({first_line!r}): write the "
            "solution as `name = expression` assignments or `def f(...):` functions"
        )
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    assigned.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return stub


def stub_source(source: str) -> str:
    """A solution cell's source as the student sees it (see the module docstring)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise StubError(f"the solution does not parse: {error}") from None
    lines = source.splitlines()
    covered = set()
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        covered.update(range(start, node.end_lineno + 1))
    pieces, assigned, made = [], set(), 0  # (line, text), names stubbed, stubs made
    for number, line in enumerate(lines, start=1):
        if number not in covered and line.strip().startswith("#"):
            pieces.append((number, line.rstrip()))
    for node in tree.body:
        stub = _stub_statement(node, assigned)
        if stub is not None:
            pieces.append((node.lineno, stub))
            made += not isinstance(node, ast.Import | ast.ImportFrom)
    if not made:
        raise StubError("it assigns no name and defines no function: nothing to leave a stub for")
    return "\n".join(text for _, text in sorted(pieces, key=lambda p: p[0]))


def is_self_check(cell) -> bool:
    return cell.cell_type == "code" and bool(SELF_CHECK.search(cell.source))


def asks_for_an_answer(cell) -> bool:
    """A markdown cell that is, or ends with, a place for the student's answer ("*Your
    answer:*")."""
    last_line = cell.source.strip().splitlines()[-1:] or [""]
    return cell.cell_type == "markdown" and "your answer" in last_line[0].lower()


def clear_outputs(cell) -> None:
    cell.outputs, cell.execution_count = [], None


def student_notebook(chapter: Chapter) -> nbformat.NotebookNode:
    """The student copy of ``chapter``'s notebook; the notebook itself is not changed."""
    nb = copy.deepcopy(chapter.nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        cell_tags = tags(cell)
        if ANSWER_TAG in cell_tags:
            continue
        if SOLUTION_TAG in cell_tags and cell.cell_type == "markdown":
            if cells and asks_for_an_answer(cells[-1]):
                continue  # the notebook already leaves the student a place to write it
            cell.source = YOUR_ANSWER
        elif SOLUTION_TAG in cell_tags and cell.cell_type == "code":
            try:
                cell.source = stub_source(cell.source)
            except StubError as why:
                raise StubError(
                    f"{chapter.path.name}, cell {index} (id {cell.get('id')}): "
                    f"the solution cannot be stubbed: {why}"
                ) from None
            clear_outputs(cell)
        elif is_self_check(cell):
            clear_outputs(cell)
        cells.append(cell)
    nb.cells = cells
    return nb


def build(out: Path, paths: list[Path]) -> list[Path]:
    """Write the student edition of the notebooks at ``paths`` to ``out``; returns the files."""
    chapters = read_chapters(paths)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters:
        path = out / chapter.path.name
        nbformat.write(student_notebook(chapter), path)
        written.append(path)
    for doc in DOCS:  # the glossary and the references, linked from the notebooks
        name = f"{doc}.md"
        written.append(Path(shutil.copy2(NOTEBOOKS / name, out / name)))
    written.append(Path(shutil.copy2(INSTALL, out / "INSTALL.md")))
    return written


if __name__ == "__main__":
    command_line(build, __doc__.splitlines()[0], OUT, opening="INSTALL.md")
