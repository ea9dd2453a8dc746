"""What every classroom edition shares: the notebooks in order, their titles, what a reader sees of
a cell, the offline copy of MathJax, the index page and the command line.

An edition is built from the committed, executed notebooks and written under ``build/``; it never
changes a notebook. It works offline: every script, style sheet and font a page uses is copied
next to it from a pip package (MathJax from jupyter-server-mathjax, reveal.js from
sphinx-revealjs), never loaded from the internet.
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib.util
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"

SOLUTION_TAG = "solution"
COLAB_TAG = "colab-setup"  # the set-up cell tools/colab_cell.py puts into every notebook
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DOCS = ("glossary", "references")  # notebooks/<name>.md, linked from the notebooks: a page each
STATIC = "_static"  # the folder, next to the pages, that holds MathJax (and reveal.js)
MATHJAX_URL = f"{STATIC}/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


@dataclass
class Chapter:
    """One notebook of the course: where it is, its cells, its title."""

    path: Path
    nb: nbformat.NotebookNode
    title: str

    @property
    def name(self) -> str:
        return self.path.stem


def notebook_paths(names: list[str] | None = None) -> list[Path]:
    """The numbered notebooks in course order, or only those named (``["00_welcome"]``)."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return paths
    by_name = {p.stem: p for p in paths}
    unknown = [n for n in names if Path(n).stem not in by_name]
    if unknown:
        raise SystemExit(f"no notebook named {unknown}; choose from {sorted(by_name)}")
    return [by_name[Path(n).stem] for n in names]


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def title_of(nb) -> str:
    """The text of the notebook's first ``# `` heading, e.g. ``"00 · Welcome to mmlearn"``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise ValueError("the notebook has no '# ' heading to take its title from")


def read_chapters(paths: list[Path]) -> list[Chapter]:
    chapters = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        chapters.append(Chapter(path, nb, title_of(nb)))
    return chapters


def for_reading(chapter: Chapter, suffix: str = ".html") -> nbformat.NotebookNode:
    """A copy of the notebook as an edition shows it: each dashboard by the picture saved with it
    (the live widget needs a kernel; without its view the saved PNG is what gets shown), without
    the Colab set-up cell, titled by its first heading, its links pointed at the edition's pages
    (:func:`edition_links`; ``suffix`` is the edition's page ending)."""
    nb = copy.deepcopy(chapter.nb)
    nb.cells = [cell for cell in nb.cells if COLAB_TAG not in tags(cell)]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
        if cell.cell_type == "markdown":
            cell.source = edition_links(cell.source, suffix)
    nb.metadata["title"] = chapter.title
    return nb


LINK = re.compile(r"\]\((?P<name>\d\d_\w+)\.ipynb(?P<anchor>#[^)\s]*)?\)")
DOC_LINK = re.compile(r"\]\((?P<name>" + "|".join(DOCS) + r")\.md(?:#(?P<anchor>[^)\s]*))?\)")


def edition_links(markdown: str, suffix: str) -> str:
    """Markdown links to another notebook (``05_optimizer_blending.ipynb``) point at its page
    (``05_optimizer_blending<suffix>``), and links to the glossary or the references
    (``glossary.md#c``) at their page in the edition (``glossary.html#C``: nbconvert keeps a
    heading's case in its id, where GitHub lowercases it)."""
    markdown = LINK.sub(lambda m: f"]({m['name']}{suffix}{m['anchor'] or ''})", markdown)

    def doc_page(m: re.Match) -> str:
        anchor = "" if m["anchor"] is None else doc_anchor(m["name"], m["anchor"])
        return f"]({m['name']}.html{anchor})"

    return DOC_LINK.sub(doc_page, markdown)


def doc_anchor(doc: str, anchor: str) -> str:
    """``#<id>``: a GitHub anchor of ``notebooks/<doc>.md`` as the id its heading has in an
    edition (unknown anchors are kept)."""
    return "#" + heading_ids(NOTEBOOKS / f"{doc}.md").get(anchor, anchor)


@functools.cache
def heading_ids(path: Path) -> dict[str, str]:
    """For the headings of the Markdown file at ``path``: GitHub's anchor (lowercase, punctuation
    dropped, spaces to hyphens) -> the id nbconvert gives the heading in an edition (its text,
    spaces to hyphens). Read once per build: every link to the file looks it up."""
    text = path.read_text(encoding="utf-8")
    headings = re.findall(r"^#+\s+(.+?)\s*$", text, flags=re.MULTILINE)
    return {github_anchor(h): h.replace(" ", "-") for h in headings}


def github_anchor(heading: str) -> str:
    """The anchor GitHub (and this repository's links) use for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def doc_notebook(doc: str, suffix: str = ".html") -> nbformat.NotebookNode:
    """``notebooks/<doc>.md`` as a one-cell notebook, so the editions render it like a chapter
    (its links as :func:`edition_links` points them, ``suffix`` the edition's page ending)."""
    source = (NOTEBOOKS / f"{doc}.md").read_text(encoding="utf-8")
    source = re.sub(r"\]\(#([^)\s]+)\)", lambda m: f"]({doc_anchor(doc, m[1])})", source)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(edition_links(source, suffix))]
    )
    nb.metadata["title"] = doc.capitalize()
    return nb


