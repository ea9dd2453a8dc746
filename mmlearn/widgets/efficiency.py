"""Notebook 09's dashboard: one grid of training runs (optimizer × batch size) seen on three
clocks — examples seen, optimizer steps, seconds — beside the accuracy each run reached."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import train
from ..plots import PALETTE, Frame
from .dashboard import Dashboard, choice, dropdown

#: The x axis of a learning curve: name -> the History attribute that holds it (None: the step).
CLOCKS = {"examples seen": "samples_seen", "optimizer steps": None, "seconds": "step_time"}


@dataclass(frozen=True)
class EfficiencyResult:
    """For one optimizer: per batch size, the x values on the chosen ``clock`` and the smoothed
    mini-batch loss; and ``final_accuracy[(optimizer, batch)]`` for every run of the grid."""

    optimizer: str
    clock: str
    curves: dict[int, tuple[np.ndarray, np.ndarray]]
    final_accuracy: dict[tuple[str, int], float]


def _check_grid(grid: dict[tuple[str, int], train.History]) -> None:
    """A ValueError unless ``grid`` holds runs, each fitted with validation data."""
    if not grid:
        raise ValueError("grid must hold at least one run: (optimizer, batch size) -> History")
    without_val = [key for key, h in grid.items() if "val_accuracy" not in h.metrics]
    if without_val:
        raise ValueError(
            f"grid's runs must be fitted with val=(X_val, y_val): {without_val} "
            "have no validation accuracy"
        )


def compute_efficiency(
    grid: dict[tuple[str, int], train.History], optimizer: str, clock: str = "examples seen"
) -> EfficiencyResult:
    """Learning curves of ``grid`` ((optimizer, batch size) -> History of a run fitted with
    validation data) on one of ``CLOCKS``."""
    choice(clock, "clock", CLOCKS)
    _check_grid(grid)
    runs = {batch: h for (name, batch), h in grid.items() if name == optimizer}
    if not runs:
        raise ValueError(
            f"optimizer must be one of {sorted({n for n, _ in grid})}, got {optimizer!r}"
        )
    curves = {}
    for batch, h in sorted(runs.items()):
        x = (
            np.arange(1, len(h.step_loss) + 1)
            if CLOCKS[clock] is None
            else getattr(h, CLOCKS[clock])
        )
        curves[batch] = (x, train.ema(h.step_loss, 0.95))
    final = {key: float(h.metrics["val_accuracy"][-1]) for key, h in grid.items()}
    return EfficiencyResult(optimizer, clock, curves, final)


def efficiency_frame(grid: dict[tuple[str, int], train.History]) -> Frame:
    """Left: one learning curve per batch size (the chosen optimizer's). Right: every run's final
    validation accuracy, grouped by optimizer (drawn once)."""
    _check_grid(grid)
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_bar = frame.axes
    batches = sorted({b for _, b in grid})
    colors = [PALETTE[c] for c in ("orange", "blue", "green", "vermillion", "purple")]
    linestyles, markers = ("-", "--", "-."), ("o", "s", "D")
    ax.set(ylabel="training loss (smoothed)", yscale="log", xscale="log", ylim=(0.02, 3))
    for i, (batch, color) in enumerate(zip(batches, colors)):
        # curves of different batch sizes overlap (on the seconds clock almost entirely): each
        # gets its own line style and a marker where its run ends, and the larger batches, whose
        # curves are shorter, are drawn on top
        line = ax.plot(
            [],
            [],
            color=color,
            lw=2,
            ls=linestyles[i % len(linestyles)],
            marker=markers[i % len(markers)],
            markevery=[-1],
            ms=8,
            zorder=2 + i,
            label=f"batch {batch}",
        )[0]
        frame.animate(f"batch{batch}", line)
    ax.legend(loc="lower left", title="marker: end of run")
    frame.animate("title", ax.set_title(""))
    frame.animate("xlabel", ax.set_xlabel(" "))
    names = list(dict.fromkeys(n for n, _ in grid))
    width = 0.8 / len(batches)
    for i, (batch, color) in enumerate(zip(batches, colors)):
        ax_bar.bar(
            np.arange(len(names)) + (i - (len(batches) - 1) / 2) * width,
            [grid[n, batch].metrics["val_accuracy"][-1] for n in names],
            width,
            color=color,
            label=f"batch {batch}",
        )
    ax_bar.set_xticks(range(len(names)), names)
    ax_bar.set(
        title="validation accuracy, same number of epochs",
        ylabel="accuracy",
        ylim=(0, 1.25),
        yticks=np.linspace(0, 1, 6),
    )
    ax_bar.legend(loc="upper center", ncols=len(batches))
    return frame


def draw_efficiency(frame: Frame, res: EfficiencyResult) -> str:
    """Show ``res`` in an :func:`efficiency_frame`; returns the status line."""
    ax = frame.axes[0]
    lo = min(x[0] for x, _ in res.curves.values())
    hi = max(x[-1] for x, _ in res.curves.values())
    if ax.get_xlim() != (lo, hi):
        ax.set_xlim(lo, hi)
        frame.invalidate()
    for batch, (x, y) in res.curves.items():
        frame[f"batch{batch}"].set_data(x, y)
    frame["title"].set_text(f"{res.optimizer}: loss against {res.clock}")
    frame["xlabel"].set_text(f"{res.clock} (log scale)")
    best = max((acc, b) for (n, b), acc in res.final_accuracy.items() if n == res.optimizer)
    return f"{res.optimizer}: best final validation accuracy {best[0]:.3f} with batch {best[1]}"


def efficiency_dashboard(grid: dict[tuple[str, int], train.History]) -> Dashboard:
    """Choose an optimizer and the clock (examples, steps, seconds) to plot its runs against."""
    names = list(dict.fromkeys(n for n, _ in grid))
    frame = efficiency_frame(grid)
    controls = {
        "optimizer": dropdown("optimizer", names, names[0], "optimizer"),
        "clock": dropdown("clock", list(CLOCKS), "examples seen", "x axis"),
    }
    return Dashboard(
        controls, frame, lambda **v: draw_efficiency(frame, compute_efficiency(grid, **v))
    )
