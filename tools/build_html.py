"""The reading edition: ``python -m tools.build_html`` (``make html``) writes ``build/html/``.

One page per notebook, as the committed notebook shows it (nothing is executed) with:
- the code of cells tagged ``solution`` hidden, and markdown model answers tagged so (a one-line
  note stands in its place; a code cell's output stays),
- every figure, and each dashboard as the picture saved with it,
- the math typeset by the MathJax copied into ``build/html/_static/`` (no network at all: the
  folder can be copied to a USB stick and opened from there),
- links to the previous and next notebook and to ``index.html``, the notebook map; links between
  notebooks and to the glossary and references lead to their pages in the edition.
"""

from __future__ import annotations

from pathlib import Path

from tools.editions import (
    BUILD,
    SOLUTION_TAG,
    command_line,
    reading_exporter,
    write_edition,
)

OUT = BUILD / "html"


def build(out: Path, paths: list[Path]) -> list[Path]:
    """Write the reading edition of the notebooks at ``paths`` to ``out``; returns the pages."""
    exporter = reading_exporter()

    def render(nb, nav):
        resources = {"nav": nav, "solution_tag": SOLUTION_TAG}
        return exporter.from_notebook_node(nb, resources=resources)[0]

    lead = (
        "The notebooks to read, with their figures and dashboards as pictures. "
        "To run the code and move the sliders, open the notebooks in JupyterLab."
    )
    return write_edition(out, paths, ".html", render, "mmlearn — reading edition", lead)


if __name__ == "__main__":
    command_line(build, __doc__.splitlines()[0], OUT)
