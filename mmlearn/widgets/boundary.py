"""Notebook 06's dashboard: a small network's decision boundary on a 2-D data set, retrained
when the data, the width, the optimizer (a blend too) or the learning rate changes; and the same
picture as a still image for a notebook cell (:func:`boundary_image`).

Training is the heavy part, so the sliders here redraw when released, not at every pixel of the
drag (``continuous=False``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from IPython.display import Image
from matplotlib.colors import LinearSegmentedColormap

from .. import data, losses, nn, optim, train, validate
from ..plots import PALETTE, Frame, status_text
from .dashboard import Dashboard, choice, dropdown, int_slider, log_slider

#: Optimizers offered by the dashboard: name -> factory(lr).
OPTIMIZERS: dict[str, Callable[[float], optim.Optimizer]] = {
    "SGD": lambda lr: optim.SGD(lr=lr),
    "momentum": lambda lr: optim.SGD(lr=lr, momentum=0.9),
    "RMSprop": lambda lr: optim.RMSprop(lr=lr),
    "Adam": lambda lr: optim.Adam(lr=lr),
    "blend(momentum, Adam)": lambda lr: optim.Blend(
        [(0.5, optim.SGD(lr=lr, momentum=0.9)), (0.5, optim.Adam(lr=lr))]
    ),
}

#: Blue (class 0) to orange (class 1) through white: the probability of class 1.
BLUE_ORANGE = LinearSegmentedColormap.from_list(
    "blue_orange", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]]
)

BOUNDARY_DATA = {
    "moons": lambda: data.make_moons(200, noise=0.15, seed=0),
    "spirals": lambda: data.make_spirals(200, noise=0.05, seed=0),
}
#: The region (x_min, x_max, y_min, y_max) the boundary is drawn over, per data set.
BOUNDARY_LIMITS = {"moons": (-1.6, 2.6, -1.3, 1.8), "spirals": (-1.3, 1.3, -1.3, 1.3)}
BOUNDARY_GRID = 60


@dataclass(frozen=True)
class BoundaryResult:
    """A trained network's view of a 2-D data set: ``proba`` (grid, grid) = P(class 1) over
    ``extent``, the training ``history``, and the data ``X``, ``y``."""

    X: np.ndarray
    y: np.ndarray
    proba: np.ndarray
    extent: tuple[float, float, float, float]
    history: train.History


def compute_boundary(
    dataset: str = "moons",
    hidden: int = 16,
    optimizer: str = "Adam",
    lr: float = 0.03,
    epochs: int = 75,
    activation: str = "relu",
    seed: int = 0,
) -> BoundaryResult:
    """Train ``MLP([2, hidden, hidden, 2])`` on ``dataset`` (200 points, batch 100) and
    evaluate P(class 1) on a grid covering the data."""
    choice(dataset, "dataset", BOUNDARY_DATA)
    choice(optimizer, "optimizer", OPTIMIZERS)
    validate.int_at_least(hidden, "hidden")
    validate.seed(seed)
    X, y = BOUNDARY_DATA[dataset]()
    net = nn.MLP([2, hidden, hidden, 2], activation=activation, seed=seed)
    history = train.fit(
        net,
        losses.softmax_cross_entropy,
        OPTIMIZERS[optimizer](lr),
        X,
        y,
        epochs=epochs,
        batch_size=100,
        seed=seed,
    )
    return boundary_result(net, X, y, history, BOUNDARY_LIMITS[dataset])


def boundary_result(
    net,
    X: np.ndarray,
    y: np.ndarray,
    history: train.History,
    extent: tuple[float, float, float, float],
) -> BoundaryResult:
    """Evaluate a trained 2-input classifier's P(class 1) on a grid over ``extent``."""
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, BOUNDARY_GRID), np.linspace(y0, y1, BOUNDARY_GRID))
    with np.errstate(all="ignore"):  # a diverged network gives NaN: drawn blank, reported
        logits = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))
        proba = losses.softmax(logits)[:, 1].reshape(gx.shape)
    return BoundaryResult(X, y, proba, extent, history)


