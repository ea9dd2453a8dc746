"""Real-browser test of the classroom editions, offline: every page of the reading edition
(``make html``) and every deck (``make slides``) opened from disk in headless Chromium with the
network switched off. Each must load with no failed request and no request leaving the disk,
show its math typeset by the bundled MathJax (no raw TeX left, no TeX error), no widget
placeholder, and every figure (dashboards as their saved picture) as a decoded image.
"""

from __future__ import annotations

import re

import pytest

from tools import build_html, build_slides
from tools.editions import SOLUTION_TAG, for_reading, notebook_paths, read_chapters, tags

pytestmark = pytest.mark.browser

# the text of the rendered markdown, without MathJax's own output and the TeX it keeps in scripts
VISIBLE_MARKDOWN_TEXT = """() => {
  const skip = el => el.closest("script, style, .MathJax, .MathJax_Display, .MJX_Assistive_MathML");
  let text = "";
  for (const cell of document.querySelectorAll(".jp-MarkdownCell")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!skip(walker.currentNode.parentElement)) text += walker.currentNode.data;
    }
  }
  return text;
}"""
# once MathJax has started and typeset the page (a hook that returned the queued call would make
# the start-up wait for it: deadlock)
MATHJAX_DONE = """() => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error("MathJax did not finish within 30 s")), 30000);
  MathJax.Hub.Register.StartupHook("End", () => { MathJax.Hub.Queue(resolve); });
})"""
RAW_TEX = re.compile(r"\$|\\[A-Za-z]+")


@pytest.fixture(scope="module")
def chapters():
    return read_chapters(notebook_paths())


@pytest.fixture(scope="module")
def editions(tmp_path_factory, chapters):
    """Both editions of every notebook, built into a temporary folder."""
    root = tmp_path_factory.mktemp("editions")
    paths = [c.path for c in chapters]
    build_html.build(root / "html", paths)
    build_slides.build(root / "slides", paths)
    return root


def _open_offline(chromium, page_path):
    """The page opened from disk with the network off; returns it with the list of requests that
    failed or left the disk (both should stay empty)."""
    context = chromium.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("file:", "data:"))
            else problems.append(f"left the disk: {r.url}")
        ),
    )
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


def _figures(chapter, shown=lambda cell: True) -> int:
    """How many PNG figures the notebook's outputs hold (a dashboard's saved picture included)."""
    return sum(
        "image/png" in output.get("data", {})
        for cell in for_reading(chapter).cells
        if shown(cell)
        for output in cell.get("outputs", [])
    )


def _sections(chapter) -> int:
    return sum(
        len(re.findall(r"^## ", c.source, re.M))
        for c in chapter.nb.cells
        if c.cell_type == "markdown"
    )


def _check_math_and_pictures(page, expected_images):
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.Register")
    page.evaluate(MATHJAX_DONE)
    leftover = RAW_TEX.findall(page.evaluate(VISIBLE_MARKDOWN_TEXT))
    assert not leftover, f"raw TeX left visible: {leftover[:5]}"
    assert page.locator(".MathJax .merror, .MathJax_Display .merror").count() == 0, "TeX error"
    assert page.evaluate("() => MathJax.Hub.getAllJax().length") > 0
    assert "model_id" not in page.content()
    images = page.locator(".jp-OutputArea-output img")
    assert images.count() == expected_images
    assert images.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 100)")


def test_every_reading_page_renders_offline(chromium, editions, chapters):
    for i, chapter in enumerate(chapters):
        page, problems = _open_offline(chromium, editions / "html" / f"{chapter.name}.html")
        try:
            _check_math_and_pictures(page, _figures(chapter))
            nav = page.locator("nav.mm-nav").first
            if i + 1 < len(chapters):
                assert (
                    nav.locator("a[rel=next]").get_attribute("href")
                    == f"{chapters[i + 1].name}.html"
                )
            assert page.locator(".mm-solution-hidden").count() == sum(
                SOLUTION_TAG in tags(c) for c in chapter.nb.cells
            )
            assert problems == [], chapter.name
        finally:
            page.context.close()


def test_the_index_links_every_notebook_by_its_title(chromium, editions, chapters):
    for edition, suffix in (("html", ".html"), ("slides", ".slides.html")):
        page, problems = _open_offline(chromium, editions / edition / "index.html")
        try:
            links = page.locator("ol.mm-map a")
            assert links.all_inner_texts() == [c.title for c in chapters]
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            assert hrefs == [c.name + suffix for c in chapters]
            assert all((editions / edition / href).is_file() for href in hrefs)
            assert problems == []
        finally:
            page.context.close()


def test_every_deck_renders_offline(chromium, editions, chapters):
    for chapter in chapters:
        deck = editions / "slides" / f"{chapter.name}.slides.html"
        page, problems = _open_offline(chromium, deck)
        try:
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            assert page.evaluate("() => Reveal.getHorizontalSlides().length") == 1 + _sections(
                chapter
            )  # the title, then one slide per ## section
            _check_math_and_pictures(page, _figures(chapter, lambda c: SOLUTION_TAG not in tags(c)))
            page.keyboard.press("ArrowRight")
            page.wait_for_function("() => Reveal.getIndices().h === 1")
            assert problems == [], chapter.name
        finally:
            page.context.close()
