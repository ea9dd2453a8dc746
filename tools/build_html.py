"""The reading edition: ``python -m tools.build_html`` (``make html``) writes ``build/html/``.

One page per notebook, as the committed notebook shows it (nothing is executed) with:
- the code of cells tagged ``solution`` hidden, and markdown model answers tagged so (a one-line
  note stands in its place; a code cell's output stays),
- every figure, and each dashboard as the picture saved with it,
- the math typeset by the MathJax copied into ``build/html/_static/`` (no network at all: the
  folder can be copied to a USB stick and opened from there),
- links to the previous and next notebook and to ``index.html``, the notebook map.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert import HTMLExporter

from tools.editions import (
    BUILD,
    MATHJAX_URL,
    SOLUTION_TAG,
    TEMPLATES,
    command_line,
    copy_mathjax,
    for_reading,
    navigation,
    read_chapters,
    write_index,
)

OUT = BUILD / "html"


def reading_exporter() -> HTMLExporter:
    """nbconvert's "lab" page through ``tools/templates/reading``: offline, no prompts."""
    return HTMLExporter(
        template_name="reading",
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],
        mathjax_url=MATHJAX_URL,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def build(out: Path, paths: list[Path]) -> list[Path]:
    """Write the reading edition of the notebooks at ``paths`` to ``out``; returns the pages."""
    chapters = read_chapters(paths)
    out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(out)
    exporter = reading_exporter()
    pages = []
    for chapter, nav in zip(chapters, navigation(chapters, ".html")):
        resources = {"nav": nav, "solution_tag": SOLUTION_TAG}
        html, _ = exporter.from_notebook_node(for_reading(chapter), resources=resources)
        page = out / f"{chapter.name}.html"
        page.write_text(html, encoding="utf-8")
        pages.append(page)
    entries = [{"href": page.name, "title": c.title} for page, c in zip(pages, chapters)]
    lead = (
        "The notebooks to read, with their figures and dashboards as pictures. "
        "To run the code and move the sliders, open the notebooks in JupyterLab."
    )
    pages.append(write_index(out, entries, "mmlearn — reading edition", lead))
    return pages


if __name__ == "__main__":
    command_line(build, __doc__.splitlines()[0], OUT)
