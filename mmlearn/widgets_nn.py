"""Dashboards for notebooks 06–09 (networks, fusion, multi-task, efficiency), built like those
in :mod:`mmlearn.widgets` (re-exported there): a pure ``compute_*``, a ``*_frame`` built once,
a ``draw_*`` that updates only the changing artists, and ``*_dashboard`` wiring controls.

Training is the heavy part here, so sliders that retrain use ``continuous_update=False``:
the network is trained once when the slider is released, not at every pixel of the drag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from . import data, losses, nn, optim, train
from .dashboard import Dashboard, dropdown, log_slider, slider, widgets
from .plots import PALETTE, Frame, status_text

__all__ = ["boundary_dashboard", "compute_boundary", "compute_fusion", "fusion_dashboard",
           "compute_multitask", "multitask_dashboard", "compute_efficiency",
           "efficiency_dashboard"]

#: Optimizers offered by the training dashboards: name -> factory(lr).
OPTIMIZERS: dict[str, Callable[[float], optim.Optimizer]] = {
    "SGD": lambda lr: optim.SGD(lr=lr),
    "momentum": lambda lr: optim.SGD(lr=lr, momentum=0.9),
    "RMSprop": lambda lr: optim.RMSprop(lr=lr),
    "Adam": lambda lr: optim.Adam(lr=lr),
    "blend(momentum, Adam)": lambda lr: optim.Blend(
        [(0.5, optim.SGD(lr=lr, momentum=0.9)), (0.5, optim.Adam(lr=lr))]),
}

#: Blue (class 0) to orange (class 1) through white: the probability of class 1.
BLUE_ORANGE = LinearSegmentedColormap.from_list(
    "blue_orange", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]])


# --- notebook 06: a decision boundary that trains ------------------------------------------------

BOUNDARY_DATA = {"moons": lambda: data.make_moons(200, noise=0.15, seed=0),
                 "spirals": lambda: data.make_spirals(200, noise=0.05, seed=0)}
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


def compute_boundary(dataset: str = "moons", hidden: int = 16, optimizer: str = "Adam",
                     lr: float = 0.03, epochs: int = 75, activation: str = "relu",
                     seed: int = 0) -> BoundaryResult:
    """Train ``MLP([2, hidden, hidden, 2])`` on ``dataset`` (200 points, batch 100) and
    evaluate P(class 1) on a grid covering the data."""
    if dataset not in BOUNDARY_DATA:
        raise ValueError(f"dataset must be one of {sorted(BOUNDARY_DATA)}, got {dataset!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")
    X, y = BOUNDARY_DATA[dataset]()
    net = nn.MLP([2, hidden, hidden, 2], activation=activation, seed=seed)
    history = train.fit(net, losses.softmax_cross_entropy, OPTIMIZERS[optimizer](lr), X, y,
                        epochs=epochs, batch_size=100, seed=seed)
    return boundary_result(net, X, y, history, BOUNDARY_LIMITS[dataset])


def boundary_result(net, X: np.ndarray, y: np.ndarray, history: train.History,
                    extent: tuple[float, float, float, float]) -> BoundaryResult:
    """Evaluate a trained 2-input classifier's P(class 1) on a grid over ``extent``."""
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, BOUNDARY_GRID), np.linspace(y0, y1, BOUNDARY_GRID))
    with np.errstate(all="ignore"):  # a diverged network gives NaN: drawn blank, reported
        logits = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))
        proba = losses.softmax(logits)[:, 1].reshape(gx.shape)
    return BoundaryResult(X, y, proba, extent, history)


def boundary_image(res: BoundaryResult, title: str | None = None):
    """The boundary and the training curves as a PNG image (for a notebook cell)."""
    from IPython.display import Image

    frame = boundary_frame()
    draw_boundary(frame, res)
    if title:
        frame.axes[0].set_title(title)
    return Image(data=frame.png())


