"""Notebook 04's dashboard: GD, momentum, RMSprop and Adam racing on a 2-D landscape, each with
its own learning rate. Its figure (:func:`race_frame`, :func:`draw_race`) also shows notebook
05's blend against its members (:mod:`.blend`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .. import landscapes, optim
from ..plots import PALETTE, Frame, status_text
from ..trajectories import Trajectory, run
from ..validate import in_range
from .dashboard import Dashboard, choice, dropdown, log_slider, slider

RACE_STEPS = 250
RACE_LANDSCAPES = {
    "ill-conditioned bowl": landscapes.quadratic(50.0, 30.0),
    **landscapes.LANDSCAPES,
}
#: Learning rates that give each racer a fair start on each landscape (GD, momentum, RMSprop,
#: Adam), found by a coarse search over powers of 10^0.5 for 250 steps.
RACE_LRS = {
    "ill-conditioned bowl": (1.0, 0.3, 0.1, 0.1),
    "Rosenbrock": (1e-3, 1e-3, 1e-2, 0.1),
    "Beale": (1e-2, 3e-3, 3e-2, 0.1),
    "Himmelblau": (1e-2, 3e-3, 0.1, 0.1),
    "saddle": (0.1, 0.1, 3e-2, 0.1),
    "Rastrigin": (1e-2, 3e-3, 0.1, 0.1),
}
RACERS = ("GD", "momentum", "RMSprop", "Adam")
#: How the racers are drawn, in their order. Paths often share stretches (on the bowl GD's
#: first step runs along momentum's, then along the valley floor under Adam's), so the first
#: racer is a wide translucent band drawn underneath, like a highlighter, and the others are
#: narrower lines on top, each with its own line style and a marker every 25 steps (which also
#: shows each one's pace): every path stays visible.
RACER_STYLES = (
    {"color": PALETTE["black"], "lw": 7.0, "alpha": 0.3, "ls": "-", "marker": "s"},
    {"color": PALETTE["blue"], "lw": 2.2, "ls": "-", "marker": "o"},
    {"color": PALETTE["orange"], "lw": 1.8, "ls": "--", "marker": "^"},
    {"color": PALETTE["vermillion"], "lw": 1.3, "ls": "-", "marker": "D"},
)


def race_optimizers(
    lr_gd: float, lr_momentum: float, beta: float, lr_rmsprop: float, lr_adam: float, beta1: float
) -> dict[str, optim.Optimizer]:
    """The four racers, built from the dashboard's controls (learning rates >= 0, betas in
    [0, 1))."""
    for lr, name in [
        (lr_gd, "lr_gd"),
        (lr_momentum, "lr_momentum"),
        (lr_rmsprop, "lr_rmsprop"),
        (lr_adam, "lr_adam"),
    ]:
        in_range(lr, name)
    in_range(beta, "beta", 0.0, 1.0, hi_open=True)
    in_range(beta1, "beta1", 0.0, 1.0, hi_open=True)
    return {
        "GD": optim.SGD(lr=lr_gd),
        "momentum": optim.SGD(lr=lr_momentum, momentum=beta),
        "RMSprop": optim.RMSprop(lr=lr_rmsprop),
        "Adam": optim.Adam(lr=lr_adam, betas=(beta1, 0.999)),
    }


@dataclass(frozen=True)
class RaceResult:
    """Each racer's ``trajectories[name]`` on the landscape named ``landscape``, whose lowest
    value is ``min_value``; ``notes[name]`` says why a racer's run is not what it seems (a
    blend with no weight does not move)."""

    landscape: str
    trajectories: dict[str, Trajectory]
    min_value: float
    notes: dict[str, str] = field(default_factory=dict)


def compute_race(
    landscape: str = "ill-conditioned bowl",
    lr_gd: float = 1.0,
    lr_momentum: float = 0.3,
    beta: float = 0.9,
    lr_rmsprop: float = 0.1,
    lr_adam: float = 0.1,
    beta1: float = 0.9,
    steps: int = RACE_STEPS,
) -> RaceResult:
    """Run every racer for ``steps`` steps from the landscape's start."""
    problem = RACE_LANDSCAPES[choice(landscape, "landscape", RACE_LANDSCAPES)]
    racers = race_optimizers(lr_gd, lr_momentum, beta, lr_rmsprop, lr_adam, beta1)
    return RaceResult(
        landscape,
        {name: run(opt, problem, steps=steps) for name, opt in racers.items()},
        problem.min_value(),
    )


