"""Notebook 05's dashboard: a blend of GD, momentum and RMSprop (weights normalised to sum to 1)
racing against its members, on notebook 04's landscapes and figure (:mod:`.race`)."""

from __future__ import annotations

from .. import optim, trajectories
from ..validate import in_range
from .dashboard import Dashboard, choice, dropdown, slider
from .race import RACE_LANDSCAPES, RACE_LRS, RACE_STEPS, RaceResult, draw_race, race_frame

BLEND_RACERS = ("GD", "momentum", "RMSprop", "blend")


def blend_members(landscape: str) -> dict[str, optim.Optimizer]:
    """The blend's members with the learning rates that suit ``landscape`` (RACE_LRS)."""
    lr_gd, lr_momentum, lr_rmsprop, _ = RACE_LRS[choice(landscape, "landscape", RACE_LRS)]
    return {
        "GD": optim.SGD(lr=lr_gd),
        "momentum": optim.SGD(lr=lr_momentum, momentum=0.9),
        "RMSprop": optim.RMSprop(lr=lr_rmsprop),
    }


def compute_blend(
    landscape: str = "ill-conditioned bowl",
    w_gd: float = 0.2,
    w_momentum: float = 0.4,
    w_rmsprop: float = 0.4,
    steps: int = RACE_STEPS,
) -> RaceResult:
    """Each member alone, and their blend with weights (each >= 0) normalised to sum to 1.
    With every weight 0 the blend does not move, and its note says so (the dashboard's sliders
    can all reach 0)."""
    weights = [
        in_range(w_gd, "w_gd"),
        in_range(w_momentum, "w_momentum"),
        in_range(w_rmsprop, "w_rmsprop"),
    ]
    members = blend_members(landscape)
    problem = RACE_LANDSCAPES[landscape]
    runs = {name: trajectories.run(opt, problem, steps=steps) for name, opt in members.items()}
    if sum(weights) > 0:
        fresh = blend_members(landscape).values()  # the members above carry their runs' state
        blend, notes = optim.Blend(list(zip(weights, fresh)), normalize=True), {}
    else:
        blend, notes = optim.SGD(lr=0.0), {"blend": "no weight: the blend does not move"}
    runs["blend"] = trajectories.run(blend, problem, steps=steps)
    return RaceResult(landscape, runs, problem.min_value(), notes)


def blend_dashboard(landscape: str = "ill-conditioned bowl") -> Dashboard:
    """Weights of GD, momentum and RMSprop in a blend (normalised to sum to 1)."""
    frame = race_frame(BLEND_RACERS, title="members alone vs their blend")
    controls = {
        "landscape": dropdown("landscape", list(RACE_LANDSCAPES), landscape, "landscape"),
        "w_gd": slider("w_gd", 0.2, 0.0, 1.0, 0.05, "weight GD"),
        "w_momentum": slider("w_momentum", 0.4, 0.0, 1.0, 0.05, "weight momentum"),
        "w_rmsprop": slider("w_rmsprop", 0.4, 0.0, 1.0, 0.05, "weight RMSprop"),
    }
    return Dashboard(
        controls,
        frame,
        lambda **v: draw_race(frame, compute_blend(**v)),
        rows=[["landscape"], ["w_gd", "w_momentum", "w_rmsprop"]],
    )