def boundary_frame() -> Frame:
    frame = Frame(ncols=2, width=4.0, height=3.5)
    ax, ax_loss = frame.axes
    ax.set(title="decision boundary: P(class 1)", xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    frame.animate("image", ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=BLUE_ORANGE,
                                     vmin=0, vmax=1, aspect="auto", interpolation="bilinear",
                                     alpha=0.45))
    frame.animate("points", ax.scatter([], [], s=14, edgecolors="black", linewidths=0.6))
    ax_loss.set(title="training loss and accuracy", xlabel="epoch", ylabel="value (log scale)",
                yscale="log", ylim=(1e-3, 3))
    frame.animate("loss", ax_loss.plot([], [], color=PALETTE["vermillion"], label="loss")[0])
    frame.animate("acc", ax_loss.plot([], [], color=PALETTE["green"], label="accuracy")[0])
    ax_loss.legend(loc="lower left")
    frame.animate("status", status_text(ax_loss))
    return frame


def draw_boundary(frame: Frame, res: BoundaryResult) -> str:
    ax, ax_loss = frame.axes
    x0, x1, y0, y1 = res.extent
    if (ax.get_xlim(), ax.get_ylim()) != ((x0, x1), (y0, y1)):
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        frame.invalidate()
    frame["image"].set_data(res.proba)
    frame["image"].set_extent(res.extent)
    frame["points"].set_offsets(res.X)
    frame["points"].set_facecolors([PALETTE["blue"] if c == 0 else PALETTE["orange"]
                                    for c in res.y])
    m = res.history.metrics
    epochs = np.arange(len(m["train_loss"]))
    frame["loss"].set_data(epochs, m["train_loss"])
    frame["acc"].set_data(epochs, m["train_accuracy"])
    if ax_loss.get_xlim() != (0, epochs[-1]):
        ax_loss.set_xlim(0, max(epochs[-1], 1))
        frame.invalidate()
    if res.history.diverged:
        frame["status"].set_text(res.history.message)
        return f"{res.history.message}: lower the learning rate"
    frame["status"].set_text("")
    return (f"train accuracy {m['train_accuracy'][-1]:.3f}, loss {m['train_loss'][-1]:.4f} "
            f"after {res.history.epochs} epochs")


def boundary_dashboard(dataset: str = "moons", hidden: int = 16, optimizer: str = "Adam",
                       lr: float = 0.03) -> Dashboard:
    """Data set, hidden width, optimizer (a blend too) and learning rate of a small MLP."""
    frame = boundary_frame()
    hidden_slider = widgets.IntSlider(value=hidden, min=1, max=64, description="hidden units",
                                        continuous_update=False,
                                        style={"description_width": "initial"})
    lr_slider = log_slider(lr, -4, 0.5, "learning rate")
    lr_slider.continuous_update = False
    controls = {"dataset": dropdown(list(BOUNDARY_DATA), dataset, "data"),
                "optimizer": dropdown(list(OPTIMIZERS), optimizer, "optimizer"),
                "hidden": hidden_slider, "lr": lr_slider}
    return Dashboard(controls, frame, lambda **v: draw_boundary(frame, compute_boundary(**v)),
                       rows=[["dataset", "optimizer"], ["hidden", "lr"]])


# --- notebook 07: fusion under noise ---------------------------------------------------------

FUSION_TEST_N, FUSION_ALPHAS = 600, np.linspace(0.0, 1.0, 21)


@dataclass(frozen=True)
class FusionResult:
    """Test accuracies at one noise setting: ``scores[name]`` for every model (``"late"`` at
    the chosen ``alpha``), and ``late_curve`` — late fusion's accuracy for each α in
    ``FUSION_ALPHAS`` — with ``chance`` (the majority class share)."""

    task: str
    image_noise: float
    caption_noise: float
    alpha: float
    scores: dict[str, float]
    late_curve: np.ndarray
    chance: float


