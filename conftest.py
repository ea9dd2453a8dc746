"""Project-wide pytest hooks: headless matplotlib, nbval and widget cells, and a closing summary
that says what ran (unit tests, notebooks under nbval, the real-browser test)."""

from __future__ import annotations

import os
from collections import Counter

os.environ.setdefault("MPLBACKEND", "Agg")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Regenerates the torch reference where torch is installed; never imported by the tests
# (--doctest-modules would otherwise import every .py file it is given).
collect_ignore = ["tests/reference/make_torch_reference.py"]


def _shows_widget(cell) -> bool:
    return any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", []))


def pytest_collection_modifyitems(config, items):
    # A cell that displays a widget keeps what it drew inside the widget (saved notebook) but
    # prints it as plain cell output under nbval (no front end): the two never match. Such cells
    # are still executed (an error fails the test); what they show is tested in tests/.
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is not None and hasattr(item, "options") and _shows_widget(cell):
            item.options["check"] = False


def _kind(report) -> str:
    if report.nodeid.endswith(".ipynb") or ".ipynb::" in report.nodeid:
        return "notebook"
    return "browser" if "tests/browser/" in report.nodeid else "unit"


def pytest_terminal_summary(terminalreporter):
    counts: Counter = Counter()
    notebooks = set()
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") not in ("call", "setup"):
                continue
            if outcome == "passed" and report.when != "call":
                continue
            kind = _kind(report)
            counts[kind, outcome] += 1
            if kind == "notebook":
                notebooks.add(report.nodeid.split("::")[0])
    if not counts:
        return
    write = terminalreporter.write_line
    write("mmlearn summary:")
    for kind, label in (
        ("unit", "unit tests"),
        ("notebook", f"nbval cells in {len(notebooks)} notebook(s)"),
        ("browser", "real-browser tests (JupyterLab + Chromium)"),
    ):
        parts = [
            f"{counts[kind, o]} {o}"
            for o in ("passed", "failed", "error", "skipped")
            if counts[kind, o]
        ]
        write(f"  {label}: {', '.join(parts) if parts else 'none ran'}")
