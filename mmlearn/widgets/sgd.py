"""Notebook 03's dashboard: full-batch, stochastic and mini-batch gradient descent on notebook
02's (standardised) linear regression, with a learning-rate schedule; the loss gap is plotted
against examples seen, the fair clock between batch sizes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import linreg, optim, schedules, train, validate
from ..plots import Frame
from .dashboard import Dashboard, choice, dropdown, slider
from .linreg import contour_gap_frame, contour_layer, linreg_data

SGD_EPOCHS = 5
SCHEDULES = ("constant", "step", "cosine", "1/t")


def make_schedule(name: str, steps_per_epoch: int, total_steps: int):
    """Notebook 03's schedules, in optimizer steps: halve every epoch, cosine to 0 over the run,
    or 1/(1 + t/steps_per_epoch)."""
    choice(name, "schedule", SCHEDULES)
    validate.int_at_least(steps_per_epoch, "steps_per_epoch")
    validate.int_at_least(total_steps, "total_steps")
    return {
        "constant": schedules.constant,
        "step": lambda: schedules.step_decay(steps_per_epoch, gamma=0.5),
        "cosine": lambda: schedules.cosine(total_steps),
        "1/t": lambda: schedules.inverse_time(1.0 / steps_per_epoch),
    }[name]()


@dataclass(frozen=True)
class SGDResult:
    """Mini-batch descent on notebook 02's standardised regression (100 examples)."""

    batch_size: int
    lr: float
    schedule: str
    trajectory: train.MinibatchTrajectory
    best_loss: float


def compute_sgd(
    batch_size: int = 16,
    lr: float = 0.1,
    schedule: str = "constant",
    epochs: int = SGD_EPOCHS,
    seed: int = 0,
) -> SGDResult:
    """``epochs`` epochs of SGD(lr) with mini-batches of ``batch_size`` from (w, b) = (0, 0)."""
    validate.int_at_least(batch_size, "batch_size")
    validate.int_at_least(epochs, "epochs")
    validate.seed(seed)
    x, y = linreg_data("standardised")
    steps_per_epoch = -(-len(x) // batch_size)
    lr_schedule = make_schedule(schedule, steps_per_epoch, epochs * steps_per_epoch)
    traj = train.minibatch_descent(
        linreg.objective(x, y),
        len(x),
        np.zeros(2),
        optim.SGD(lr=lr),
        batch_size,
        epochs,
        seed=seed,
        schedule=None if schedule == "constant" else lr_schedule,
    )
    return SGDResult(batch_size, lr, schedule, traj, linreg.landscape(x, y).min_value())


def sgd_frame() -> Frame:
    """Left: the (standardised) loss contours and the path. Right: loss gap vs examples seen."""
    frame = contour_gap_frame(
        {
            "xlim": (0, 100 * SGD_EPOCHS),
            "ylim": (1e-6, 1e3),
            "xlabel": "examples seen (gradient evaluations)",
            "title": f"{SGD_EPOCHS} epochs",
        },
        "path",
    )
    frame.axes[0].set(xlabel="w", ylabel="b")
    # the same static layer as notebook 02's dashboard, on the standardised feature for good
    frame.static_layer("standardised", lambda: contour_layer(frame.axes[0], "standardised"))
    return frame


def draw_sgd(frame: Frame, res: SGDResult) -> str:
    """Show ``res`` in an :func:`sgd_frame`; returns the status line."""
    traj = res.trajectory
    frame["path"].set_data(traj.xs[:, 0], traj.xs[:, 1])
    gap = np.maximum(traj.losses - res.best_loss, 1e-16)
    frame["gap"].set_data(traj.examples, gap)
    steps = len(traj.xs) - 1
    frame["title"].set_text(
        f"batch {res.batch_size}, lr {res.lr:.2f}, {res.schedule}: {steps} steps"
    )
    frame["status"].set_text(traj.message if traj.diverged_at else "")
    ending = traj.message if traj.diverged_at else f"{steps} steps"
    return (
        f"batch={res.batch_size}, lr={res.lr:.2f}, schedule={res.schedule}: {ending}, "
        f"loss above minimum {gap[-1]:.2e}"
    )


def sgd_dashboard(batch_size: int = 16, lr: float = 0.1, schedule: str = "constant") -> Dashboard:
    """Batch size, learning rate and schedule of mini-batch SGD on a linear regression."""
    frame = sgd_frame()
    controls = {
        "batch_size": dropdown("batch_size", [1, 4, 16, 100], batch_size, "batch size"),
        "lr": slider("lr", lr, 0.01, 1.0, 0.01, "learning rate lr"),
        "schedule": dropdown("schedule", list(SCHEDULES), schedule, "schedule"),
    }
    return Dashboard(
        controls,
        frame,
        lambda batch_size, lr, schedule: draw_sgd(frame, compute_sgd(batch_size, lr, schedule)),
    )