def navigation(chapters: list[Chapter], suffix: str) -> list[dict]:
    """For each chapter, links to the previous and next one (None at the ends) and the index."""
    links = [{"href": c.name + suffix, "title": c.title} for c in chapters]
    return [
        {
            "prev": links[i - 1] if i > 0 else None,
            "next": links[i + 1] if i + 1 < len(links) else None,
            "index": "index.html",
        }
        for i in range(len(links))
    ]


def package_dir(name: str) -> Path:
    """Where an installed package's files are, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            f"the {name} package is missing: pip install -r requirements.txt (make setup does it)"
        )
    return Path(spec.submodule_search_locations[0])


def copy_mathjax(out: Path) -> None:
    """MathJax 2.7 (TeX input, HTML-CSS output with the STIX-Web fonts) next to the pages."""
    shutil.copytree(
        package_dir("jupyter_server_mathjax") / "static",
        out / STATIC / "mathjax",
        dirs_exist_ok=True,
    )


def write_index(out: Path, entries: list[dict], heading: str, lead: str) -> Path:
    """``out/index.html``: the notebook map, one ``{"href", "title"}`` entry per notebook."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    page = env.get_template("index.html.j2").render(entries=entries, heading=heading, lead=lead)
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def offline_exporter_settings() -> dict:
    """What every edition's nbconvert exporter shares: our templates, the local MathJax, no
    prompts."""
    return {
        "extra_template_basedirs": [str(TEMPLATES)],
        "extra_template_paths": [str(TEMPLATES)],
        "mathjax_url": MATHJAX_URL,
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
    }


def reading_exporter() -> HTMLExporter:
    """nbconvert's "lab" page through ``tools/templates/reading``: offline, no prompts."""
    return HTMLExporter(template_name="reading", **offline_exporter_settings())


def write_docs(out: Path, suffix: str = ".html") -> list[Path]:
    """The glossary and the references as reading pages in ``out``: the notebooks link to them;
    their links to notebooks point at the edition's pages (``suffix``)."""
    exporter, pages = reading_exporter(), []
    nav = {"prev": None, "next": None, "index": "index.html"}
    for doc in DOCS:
        page = out / f"{doc}.html"
        html = exporter.from_notebook_node(doc_notebook(doc, suffix), resources={"nav": nav})[0]
        page.write_text(html, encoding="utf-8")
        pages.append(page)
    return pages


def write_edition(
    out: Path,
    paths: list[Path],
    suffix: str,
    render: Callable[[nbformat.NotebookNode, dict], str],
    heading: str,
    lead: str,
) -> list[Path]:
    """The notebooks at ``paths`` as an edition in ``out`` (created, with MathJax): one page per
    notebook, ``out/<name><suffix>`` = ``render(for_reading(chapter, suffix), nav)``, the
    glossary and references pages they link to, then the index page that lists them; returns
    the pages written."""
    chapters = read_chapters(paths)
    out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(out)
    pages = []
    for chapter, nav in zip(chapters, navigation(chapters, suffix)):
        page = out / f"{chapter.name}{suffix}"
        page.write_text(render(for_reading(chapter, suffix), nav), encoding="utf-8")
        pages.append(page)
    entries = [{"href": page.name, "title": c.title} for page, c in zip(pages, chapters)]
    return [*pages, *write_docs(out, suffix), write_index(out, entries, heading, lead)]


def command_line(
    build: Callable[[Path, list[Path]], list[Path]],
    description: str,
    default_out: Path,
    opening: str = "index.html",
) -> None:
    """Run ``build(out, notebook_paths)`` with the notebooks and output folder from the command
    line, and say what it wrote, how long it took and which file to open first."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="*", help="names, e.g. 00_welcome (default: all)")
    parser.add_argument("--out", type=Path, default=default_out, help=f"default: {default_out}")
    args = parser.parse_args()
    start = time.perf_counter()
    written = build(args.out, notebook_paths(args.notebooks))
    print(
        f"wrote {len(written)} files to {args.out} in {time.perf_counter() - start:.1f} s; "
        f"open {args.out / opening}"
    )
