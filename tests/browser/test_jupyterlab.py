"""Real-browser test: JupyterLab in Debian's headless Chromium, driven by Playwright.

Opens notebooks in a fresh JupyterLab (temporary settings and workspace), runs all cells,
checks that a dashboard's sliders and plot render, presses ArrowRight on a slider and waits for
the plot and the printed status to change: notebook 00 (a slider that redraws as it moves) and
notebook 06 (sliders that retrain a network when released). Nothing is downloaded: the browser is
/usr/bin/chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import stop_process_group

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("00_welcome.ipynb", "06_neural_networks.ipynb")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(root: Path) -> Path:
    """User settings with JupyterLab's news and update checks off (no network calls)."""
    settings = root / "settings"
    target = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return settings


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """A JupyterLab server on 127.0.0.1 serving copies of the tested notebooks; yields its URL
    (started once Chromium is there: see conftest.py)."""
    tmp_path = tmp_path_factory.mktemp("lab")
    work = tmp_path / "notebooks"
    work.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, work / name)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "MPLBACKEND": "Agg",
    }
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={work}",
        f"--LabApp.user_settings_dir={_settings(tmp_path)}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
    ]
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        cmd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start; see " + log.name) from None
                time.sleep(0.3)
        yield url
    finally:
        stop_process_group(server, grace=15)
        log.close()


@contextmanager
def notebook_page(browser, lab: str, notebook: str, screenshot: Path):
    """A page with ``notebook`` open and Run All sent; its last state is saved to
    ``screenshot``, also when an expectation failed."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{lab}/lab/tree/{notebook}?reset", timeout=60_000)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
        # The status bar says "Idle" only once the kernel's websocket is connected; a "Run All"
        # sent earlier is lost.
        expect(page.locator("#jp-main-statusbar").get_by_text("| Idle")).to_be_visible(
            timeout=60_000
        )
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        yield page
        assert page.locator(".jp-OutputArea-output").get_by_text("Traceback").count() == 0
    finally:
        page.screenshot(path=str(screenshot), full_page=True)
        page.close()


def test_notebook_00_dashboard_responds_to_the_keyboard(lab, chromium, tmp_path):
    from playwright.sync_api import expect

    with notebook_page(chromium, lab, NOTEBOOKS[0], tmp_path / "notebook00.png") as page:
        status = page.locator(".widget-output").get_by_text("a=1.00, lr=0.50: monotone")
        expect(status).to_be_visible(timeout=60_000)
        sliders = page.locator(".widget-hslider")
        expect(sliders).to_have_count(2)
        plot = page.locator(".widget-output img")
        expect(plot).to_be_visible()
        assert plot.evaluate("img => img.naturalWidth") > 300
        first = plot.get_attribute("src")

        handle = sliders.nth(1).locator(".noUi-handle")
        handle.focus()
        handle.press("ArrowRight")
        expect(page.locator(".widget-output").get_by_text("lr=0.55")).to_be_visible(timeout=30_000)
        assert page.locator(".widget-output img").get_attribute("src") != first


def test_notebook_06_boundary_retrains_when_a_slider_is_released(lab, chromium, tmp_path):
    from playwright.sync_api import expect

    with notebook_page(chromium, lab, NOTEBOOKS[1], tmp_path / "notebook06.png") as page:
        output = page.locator(".widget-output")
        expect(output.get_by_text("after 75 epochs")).to_be_visible(timeout=90_000)
        first_status = output.get_by_text("after 75 epochs").inner_text()
        plot = output.locator("img")
        expect(plot).to_be_visible()
        first = plot.get_attribute("src")

        handle = page.locator(".widget-hslider").first.locator(".noUi-handle")  # hidden units
        handle.focus()
        handle.press("ArrowLeft")  # 16 -> 15 units: released at once, so it retrains
        expect(plot).not_to_have_attribute("src", first, timeout=30_000)
        expect(output.get_by_text("after 75 epochs")).to_be_visible()
        assert output.get_by_text("after 75 epochs").inner_text() != first_status