def race_frame(racers: tuple[str, ...] = RACERS, title: str = "the race") -> Frame:
    """Left: contours and the racers' paths. Right: each racer's loss above the minimum."""
    frame = Frame(ncols=2, width=4.6, height=3.9)
    ax_c, ax_l = frame.axes
    ax_l.set(
        yscale="log",
        xlim=(0, RACE_STEPS),
        ylim=(1e-10, 1e4),
        xlabel="step",
        ylabel="loss − minimum",
        title=title,
    )
    for name, style in zip(racers, RACER_STYLES):
        frame.animate(f"path {name}", ax_c.plot([], [], markevery=25, ms=5, label=name, **style)[0])
        without_marker = {key: value for key, value in style.items() if key != "marker"}
        frame.animate(f"loss {name}", ax_l.plot([], [], label=name, **without_marker)[0])
    ax_c.set_aspect("equal")  # geometry matters: a tilted valley must look tilted
    ax_l.legend(loc="lower left")
    ax_c.set_title(" ")
    frame.animate("title", ax_c.title)
    frame.animate("status", status_text(ax_l))
    return frame


def landscape_layer(ax: Axes, name: str) -> list[Artist]:
    """Draw the contours, start and minima of ``RACE_LANDSCAPES[name]`` on ``ax``; returns the
    artists (a frame's static layer)."""
    problem = RACE_LANDSCAPES[choice(name, "name", RACE_LANDSCAPES)]
    X, Y, Z = landscapes.grid(problem, 120)
    gap = Z - problem.min_value()
    levels = (
        problem.min_value() + np.logspace(-2, np.log10(gap.max()), 15) if problem.log_scale else 15
    )
    filled = ax.contourf(X, Y, Z, levels=levels, cmap="Greys", alpha=0.35)
    lines = ax.contour(X, Y, Z, levels=filled.levels, colors="grey", linewidths=0.4)
    stars = ax.plot(
        problem.minima[:, 0],
        problem.minima[:, 1],
        "*",
        color=PALETTE["green"],
        ms=11,
        label="minimum",
    )
    start = ax.plot(*problem.start, "o", color=PALETTE["black"], ms=5)
    ax.set(xlim=problem.bounds[0], ylim=problem.bounds[1], xlabel="x", ylabel="y")
    legend = ax.legend(loc="upper right", fontsize=8)
    return [filled, lines, *stars, *start, legend]


def draw_race(frame: Frame, res: RaceResult) -> str:
    """Show ``res`` in a :func:`race_frame`; returns the status line (final gaps). A racer that
    diverged, or has a note (see :class:`RaceResult`), is said so in the figure too."""
    frame.static_layer(res.landscape, lambda: landscape_layer(frame.axes[0], res.landscape))
    parts, said = [], []
    for name, traj in res.trajectories.items():
        frame[f"path {name}"].set_data(traj.xs[:, 0], traj.xs[:, 1])
        gap = np.maximum(traj.losses - res.min_value, 1e-16)
        frame[f"loss {name}"].set_data(np.arange(len(gap)), gap)
        if name in res.notes:
            said.append(f"{name}: {res.notes[name]}")
            parts.append(f"{name}: {res.notes[name]}")
        elif traj.diverged_at is not None:
            said.append(f"{name} diverged at step {traj.diverged_at}")
            parts.append(f"{name} diverged")
        else:
            parts.append(f"{name} {gap[-1]:.1e}")
    frame["title"].set_text(res.landscape)
    frame["status"].set_text("\n".join(said))
    return f"{res.landscape}: " + ", ".join(parts)


def race_dashboard(landscape: str = "ill-conditioned bowl") -> Dashboard:
    """GD, momentum, RMSprop and Adam race on a landscape; each has its own lr (and β)."""
    frame = race_frame()
    lr_gd, lr_momentum, lr_rmsprop, lr_adam = RACE_LRS[
        choice(landscape, "landscape", RACE_LANDSCAPES)
    ]
    controls = {
        "landscape": dropdown("landscape", list(RACE_LANDSCAPES), landscape, "landscape"),
        "lr_gd": log_slider("lr_gd", lr_gd, -4, 0.5, "GD lr"),
        "lr_momentum": log_slider("lr_momentum", lr_momentum, -4, 0.5, "momentum lr"),
        "beta": slider("beta", 0.9, 0.0, 0.99, 0.01, "momentum β"),
        "lr_rmsprop": log_slider("lr_rmsprop", lr_rmsprop, -4, 0.5, "RMSprop lr"),
        "lr_adam": log_slider("lr_adam", lr_adam, -4, 0.5, "Adam lr"),
        "beta1": slider("beta1", 0.9, 0.0, 0.99, 0.01, "Adam β₁"),
    }
    dash = Dashboard(
        controls,
        frame,
        lambda **v: draw_race(frame, compute_race(**v)),
        rows=[["landscape"], ["lr_gd", "lr_momentum", "beta"], ["lr_rmsprop", "lr_adam", "beta1"]],
    )

    def suggest_lrs(change):  # a new landscape starts from learning rates that suit it
        dash.set_values(
            **dict(zip(["lr_gd", "lr_momentum", "lr_rmsprop", "lr_adam"], RACE_LRS[change["new"]]))
        )

    controls["landscape"].observe(suggest_lrs, names="value")
    return dash