@lru_cache(maxsize=64)
def _fusion_test_set(task: str, image_noise: float, caption_noise: float):
    return data.make_image_text(FUSION_TEST_N, task, image_noise, caption_noise, seed=1)


def compute_fusion(models: dict, task: str, image_noise: float = 0.0,
                   caption_noise: float = 0.0, alpha: float = 0.5) -> FusionResult:
    """Evaluate fitted ``models`` (one must be ``"late"``, a LateFusion) on a fresh test set
    with the given noise; late fusion is re-mixed at every α without retraining."""
    if "late" not in models:
        raise ValueError("models must include 'late' (a fitted LateFusion)")
    test = _fusion_test_set(task, round(float(image_noise), 3), round(float(caption_noise), 3))
    scores = {}
    for name, model in models.items():
        if name != "late":  # a model fitted without a modality ignores it
            scores[name] = model.score((test.images, test.bow), test.labels)
    f_image, f_text = models["late"].unimodal_logits((test.images, test.bow))
    mixed = FUSION_ALPHAS[:, None, None] * f_image + (1 - FUSION_ALPHAS)[:, None, None] * f_text
    curve = (mixed.argmax(axis=2) == test.labels).mean(axis=1)
    scores["late"] = float(np.mean((alpha * f_image + (1 - alpha) * f_text).argmax(axis=1)
                                   == test.labels))
    chance = float(np.bincount(test.labels).max() / len(test))
    return FusionResult(task, image_noise, caption_noise, alpha, scores, curve, chance)


def fusion_frame(names: list[str]) -> Frame:
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_alpha = frame.axes
    ax.set(title="test accuracy at this noise", ylabel="accuracy", ylim=(0, 1.05))
    colors = [PALETTE[c] for c in ("sky", "orange", "blue", "vermillion", "green", "purple",
                                   "yellow")]
    bars = ax.bar(range(len(names)), np.zeros(len(names)), color=colors[:len(names)])
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    for i, bar in enumerate(bars):
        frame.animate(f"bar{i}", bar)
        frame.animate(f"label{i}", ax.text(i, 0, "", ha="center", va="bottom", fontsize=9))
    frame.animate("chance", ax.axhline(0.5, color=PALETTE["black"], ls=":", lw=1))
    frame.animate("chance_label", ax.text(len(names) - 0.5, 0.5, "chance", ha="right",
                                          va="bottom", fontsize=9))
    ax_alpha.set(title="late fusion: α f_image + (1 − α) f_text", xlabel="α (weight of the image)",
                 ylabel="accuracy", xlim=(0, 1), ylim=(0, 1.05))
    frame.animate("curve", ax_alpha.plot([], [], color=PALETTE["vermillion"],
                                         label="accuracy for each α")[0])
    frame.animate("alpha", ax_alpha.axvline(0.5, color=PALETTE["black"], lw=1.5,
                                            label="your α"))
    ax_alpha.legend(loc="lower center")
    return frame


def draw_fusion(frame: Frame, res: FusionResult) -> str:
    for i, name in enumerate(res.scores):  # in the order the frame's bars were made
        value = res.scores[name]
        frame[f"bar{i}"].set_height(value)
        frame[f"label{i}"].set_position((i, value + 0.01))
        frame[f"label{i}"].set_text(f"{value:.2f}")
    frame["chance"].set_ydata([res.chance, res.chance])
    frame["chance_label"].set_y(res.chance)
    frame["curve"].set_data(FUSION_ALPHAS, res.late_curve)
    frame["alpha"].set_xdata([res.alpha, res.alpha])
    best = FUSION_ALPHAS[int(np.argmax(res.late_curve))]
    return (f"{res.task}: image noise {res.image_noise:.2f}, caption noise "
            f"{res.caption_noise:.2f} — late fusion {res.scores['late']:.3f} at α = "
            f"{res.alpha:.2f} (best α here {best:.2f})")


