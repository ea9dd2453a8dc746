"""Notebook 08's dashboard: the multi-task trade-off — pick the auxiliary task's weight λ from a
precomputed sweep, and see the main task's accuracy against the auxiliary error, and what the
shared trunk is trained on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import ScalarFormatter

from .. import train
from ..plots import PALETTE, Frame
from .dashboard import Dashboard, choice_slider


@dataclass(frozen=True)
class MultitaskResult:
    """A λ sweep (``lambdas``, and per λ the final validation ``accuracy`` of the main task and
    ``rmse`` of the auxiliary one) and the selected run's per-step losses ``main_loss`` and
    ``weighted_aux_loss`` (λ × the auxiliary loss): what the trunk's gradient is made of."""

    lambdas: np.ndarray
    accuracy: np.ndarray
    rmse: np.ndarray
    selected: int
    main_loss: np.ndarray
    weighted_aux_loss: np.ndarray


def _check_sweep(sweep: dict[float, train.History], main: str, aux: str) -> None:
    """A ValueError unless every run of ``sweep`` has the validation metrics of ``main`` and
    ``aux``."""
    if not sweep:
        raise ValueError("sweep must hold at least one run: λ -> History")
    needed = [f"val_{main}_accuracy", f"val_{aux}_loss"]
    for lam, history in sweep.items():
        if not set(needed) <= set(history.metrics):
            raise ValueError(
                f"the sweep's runs need {needed} (fit with val=..., and main and "
                f"aux naming tasks of the net); the run for λ = {lam:g} has "
                f"{sorted(history.metrics)}"
            )


def compute_multitask(
    sweep: dict[float, train.History], lam: float, main: str = "digit", aux: str = "ink"
) -> MultitaskResult:
    """Summarise ``sweep`` (λ -> History of ``MultiTaskNet.fit`` with ``Fixed({aux: λ})`` and
    validation data) for the selected ``lam``."""
    _check_sweep(sweep, main, aux)
    lambdas = np.array(sorted(sweep))
    if lam not in sweep:
        raise ValueError(f"lam must be one of the swept values {lambdas.tolist()}, got {lam!r}")
    accuracy = np.array([sweep[k].metrics[f"val_{main}_accuracy"][-1] for k in lambdas])
    rmse = np.sqrt([sweep[k].metrics[f"val_{aux}_loss"][-1] for k in lambdas])
    chosen = sweep[lam].extras["task_loss"]
    return MultitaskResult(
        lambdas, accuracy, rmse, int(np.searchsorted(lambdas, lam)), chosen[main], lam * chosen[aux]
    )


def multitask_frame(result: MultitaskResult, main: str = "digit", aux: str = "ink") -> Frame:
    """Left: the sweep's trade-off curve (drawn once) with the selected λ circled. Right: the
    selected run's main loss and weighted auxiliary loss per step."""
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_loss = frame.axes
    ax.plot(result.rmse, result.accuracy, color=PALETTE["sky"], marker="o", zorder=1)
    for lam, x, y in zip(result.lambdas, result.rmse, result.accuracy):
        ax.annotate(f"λ={lam:g}", (x, y), textcoords="offset points", xytext=(5, 4), fontsize=10)
    ax.set(
        title="trade-off over λ (validation)",
        xlabel=f"{aux} RMSE (lower is better)",
        ylabel=f"{main} accuracy",
        xscale="log",
    )
    ax.xaxis.set_major_formatter(ScalarFormatter())  # 0.5, not 5×10⁻¹: readable from the back
    ax.xaxis.set_minor_formatter(ScalarFormatter())
    frame.animate(
        "chosen",
        ax.plot(
            [], [], "o", ms=11, mfc="none", mew=2, color=PALETTE["vermillion"], label="selected λ"
        )[0],
    )
    ax.legend(loc="lower right")
    ax_loss.set(
        title="what the trunk is trained on",
        xlabel="step",
        ylabel="loss (log scale)",
        yscale="log",
        xlim=(0, len(result.main_loss)),
        ylim=(1e-4, 1e3),
    )
    frame.animate(
        "main", ax_loss.plot([], [], color=PALETTE["blue"], lw=1.5, label=f"{main} loss")[0]
    )
    frame.animate(
        "aux", ax_loss.plot([], [], color=PALETTE["orange"], lw=1.5, label=f"λ × {aux} loss")[0]
    )
    ax_loss.legend(loc="upper right")
    return frame


def draw_multitask(frame: Frame, res: MultitaskResult) -> str:
    """Show ``res`` in a :func:`multitask_frame`; returns the status line."""
    i = res.selected
    frame["chosen"].set_data([res.rmse[i]], [res.accuracy[i]])
    steps = np.arange(len(res.main_loss))
    frame["main"].set_data(steps, res.main_loss)
    frame["aux"].set_data(steps, res.weighted_aux_loss)
    return (
        f"λ = {res.lambdas[i]:g}: validation accuracy {res.accuracy[i]:.3f}, RMSE {res.rmse[i]:.3f}"
    )


def multitask_dashboard(
    sweep: dict[float, train.History], main: str = "digit", aux: str = "ink"
) -> Dashboard:
    """Pick λ (the auxiliary task's weight) from a precomputed sweep."""
    _check_sweep(sweep, main, aux)
    lambdas = sorted(sweep)
    middle = lambdas[len(lambdas) // 2]
    frame = multitask_frame(compute_multitask(sweep, middle, main, aux), main, aux)
    controls = {"lam": choice_slider("lam", lambdas, middle, "λ")}
    return Dashboard(
        controls, frame, lambda lam: draw_multitask(frame, compute_multitask(sweep, lam, main, aux))
    )