def boundary_frame() -> Frame:
    """Left: P(class 1) as a colour image under the data, at equal aspect. Middle: the training
    loss (log scale). Right: the training accuracy (linear, 0 to 1). Loss and accuracy get an
    axes each: they have different units, and accuracy near 1 is unreadable on a log axis."""
    frame = Frame(ncols=3, width=3.4, height=3.3)
    ax, ax_loss, ax_acc = frame.axes
    ax.set(title="decision boundary: P(class 1)", xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    frame.animate(
        "image",
        ax.imshow(
            np.full((2, 2), 0.5),
            origin="lower",
            cmap=BLUE_ORANGE,
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="bilinear",
            alpha=0.45,
        ),
    )
    ax.set_aspect("equal", adjustable="box")  # the data's true shape: one unit is one unit
    frame.animate("points", ax.scatter([], [], s=14, edgecolors="black", linewidths=0.6))
    ax_loss.set(
        title="training loss",
        xlabel="epoch",
        ylabel="cross-entropy (log scale)",
        yscale="log",
        ylim=(1e-3, 3),
    )
    frame.animate("loss", ax_loss.plot([], [], color=PALETTE["vermillion"], label="loss")[0])
    frame.animate("status", status_text(ax_loss))
    ax_acc.set(title="training accuracy", xlabel="epoch", ylabel="accuracy", ylim=(0.0, 1.02))
    ax_acc.axhline(0.5, color="grey", ls=":", lw=1, label="chance (0.5)")
    frame.animate("acc", ax_acc.plot([], [], color=PALETTE["green"], label="accuracy")[0])
    ax_acc.legend(loc="lower right")
    return frame


def draw_boundary(frame: Frame, res: BoundaryResult) -> str:
    """Show ``res`` in a :func:`boundary_frame`; returns the status line."""
    ax, ax_loss, ax_acc = frame.axes
    x0, x1, y0, y1 = res.extent
    if (ax.get_xlim(), ax.get_ylim()) != ((x0, x1), (y0, y1)):
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        frame.invalidate()
    frame["image"].set_data(res.proba)
    frame["image"].set_extent(res.extent)
    frame["points"].set_offsets(res.X)
    frame["points"].set_facecolors(
        [PALETTE["blue"] if c == 0 else PALETTE["orange"] for c in res.y]
    )
    m = res.history.metrics
    epochs = np.arange(len(m["train_loss"]))
    frame["loss"].set_data(epochs, m["train_loss"])
    frame["acc"].set_data(epochs, m["train_accuracy"])
    if ax_loss.get_xlim() != (0, max(epochs[-1], 1)):
        for axes in (ax_loss, ax_acc):
            axes.set_xlim(0, max(epochs[-1], 1))
        frame.invalidate()
    if res.history.diverged:
        frame["status"].set_text(res.history.message)
        return f"{res.history.message}: lower the learning rate"
    frame["status"].set_text("")
    return (
        f"train accuracy {m['train_accuracy'][-1]:.3f}, loss {m['train_loss'][-1]:.4f} "
        f"after {res.history.epochs} epochs"
    )


def boundary_image(res: BoundaryResult, title: str | None = None) -> Image:
    """The boundary and the training curves as a PNG image (for a notebook cell)."""
    frame = boundary_frame()
    draw_boundary(frame, res)
    if title:
        frame.axes[0].set_title(title)
    return Image(data=frame.png())


def boundary_dashboard(
    dataset: str = "moons", hidden: int = 16, optimizer: str = "Adam", lr: float = 0.03
) -> Dashboard:
    """Data set, hidden width, optimizer (a blend too) and learning rate of a small MLP."""
    frame = boundary_frame()
    controls = {
        "dataset": dropdown("dataset", list(BOUNDARY_DATA), dataset, "data"),
        "optimizer": dropdown("optimizer", list(OPTIMIZERS), optimizer, "optimizer"),
        "hidden": int_slider("hidden", hidden, 1, 64, "hidden units", continuous=False),
        "lr": log_slider("lr", lr, -4, 0.5, "learning rate", continuous=False),
    }
    return Dashboard(
        controls,
        frame,
        lambda **v: draw_boundary(frame, compute_boundary(**v)),
        rows=[["dataset", "optimizer"], ["hidden", "lr"]],
    )