def fusion_dashboard(models: dict, task: str) -> Dashboard:
    """Image noise, caption noise and late fusion's α, for models fitted on ``task``."""
    names = [n for n in models if n != "late"] + ["late"]
    ordered = {n: models[n] for n in names}
    frame = fusion_frame(names)
    controls = {"image_noise": slider(0.0, 0.0, 0.8, 0.05, "image noise"),
                "caption_noise": slider(0.0, 0.0, 0.9, 0.05, "caption noise"),
                "alpha": slider(0.5, 0.0, 1.0, 0.05, "late fusion α")}
    for name in ("image_noise", "caption_noise"):
        controls[name].continuous_update = False
    return Dashboard(controls, frame, lambda **v: draw_fusion(
        frame, compute_fusion(ordered, task, **v)), rows=[list(controls)])


# --- notebook 08: the multi-task trade-off ------------------------------------------------------

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


def compute_multitask(sweep: dict[float, train.History], lam: float, main: str = "digit",
                      aux: str = "ink") -> MultitaskResult:
    """Summarise ``sweep`` (λ -> History of ``MultiTaskNet.fit`` with ``Fixed({aux: λ})`` and
    validation data) for the selected ``lam``."""
    lambdas = np.array(sorted(sweep))
    if lam not in sweep:
        raise ValueError(f"lam must be one of the swept values {lambdas.tolist()}, got {lam!r}")
    accuracy = np.array([sweep[k].metrics[f"val_{main}_accuracy"][-1] for k in lambdas])
    rmse = np.sqrt([sweep[k].metrics[f"val_{aux}_loss"][-1] for k in lambdas])
    chosen = sweep[lam].extras["task_loss"]
    return MultitaskResult(lambdas, accuracy, rmse, int(np.searchsorted(lambdas, lam)),
                           chosen[main], lam * chosen[aux])


