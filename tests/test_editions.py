"""The classroom editions (tools/): what a reader sees of a notebook, the slide types derived from
headings, and one notebook built as a reading page and as a deck that reference nothing online.
The same builds in a real browser, offline: tests/browser/test_editions_offline.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import build_html, build_slides
from tools.editions import (
    COLAB_TAG,
    ROOT,
    WIDGET_VIEW,
    Chapter,
    for_reading,
    heading_ids,
    navigation,
    notebook_paths,
    read_chapters,
    title_of,
)

PNG = "iVBORw0KGgo="  # the start of a PNG: enough for the editions, which never decode it


def _dashboard_cell():
    bundle = {
        WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "image/png": PNG,
        "text/plain": "Dashboard(children=...)",
    }
    return new_code_cell(
        "mm.widgets.gd_1d_dashboard()",
        execution_count=2,
        outputs=[new_output("execute_result", data=bundle, execution_count=2)],
    )


def _chapter(*cells) -> Chapter:
    nb = new_notebook(cells=list(cells))
    return Chapter(Path("00_test.ipynb"), nb, title_of(nb))


def test_the_title_is_the_first_level_one_heading():
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_markdown_cell("## not this\n# 03 · SGD")])
    assert title_of(nb) == "03 · SGD"
    with pytest.raises(ValueError, match="heading"):
        title_of(new_notebook(cells=[new_markdown_cell("## only a section")]))


def test_an_edition_shows_a_dashboard_by_its_saved_picture_and_drops_the_colab_cell():
    colab = new_code_cell("import sys", metadata={"tags": [COLAB_TAG]})
    chapter = _chapter(new_markdown_cell("# 00 · Test"), colab, _dashboard_cell())
    nb = for_reading(chapter)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]
    assert set(nb.cells[1].outputs[0].data) == {"image/png", "text/plain"}
    assert nb.metadata.title == "00 · Test"
    assert WIDGET_VIEW in chapter.nb.cells[2].outputs[0].data  # the notebook itself is untouched


def test_navigation_links_neighbours_and_the_index():
    nbs = [new_notebook(cells=[new_markdown_cell(f"# 0{i} · T{i}")]) for i in range(3)]
    chapters = [Chapter(Path(f"0{i}_t.ipynb"), nb, title_of(nb)) for i, nb in enumerate(nbs)]
    first, middle, last = navigation(chapters, ".html")
    assert first["prev"] is None and first["next"] == {"href": "01_t.html", "title": "01 · T1"}
    assert middle["prev"]["href"] == "00_t.html" and middle["next"]["href"] == "02_t.html"
    assert last["next"] is None and last["index"] == "index.html"


def test_unknown_notebook_names_are_refused_by_name():
    with pytest.raises(SystemExit, match="no notebook named"):
        notebook_paths(["99_nothing"])
    assert notebook_paths(["00_welcome"])[0].name == "00_welcome.ipynb"


def test_markdown_cells_are_cut_at_headings_but_not_inside_code_blocks():
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "Text.\n\n## 2 · Next\n\nMore.\n```\n# a comment, not a heading\n```\n"
                "### Detail\nEnd."
            )
        ]
    )
    build_slides.split_at_headings(nb)
    assert [c.source.splitlines()[0] for c in nb.cells] == ["Text.", "## 2 · Next", "### Detail"]
    assert "# a comment" in nb.cells[1].source
    assert len({c.id for c in nb.cells}) == 3


def test_slide_types_follow_headings_and_skip_solutions():
    cells = [
        new_markdown_cell("# 00 · Title\n\nObjectives."),
        new_code_cell("import numpy"),
        new_markdown_cell("Setup done.\n\n## 1 · Section"),
        new_code_cell("x = 1"),
        new_code_cell("answer = 2", metadata={"tags": ["solution"]}),
        new_markdown_cell("What to notice."),
        new_markdown_cell("More words."),
        new_markdown_cell("### A detail"),
    ]
    nb = new_notebook(cells=cells)
    build_slides.with_slide_metadata(nb)
    kinds = [(c.source.splitlines()[0], c.metadata.slideshow.slide_type) for c in nb.cells]
    assert kinds == [
        ("# 00 · Title", "slide"),
        ("import numpy", "-"),
        ("Setup done.", "subslide"),
        ("## 1 · Section", "slide"),
        ("x = 1", "-"),
        ("answer = 2", "skip"),
        ("What to notice.", "subslide"),
        ("More words.", "-"),
        ("### A detail", "subslide"),
    ]


class _Links(HTMLParser):
    """Every URL a page loads by itself (scripts, style sheets, images), every link, and the
    number of slides of a deck."""

    def __init__(self):
        super().__init__()
        self.loads, self.links = [], []
        self.slides, self.depth = 0, 0  # top-level <section>s (a deck's slides), nesting

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.slides += self.depth == 0
            self.depth += 1
        attrs = dict(attrs)
        if tag in ("script", "img") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self.depth -= tag == "section"


def _links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _assert_offline(page: Path):
    """Everything the page loads is embedded (data:) or a file next to it."""
    found = _links(page)
    for url in found.loads:
        if url.startswith("data:"):
            continue
        assert not re.match(r"^(\w+:)?//", url), f"{page.name} loads {url}"
        assert (page.parent / url.split("?")[0]).is_file(), f"{page.name}: {url} is missing"
    css_imports = re.findall(r"@import\s+url\(([^)]*)\)", page.read_text(encoding="utf-8"))
    assert not [u for u in css_imports if "//" in u], css_imports


@pytest.fixture(scope="module")
def welcome():
    return read_chapters(notebook_paths(["00_welcome"]))[0]


def _solution_sources(chapter):
    return [c.source for c in chapter.nb.cells if "solution" in c.metadata.get("tags", [])]


def test_the_reading_page_hides_solution_code_and_loads_nothing_online(welcome, tmp_path):
    pages = build_html.build(tmp_path, [welcome.path])
    names = ["00_welcome.html", "glossary.html", "references.html", "index.html"]
    assert [p.name for p in pages] == names
    page, index = pages[0], pages[-1]
    html = page.read_text(encoding="utf-8")
    solutions = _solution_sources(welcome)
    assert solutions and not [s for s in solutions if s in html]
    code = [c for c in welcome.nb.cells if c.cell_type == "code" and c.source in solutions]
    assert html.count("Solution code hidden") == len(code)
    assert html.count("Model answer hidden") == len(solutions) - len(code)
    assert "model_id" not in html and WIDGET_VIEW not in html
    _assert_offline(page)
    _assert_offline(index)
    assert "index.html" in _links(page).links
    assert _links(index).links == ["00_welcome.html"]
    assert welcome.title in index.read_text(encoding="utf-8")


def test_the_deck_skips_solutions_and_loads_nothing_online(welcome, tmp_path):
    deck, *_docs, index = build_slides.build(tmp_path, [welcome.path])
    html = deck.read_text(encoding="utf-8")
    assert not [s for s in _solution_sources(welcome) if s in html]
    assert "model_id" not in html
    sections = sum(
        len(re.findall(r"^## ", c.source, re.M))
        for c in welcome.nb.cells
        if c.cell_type == "markdown"
    )
    # the title and each ## section: a slide (a top-level <section>) holding its sub-slides
    assert _links(deck).slides == 1 + sections
    _assert_offline(deck)
    _assert_offline(index)
    theme = tmp_path / build_slides.REVEAL_URL / "dist" / "theme" / f"{build_slides.THEME}.css"
    for font_css in re.findall(r"@import url\(([^)]*)\)", theme.read_text()):
        assert (theme.parent / font_css).is_file(), font_css


def test_the_committed_notebooks_carry_no_slide_metadata():
    # the decks derive it at build time (tools/build_slides.py); the notebooks stay clean
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        assert not [c for c in nb.cells if "slideshow" in c.metadata], path.name


def test_every_link_of_the_reading_edition_leads_to_a_page_and_an_anchor_in_it(tmp_path):
    # links between notebooks (05_x.ipynb) and to the glossary / references (glossary.md#c) are
    # pointed at the edition's pages, and anchors at the ids nbconvert gives the headings there
    pages = build_html.build(tmp_path, notebook_paths())
    html = {p.name: p.read_text(encoding="utf-8") for p in pages}
    ids = {name: set(re.findall(r'id="([^"]+)"', text)) for name, text in html.items()}
    broken = []
    for page, text in html.items():
        for target, anchor in re.findall(r'href="([^":]*?)(?:#([^"]*))?"', text):
            if target.startswith("_static"):
                continue
            name = target or page
            if name not in ids or (anchor and anchor not in ids[name]):
                broken.append(f"{page}: {target}#{anchor}")
    assert not broken, broken


def test_links_in_the_repository_lead_to_a_file_and_a_heading():
    # what a reader clicks on GitHub or in JupyterLab: notebooks' markdown, the teacher's guide,
    # the README, the glossary and the references
    sources = {p: p.read_text(encoding="utf-8") for p in ROOT.glob("*.md")}
    sources |= {p: p.read_text(encoding="utf-8") for p in (ROOT / "teaching").glob("*.md")}
    sources |= {p: p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.md")}
    for path in notebook_paths():
        cells = nbformat.read(path, as_version=4).cells
        sources[path] = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    broken = []
    for path, text in sources.items():
        for target, anchor in re.findall(r"\]\(([^)\s#:]*)(?:#([^)\s]*))?\)", text):
            file = (path.parent / target).resolve() if target else path
            if not file.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
            elif anchor and file.suffix == ".md":
                if anchor not in heading_ids(file):
                    broken.append(f"{path.relative_to(ROOT)}: {target}#{anchor}")
    assert not broken, broken
