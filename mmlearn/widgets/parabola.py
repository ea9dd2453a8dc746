"""Notebook 00's dashboard: gradient descent on the parabola f(x) = a x²/2, where one number,
r = 1 − lr·a, decides whether the iterates creep, oscillate or diverge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import trajectories
from ..plots import PALETTE, Frame, status_text
from ..validate import in_range
from .dashboard import Dashboard, slider

REGIME_COLORS = {
    "monotone": PALETTE["green"],
    "one step": PALETTE["green"],
    "oscillating": PALETTE["orange"],
    "bouncing": PALETTE["orange"],
    "diverging": PALETTE["vermillion"],
    "stuck": PALETTE["black"],
}
GD_1D_X_MAX, GD_1D_STEPS, GD_1D_X0 = 2.5, 20, 2.0
#: The sliders' ranges: lr reaches beyond the stability limit 2/a for every a on the slider
#: (2/a <= 4 < 5), so divergence can be seen at every curvature, the gentlest included.
GD_1D_A_RANGE, GD_1D_LR_RANGE = (0.5, 4.0), (0.0, 5.0)


@dataclass(frozen=True)
class GD1DResult:
    """What the notebook-00 dashboard shows: iterates ``xs`` (k+1,), their losses ``fs``,
    the step factor ``r = 1 - lr*a``, the regime's name and the divergence step (or None)."""

    a: float
    lr: float
    xs: np.ndarray
    fs: np.ndarray
    r: float
    regime: str
    diverged_at: int | None


def compute_gd_1d(
    a: float = 1.0, lr: float = 0.5, x0: float = GD_1D_X0, steps: int = GD_1D_STEPS
) -> GD1DResult:
    """Gradient descent on f(x) = a x²/2 from ``x0``: iterates, losses and the regime."""
    in_range(a, "a", 0.0, lo_open=True)
    in_range(lr, "lr")
    in_range(x0, "x0", -np.inf, np.inf)
    regime = trajectories.quadratic_regime(a, lr)
    path = trajectories.gd_1d(lambda x: a * x, x0, lr, steps)
    return GD1DResult(a, lr, path.xs, 0.5 * a * path.xs**2, 1.0 - lr * a, regime, path.diverged_at)


def gd_1d_frame(x_max: float = GD_1D_X_MAX) -> Frame:
    """Left: the parabola and the path over it. Right: x_k against k with the envelope |r|^k."""
    frame = Frame(ncols=2)
    ax_f, ax_k = frame.axes
    f_start = 0.5 * GD_1D_A_RANGE[1] * GD_1D_X0**2  # the start stays in view at every a
    ax_f.set(xlim=(-x_max, x_max), ylim=(-0.3, 1.05 * f_start), xlabel="x", ylabel="f(x) = a·x²/2")
    ax_k.set(
        xlim=(-0.5, GD_1D_STEPS + 0.5),
        ylim=(-x_max, x_max),
        xlabel="step k",
        ylabel="iterate $x_k$",
    )
    ax_k.axhline(0, color=PALETTE["black"], lw=0.8)
    frame.animate("curve", ax_f.plot([], [], color=PALETTE["black"], lw=1, label="f(x)")[0])
    frame.animate(
        "path",
        ax_f.plot([], [], "o-", color=PALETTE["blue"], ms=4, lw=1, label="iterates $x_k$")[0],
    )
    frame.animate(
        "upper",
        ax_k.plot([], [], "--", color=PALETTE["sky"], lw=1, label=r"envelope $\pm|r|^k x_0$")[0],
    )
    frame.animate("lower", ax_k.plot([], [], "--", color=PALETTE["sky"], lw=1)[0])
    frame.animate(
        "xk", ax_k.plot([], [], "o-", color=PALETTE["blue"], ms=4, lw=1, label="$x_k$")[0]
    )
    # static: drawing a legend every frame costs ~8 ms; below the top, where a steep start sits
    ax_f.legend(loc="upper center", bbox_to_anchor=(0.5, 0.86))
    ax_k.legend(loc="upper right")
    ax_f.set_title(" ")
    ax_k.set_title(" ")
    frame.animate("title_f", ax_f.title)
    frame.animate("title_k", ax_k.title)
    frame.animate("status", status_text(ax_k))
    return frame


def draw_gd_1d(frame: Frame, res: GD1DResult) -> str:
    """Show ``res`` in a :func:`gd_1d_frame`; returns the status line."""
    grid = np.linspace(-GD_1D_X_MAX, GD_1D_X_MAX, 121)
    k = np.arange(len(res.xs))
    envelope = res.xs[0] * np.abs(res.r) ** k
    frame["curve"].set_data(grid, 0.5 * res.a * grid**2)
    frame["path"].set_data(res.xs, res.fs)
    frame["xk"].set_data(k, res.xs)
    frame["upper"].set_data(k, envelope)
    frame["lower"].set_data(k, -envelope)
    frame["title_f"].set_text(f"lr = {res.lr:.2f};  1/a = {1 / res.a:.2f},  2/a = {2 / res.a:.2f}")
    frame["title_k"].set_text(f"{res.regime}:  r = 1 − lr·a = {res.r:+.2f}")
    frame["title_k"].set_color(REGIME_COLORS[res.regime])
    frame["status"].set_text(gd_1d_status(res))
    return f"a={res.a:.2f}, lr={res.lr:.2f}: {res.regime} (r = {res.r:+.2f})"


def gd_1d_status(res: GD1DResult) -> str:
    """The figure's status line: where a run diverged (left the bound of
    :func:`mmlearn.trajectories.gd_1d`), or how fast it is diverging when it has not yet, or
    that it bounces; empty for a converging run."""
    if res.diverged_at is not None:
        return f"diverged at step {res.diverged_at}"
    if res.regime == "diverging":
        return f"diverging: |x| grows ×{abs(res.r):.2f} per step"
    if res.regime == "bouncing":
        return "bouncing: |x| stays |x₀| forever"
    return ""


def gd_1d_dashboard(a: float = 1.0, lr: float = 0.5) -> Dashboard:
    """Sliders for the curvature ``a`` and the learning rate ``lr`` of GD on a·x²/2."""
    frame = gd_1d_frame()
    controls = {
        "a": slider("a", a, *GD_1D_A_RANGE, 0.1, "curvature a"),
        "lr": slider("lr", lr, *GD_1D_LR_RANGE, 0.05, "learning rate lr"),
    }
    return Dashboard(controls, frame, lambda a, lr: draw_gd_1d(frame, compute_gd_1d(a, lr)))
