"""Lecture slides: ``python -m tools.build_slides`` (``make slides``) writes ``build/slides/``,
one reveal.js deck per notebook and an index of the decks.

The notebooks carry no slide metadata: this script derives it at build time, from the headings.
- The title and each ``##`` section start a slide (left/right arrows move between them).
- Inside a section, a ``###`` heading, and any text that follows code, start a sub-slide (down
  arrow), so a sub-slide is "some text, the code it introduces, and its output". A markdown cell
  is first cut at its headings, so a heading in the middle of a cell still starts its slide.
- Cells tagged ``solution`` are left out; so is the Colab set-up cell.
- A slide taller than the screen scrolls (mouse wheel or touchpad).
Dashboards appear as the picture saved with them: live widgets do not render in a deck (not even
in jupyterlab-rise). reveal.js comes from the sphinx-revealjs package and MathJax from
jupyter-server-mathjax; both are copied into ``build/slides/_static/``, so a deck needs no network.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from tools.editions import (
    BUILD,
    SOLUTION_TAG,
    STATIC,
    command_line,
    offline_exporter_settings,
    package_dir,
    tags,
    write_edition,
)

OUT = BUILD / "slides"
REVEAL_URL = f"{STATIC}/reveal.js"
THEME = "white"  # its only font, Source Sans Pro, ships with it (other themes load web fonts)
HEADING = re.compile(r"^(#{1,3}) ")  # "# title", "## section", "### subsection"


def split_at_headings(nb) -> None:
    """Cut every markdown cell of ``nb`` before each heading that is not its first line (headings
    inside fenced code blocks do not count)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        parts, in_fence = [[]], False
        for line in cell.source.splitlines(keepends=True):
            if line.startswith("```"):
                in_fence = not in_fence
            if not in_fence and HEADING.match(line) and parts[-1]:
                parts.append([])
            parts[-1].append(line)
        for k, lines in enumerate(parts):
            piece = nbformat.v4.new_markdown_cell(
                "".join(lines).strip("\n"), metadata=dict(cell.metadata)
            )
            piece.id = f"{cell.get('id', 'md')}-{k}"
            cells.append(piece)
    nb.cells = cells


def slide_type(cell, previous) -> str:
    """The reveal.js slide type of ``cell``, given the previous cell that is shown (or None)."""
    if SOLUTION_TAG in tags(cell):
        return "skip"
    if cell.cell_type == "markdown":
        heading = HEADING.match(cell.source)
        if heading and len(heading.group(1)) <= 2:
            return "slide"
        if heading or (previous is not None and previous.cell_type == "code"):
            return "subslide"
    return "-"


def with_slide_metadata(nb) -> None:
    """Give every cell of ``nb`` its ``slideshow.slide_type`` (see the module docstring)."""
    split_at_headings(nb)
    previous = None
    for cell in nb.cells:
        kind = slide_type(cell, previous)
        cell.metadata["slideshow"] = {"slide_type": kind}
        if kind != "skip":
            previous = cell


def copy_reveal(out: Path) -> None:
    """reveal.js (script, styles, the white theme and its fonts) next to the decks."""
    dist = package_dir("sphinx_revealjs") / "_static" / "revealjs" / "dist"
    target = out / REVEAL_URL / "dist"
    (target / "theme").mkdir(parents=True, exist_ok=True)
    for name in ("reveal.js", "reveal.css", f"theme/{THEME}.css"):
        shutil.copy2(dist / name, target / name)
    shutil.copytree(
        dist / "theme" / "fonts" / "source-sans-pro",
        target / "theme" / "fonts" / "source-sans-pro",
        dirs_exist_ok=True,
    )
    shutil.copy2(dist.parent / "LICENSE", out / REVEAL_URL / "LICENSE")


def slides_exporter() -> SlidesExporter:
    """nbconvert's reveal.js deck through ``tools/templates/slides``: offline, no prompts."""
    return SlidesExporter(
        template_name="slides",
        reveal_url_prefix=REVEAL_URL,
        reveal_theme=THEME,
        reveal_number="c/t",
        **offline_exporter_settings(),
    )


def build(out: Path, paths: list[Path]) -> list[Path]:
    """Write a deck for each notebook at ``paths`` to ``out``; returns the pages."""
    exporter = slides_exporter()

    def render(nb, nav):
        with_slide_metadata(nb)
        return exporter.from_notebook_node(nb, resources={"nav": nav})[0]

    lead = (
        "One deck per notebook: arrow keys move, left/right between sections and down "
        "within one; Esc shows the overview. Dashboards appear as pictures."
    )
    pages = write_edition(out, paths, ".slides.html", render, "mmlearn — lecture slides", lead)
    copy_reveal(out)  # the decks' reveal.js, beside them
    return pages


if __name__ == "__main__":
    command_line(build, __doc__.splitlines()[0], OUT)
