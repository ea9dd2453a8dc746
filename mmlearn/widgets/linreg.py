"""Notebook 02's dashboard: full-batch gradient descent on linear regression, with the learning
rate in units of 1/λ_max and the feature raw or standardised — conditioning made visible.

It also holds what notebook 03's dashboard (:mod:`.sgd`) reuses: the data (:func:`linreg_data`)
and the figure of a path over loss contours beside the loss gap (:func:`contour_gap_frame`,
:func:`contour_layer`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from .. import data, landscapes, linreg, optim, trajectories
from ..plots import PALETTE, Frame, status_text
from ..validate import in_range
from .dashboard import Dashboard, choice, dropdown, slider

LINREG_STEPS = 50
SCALINGS = ("raw", "standardised")


def linreg_data(scaling: str = "raw") -> tuple[np.ndarray, np.ndarray]:
    """Notebook 02's data (100 points, seed 0): the feature as it is (x in [0, 10]) or
    standardised to mean 0 and standard deviation 1."""
    choice(scaling, "scaling", SCALINGS)
    x, y = data.make_linear_regression(100, noise=1.0, seed=0)
    if scaling == "standardised":
        x = (x - x.mean()) / x.std()
    return x, y


@dataclass(frozen=True)
class LinregResult:
    """Full-batch GD on :func:`linreg_data` with ``lr = lr_times_L / λ_max``, where λ_max is
    the Hessian's largest eigenvalue (stable exactly when lr·λ_max < 2) and κ its condition
    number. (``L`` in the argument's name is the optimisation texts' name for λ_max, the
    *smoothness constant*; the notebook keeps L for the loss.)"""

    scaling: str
    lr: float
    lr_times_L: float
    trajectory: trajectories.Trajectory
    best_loss: float
    kappa: float


def compute_linreg_gd(
    lr_times_L: float = 1.0, scaling: str = "raw", steps: int = LINREG_STEPS
) -> LinregResult:
    """Full-batch GD with lr = lr_times_L / λ_max: stable exactly when lr·λ_max < 2."""
    in_range(lr_times_L, "lr_times_L")
    x, y = linreg_data(scaling)
    problem = linreg.landscape(x, y)
    lr = lr_times_L * linreg.stability_limit(x) / 2  # stability_limit = 2 / L
    traj = trajectories.run(optim.SGD(lr=lr), problem, steps=steps)
    return LinregResult(
        scaling, lr, lr_times_L, traj, problem.min_value(), linreg.condition_number(x)
    )


def contour_gap_frame(gap_axes: dict, path_label: str) -> Frame:
    """Left: a path over loss contours in (w, b) (the contours are its static layer, drawn by
    :func:`contour_layer`), one dot per iterate on a thin line, so that a path that zig-zags
    across a narrow valley stays readable. Right: the loss above its minimum on a log scale,
    set up by ``gap_axes``."""
    frame = Frame(ncols=2)
    ax_c, ax_l = frame.axes
    ax_l.set(yscale="log", ylabel="loss − minimum loss", **gap_axes)
    frame.animate(
        "path",
        ax_c.plot(
            [],
            [],
            "o-",
            color=to_rgba(PALETTE["vermillion"], 0.4),  # a faint line: the order of the steps
            mfc=PALETTE["vermillion"],  # solid dots: where the iterates are
            ms=4.5,
            lw=0.8,
            mec="white",
            mew=0.6,
            label=path_label,
        )[0],
    )
    frame.animate("gap", ax_l.plot([], [], color=PALETTE["vermillion"], lw=1.5)[0])
    ax_c.set_title(" ")
    frame.animate("title", ax_c.title)
    frame.animate("status", status_text(ax_l))
    return frame


def contour_layer(ax: Axes, scaling: str) -> list[Artist]:
    """Draw the loss contours of :func:`linreg_data` with ``scaling`` and the least-squares
    solution on ``ax``; returns the artists (a frame's static layer)."""
    problem = linreg.landscape(*linreg_data(scaling))
    X, Y, Z = landscapes.grid(problem, 80)
    levels = problem.min_value() + np.logspace(-2, np.log10(Z.max() - problem.min_value()), 14)
    contours = ax.contour(X, Y, Z, levels=levels, colors=PALETTE["sky"], linewidths=0.8)
    star = ax.plot(
        *problem.minima[0], "*", color=PALETTE["black"], ms=12, label="least-squares solution"
    )
    # equal aspect: a round bowl looks round, and each step is perpendicular to its contour
    ax.set(xlim=problem.bounds[0], ylim=problem.bounds[1], aspect="equal")
    legend = ax.legend(loc="upper left")
    return [contours, *star, legend]


def linreg_frame() -> Frame:
    """Left: the loss contours over (w, b) and the path. Right: loss above the minimum per step."""
    frame = contour_gap_frame(
        {"xlim": (0, LINREG_STEPS), "ylim": (1e-10, 1e5), "xlabel": "step", "title": "convergence"},
        "gradient descent",
    )
    frame.axes[0].set(xlabel="w (slope)", ylabel="b (intercept)")
    return frame


def draw_linreg_gd(frame: Frame, res: LinregResult) -> str:
    """Show ``res`` in a :func:`linreg_frame`; returns the status line."""
    frame.static_layer(res.scaling, lambda: contour_layer(frame.axes[0], res.scaling))
    traj = res.trajectory
    frame["path"].set_data(traj.xs[:, 0], traj.xs[:, 1])
    gap = np.maximum(traj.losses - res.best_loss, 1e-16)
    frame["gap"].set_data(np.arange(len(gap)), gap)
    frame["title"].set_text(
        f"{res.scaling} feature: κ = {res.kappa:.0f}, lr·λmax = {res.lr_times_L:.2f}"
    )
    stable = "stable" if res.lr_times_L < 2 else "unstable (lr·λmax ≥ 2)"
    if traj.diverged_at:
        frame["status"].set_text(traj.message)
    elif res.lr_times_L >= 2:
        frame["status"].set_text("lr·λmax ≥ 2: the loss grows every step")
    else:
        frame["status"].set_text("")
    return (
        f"{res.scaling} feature, lr={res.lr:.4g} (lr·λmax={res.lr_times_L:.2f}, {stable}): "
        f"{traj.message}, loss above minimum {gap[-1]:.2e}"
    )


def linreg_dashboard(lr_times_L: float = 1.0, scaling: str = "raw") -> Dashboard:
    """Learning rate (in units of 1/λ_max) and feature scaling for GD on linear regression."""
    frame = linreg_frame()
    controls = {
        "lr_times_L": slider(
            "lr_times_L", lr_times_L, 0.05, 2.2, 0.05, "lr × λmax (stable below 2)"
        ),
        "scaling": dropdown("scaling", list(SCALINGS), scaling, "feature"),
    }
    return Dashboard(
        controls,
        frame,
        lambda lr_times_L, scaling: draw_linreg_gd(frame, compute_linreg_gd(lr_times_L, scaling)),
    )