def multitask_frame(result: MultitaskResult, main: str = "digit", aux: str = "ink") -> Frame:
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_loss = frame.axes
    ax.plot(result.rmse, result.accuracy, color=PALETTE["sky"], marker="o", zorder=1)
    for lam, x, y in zip(result.lambdas, result.rmse, result.accuracy):
        ax.annotate(f"λ={lam:g}", (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.set(title="trade-off over λ (validation)", xlabel=f"{aux} RMSE (lower is better)",
           ylabel=f"{main} accuracy", xscale="log")
    frame.animate("chosen", ax.plot([], [], "o", ms=11, mfc="none", mew=2,
                                    color=PALETTE["vermillion"], label="selected λ")[0])
    ax.legend(loc="lower right")
    ax_loss.set(title="what the trunk is trained on", xlabel="step", ylabel="loss (log scale)",
                yscale="log", xlim=(0, len(result.main_loss)), ylim=(1e-4, 1e3))
    frame.animate("main", ax_loss.plot([], [], color=PALETTE["blue"], lw=1,
                                       label=f"{main} loss")[0])
    frame.animate("aux", ax_loss.plot([], [], color=PALETTE["orange"], lw=1,
                                      label=f"λ × {aux} loss")[0])
    ax_loss.legend(loc="upper right")
    return frame


def draw_multitask(frame: Frame, res: MultitaskResult) -> str:
    i = res.selected
    frame["chosen"].set_data([res.rmse[i]], [res.accuracy[i]])
    steps = np.arange(len(res.main_loss))
    frame["main"].set_data(steps, res.main_loss)
    frame["aux"].set_data(steps, res.weighted_aux_loss)
    return (f"λ = {res.lambdas[i]:g}: validation accuracy {res.accuracy[i]:.3f}, "
            f"RMSE {res.rmse[i]:.3f}")


def multitask_dashboard(sweep: dict[float, train.History], main: str = "digit",
                        aux: str = "ink") -> Dashboard:
    """Pick λ (the auxiliary task's weight) from a precomputed sweep."""
    lambdas = sorted(sweep)
    first = compute_multitask(sweep, lambdas[len(lambdas) // 2], main, aux)
    frame = multitask_frame(first, main, aux)
    control = widgets.SelectionSlider(options=[(f"{lam:g}", lam) for lam in lambdas],
                                      value=lambdas[len(lambdas) // 2], description="λ",
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="360px"))
    return Dashboard({"lam": control}, frame, lambda lam: draw_multitask(
        frame, compute_multitask(sweep, lam, main, aux)))


# --- notebook 09: three clocks --------------------------------------------------------------

CLOCKS = {"examples seen": "samples_seen", "optimizer steps": None, "seconds": "step_time"}


@dataclass(frozen=True)
class EfficiencyResult:
    """For one optimizer: per batch size, the x values on the chosen ``clock`` and the smoothed
    mini-batch loss; and ``final_accuracy[(optimizer, batch)]`` for every run of the grid."""

    optimizer: str
    clock: str
    curves: dict[int, tuple[np.ndarray, np.ndarray]]
    final_accuracy: dict[tuple[str, int], float]


def compute_efficiency(grid: dict[tuple[str, int], train.History], optimizer: str,
                       clock: str = "examples seen") -> EfficiencyResult:
    """Learning curves of ``grid`` ((optimizer, batch size) -> History) on one of ``CLOCKS``."""
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {list(CLOCKS)}, got {clock!r}")
    runs = {batch: h for (name, batch), h in grid.items() if name == optimizer}
    if not runs:
        raise ValueError(f"optimizer must be one of {sorted({n for n, _ in grid})}, "
                         f"got {optimizer!r}")
    curves = {}
    for batch, h in sorted(runs.items()):
        x = (np.arange(1, len(h.step_loss) + 1) if CLOCKS[clock] is None
             else getattr(h, CLOCKS[clock]))
        curves[batch] = (x, train.ema(h.step_loss, 0.95))
    final = {key: float(h.metrics["val_accuracy"][-1]) for key, h in grid.items()}
    return EfficiencyResult(optimizer, clock, curves, final)


def efficiency_frame(grid: dict[tuple[str, int], train.History]) -> Frame:
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_bar = frame.axes
    batches = sorted({b for _, b in grid})
    colors = [PALETTE[c] for c in ("orange", "blue", "green", "vermillion", "purple")]
    ax.set(ylabel="training loss (smoothed)", yscale="log", xscale="log", ylim=(0.02, 3))
    for batch, color in zip(batches, colors):
        frame.animate(f"batch{batch}", ax.plot([], [], color=color, label=f"batch {batch}")[0])
    ax.legend(loc="lower left")
    frame.animate("title", ax.set_title(""))
    frame.animate("xlabel", ax.set_xlabel(" "))
    names = list(dict.fromkeys(n for n, _ in grid))
    width = 0.8 / len(batches)
    for i, (batch, color) in enumerate(zip(batches, colors)):
        ax_bar.bar(np.arange(len(names)) + (i - (len(batches) - 1) / 2) * width,
                   [grid[n, batch].metrics["val_accuracy"][-1] for n in names], width,
                   color=color, label=f"batch {batch}")
    ax_bar.set_xticks(range(len(names)), names)
    ax_bar.set(title="validation accuracy, same number of epochs", ylabel="accuracy",
               ylim=(0, 1.25), yticks=np.linspace(0, 1, 6))
    ax_bar.legend(loc="upper center", ncols=len(batches))
    return frame


def draw_efficiency(frame: Frame, res: EfficiencyResult) -> str:
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
    controls = {"optimizer": dropdown(names, names[0], "optimizer"),
                "clock": dropdown(list(CLOCKS), "examples seen", "x axis")}
    return Dashboard(controls, frame, lambda **v: draw_efficiency(
        frame, compute_efficiency(grid, **v)))
