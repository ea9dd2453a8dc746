"""Interactive dashboards: controls + a pure ``compute_*`` function + a ``draw_*`` function.

Every dashboard follows one shape, so a student can read any of them:

- ``compute_x(...)`` takes plain numbers and returns a small result object; it does all the
  math (by calling the numpy modules) and is unit-tested and timed without a screen;
- ``x_frame()`` builds the figure once: axes, labels, fixed limits, and the artists that change
  (registered with :meth:`~mmlearn.plots.Frame.animate`);
- ``draw_x(frame, result)`` updates those artists and returns a one-line status;
- ``x_dashboard(**defaults)`` wires sliders to them through :class:`Dashboard`.

Only the changing artists are redrawn (blitting, see :class:`~mmlearn.plots.Frame`), which
keeps a redraw far under a fifth of a second. Displayed in a notebook executed without a front
end, a dashboard also offers its current frame as a static PNG, so the saved notebook reads
well on viewers without a kernel.

This module holds the dashboards of notebooks 00-03 and re-exports those of 04-05
(:mod:`mmlearn.widgets_race`) and 06-09 (:mod:`mmlearn.widgets_nn`), so every dashboard is
``mm.widgets.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import data, gradcheck, landscapes, linreg, losses, optim, schedules, train, trajectories
from .dashboard import Dashboard, dropdown, log_slider, slider  # noqa: F401
from .plots import PALETTE, Frame, status_text
from .widgets_nn import *  # noqa: F403  (the dashboards of notebooks 06-09)
from .widgets_race import *  # noqa: F403  (the dashboards of notebooks 04-05)

# --- notebook 00: gradient descent on f(x) = a x^2 / 2 ------------------------------------------

REGIME_COLORS = {"monotone": PALETTE["green"], "one step": PALETTE["green"],
                 "oscillating": PALETTE["orange"], "bouncing": PALETTE["orange"],
                 "diverging": PALETTE["vermillion"], "stuck": PALETTE["black"]}
GD_1D_X_MAX, GD_1D_STEPS = 2.5, 20


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


def compute_gd_1d(a: float = 1.0, lr: float = 0.5, x0: float = 2.0,
                  steps: int = GD_1D_STEPS) -> GD1DResult:
    """Gradient descent on f(x) = a x²/2 from ``x0``: iterates, losses and the regime."""
    regime = trajectories.quadratic_regime(a, lr)
    path = trajectories.gd_1d(lambda x: a * x, x0, lr, steps)
    return GD1DResult(a, lr, path.xs, 0.5 * a * path.xs**2, 1.0 - lr * a, regime,
                      path.diverged_at)


def gd_1d_frame(x_max: float = GD_1D_X_MAX) -> Frame:
    """Left: the parabola and the path over it. Right: x_k against k with the envelope |r|^k."""
    frame = Frame(ncols=2)
    ax_f, ax_k = frame.axes
    ax_f.set(xlim=(-x_max, x_max), ylim=(-0.3, 6.0), xlabel="x", ylabel="f(x) = a·x²/2")
    ax_k.set(xlim=(-0.5, GD_1D_STEPS + 0.5), ylim=(-x_max, x_max), xlabel="step k",
             ylabel="iterate $x_k$")
    ax_k.axhline(0, color=PALETTE["black"], lw=0.8)
    frame.animate("curve", ax_f.plot([], [], color=PALETTE["black"], lw=1, label="f(x)")[0])
    frame.animate("path", ax_f.plot([], [], "o-", color=PALETTE["blue"], ms=4, lw=1,
                                    label="iterates $x_k$")[0])
    frame.animate("upper", ax_k.plot([], [], "--", color=PALETTE["sky"], lw=1,
                                     label=r"envelope $\pm|r|^k x_0$")[0])
    frame.animate("lower", ax_k.plot([], [], "--", color=PALETTE["sky"], lw=1)[0])
    frame.animate("xk", ax_k.plot([], [], "o-", color=PALETTE["blue"], ms=4, lw=1,
                                  label="$x_k$")[0])
    ax_f.legend(loc="upper center")  # static: drawing a legend every frame costs ~8 ms
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
    diverged = res.diverged_at is not None
    frame["status"].set_text(f"diverged at step {res.diverged_at}" if diverged else "")
    return f"a={res.a:.2f}, lr={res.lr:.2f}: {res.regime} (r = {res.r:+.2f})"


def gd_1d_dashboard(a: float = 1.0, lr: float = 0.5) -> Dashboard:
    """Sliders for the curvature ``a`` and the learning rate ``lr`` of GD on a·x²/2."""
    frame = gd_1d_frame()
    controls = {"a": slider(a, 0.2, 4.0, 0.1, "curvature a"),
                "lr": slider(lr, 0.0, 2.0, 0.05, "learning rate lr")}
    return Dashboard(controls, frame, lambda a, lr: draw_gd_1d(frame, compute_gd_1d(a, lr)))


# --- notebook 01: the gradient as a slope, and finite differences ------------------------------

LOSSES_1D = {  # loss of one prediction x against the target 0: (value, derivative)
    "MSE": lambda x: losses.mse(np.array([x]), np.zeros(1)),
    "MAE": lambda x: losses.mae(np.array([x]), np.zeros(1)),
    "Huber": lambda x: losses.huber(np.array([x]), np.zeros(1), delta=1.0),
}
TANGENT_X_MAX = 2.5
H_GRID = np.logspace(-12, 0, 49)


@dataclass(frozen=True)
class TangentResult:
    """A loss curve ``fs`` over ``grid``, the point ``x`` and three slopes there: the analytic
    derivative, and the forward and central differences with step ``h``; plus each
    difference's error against the analytic slope over ``H_GRID`` (for the error-vs-h plot)."""

    loss: str
    x: float
    fx: float
    h: float
    slope: float
    forward: float
    central: float
    grid: np.ndarray
    fs: np.ndarray
    forward_errors: np.ndarray
    central_errors: np.ndarray


def compute_tangent(loss: str = "Huber", x: float = 0.6, log10_h: float = -2.0) -> TangentResult:
    """Slopes of ``LOSSES_1D[loss]`` at ``x``: analytic, forward and central differences."""
    if loss not in LOSSES_1D:
        raise ValueError(f"loss must be one of {sorted(LOSSES_1D)}, got {loss!r}")
    f = lambda v: LOSSES_1D[loss](v)[0]
    fx, slope = f(x), float(LOSSES_1D[loss](x)[1][0])
    h = 10.0**log10_h

    def differences(hs):
        hs = np.atleast_1d(hs)
        plus = np.array([f(x + e) for e in hs])
        minus = np.array([f(x - e) for e in hs])
        return (plus - fx) / hs, (plus - minus) / (2 * hs)

    forward, central = differences(h)
    fwd_all, cen_all = differences(H_GRID)
    grid = np.linspace(-TANGENT_X_MAX, TANGENT_X_MAX, 201)
    return TangentResult(loss, x, fx, h, slope, float(forward[0]), float(central[0]), grid,
                         np.array([f(v) for v in grid]),
                         np.abs(fwd_all - slope), np.abs(cen_all - slope))


def tangent_frame() -> Frame:
    """Left: the loss, its tangent and the central-difference secant. Right: error vs h."""
    frame = Frame(ncols=2)
    ax_f, ax_e = frame.axes
    ax_f.set(xlim=(-TANGENT_X_MAX, TANGENT_X_MAX), ylim=(-0.5, 6.5), xlabel="prediction x "
             "(target 0)", ylabel="loss")
    ax_e.set(xscale="log", yscale="log", xlim=(1e-12, 1), ylim=(1e-13, 10),
             xlabel="step h", ylabel="|difference − true slope|", title="error of the estimate")
    frame.animate("curve", ax_f.plot([], [], color=PALETTE["black"], lw=1.2, label="loss")[0])
    frame.animate("tangent", ax_f.plot([], [], color=PALETTE["blue"], lw=1.5,
                                       label="tangent (true slope)")[0])
    frame.animate("secant", ax_f.plot([], [], "--", color=PALETTE["vermillion"], lw=1.5,
                                      label="secant through x ± h")[0])
    frame.animate("point", ax_f.plot([], [], "o", color=PALETTE["blue"], ms=6)[0])
    ax_f.legend(loc="upper center")
    frame.animate("err_fwd", ax_e.plot([], [], color=PALETTE["orange"], lw=1.5,
                                       label="forward (f(x+h) − f(x))/h")[0])
    frame.animate("err_cen", ax_e.plot([], [], color=PALETTE["vermillion"], lw=1.5,
                                       label="central (f(x+h) − f(x−h))/2h")[0])
    frame.animate("h_now", ax_e.axvline(1e-2, color=PALETTE["black"], lw=0.8, ls=":"))
    ax_e.legend(loc="lower left")
    ax_f.set_title(" ")
    frame.animate("title", ax_f.title)
    return frame


def draw_tangent(frame: Frame, res: TangentResult) -> str:
    """Show ``res`` in a :func:`tangent_frame`; returns the status line."""
    half = 1.2
    xs = np.array([res.x - half, res.x + half])
    frame["curve"].set_data(res.grid, res.fs)
    frame["tangent"].set_data(xs, res.fx + res.slope * (xs - res.x))
    frame["secant"].set_data(xs, res.fx + res.central * (xs - res.x))
    frame["point"].set_data([res.x], [res.fx])
    floor = 1e-16  # an exact zero error cannot be drawn on a log axis
    frame["err_fwd"].set_data(H_GRID, np.maximum(res.forward_errors, floor))
    frame["err_cen"].set_data(H_GRID, np.maximum(res.central_errors, floor))
    frame["h_now"].set_xdata([res.h, res.h])
    err = gradcheck.relative_error(res.slope, res.central)
    frame["title"].set_text(f"{res.loss}: slope {res.slope:+.4f}, central {res.central:+.4f}")
    return (f"loss={res.loss}, x={res.x:.2f}, h={res.h:.0e}: true slope "
            f"{res.slope:+.6f}, forward {res.forward:+.6f}, central {res.central:+.6f} "
            f"(relative error {err:.1e})")


def tangent_dashboard(loss: str = "Huber", x: float = 0.6, log10_h: float = -2.0) -> Dashboard:
    """A loss, its tangent at x and the finite-difference estimate of the slope with step h."""
    frame = tangent_frame()
    controls = {"loss": dropdown(list(LOSSES_1D), loss, "loss"),
                "x": slider(x, -TANGENT_X_MAX, TANGENT_X_MAX, 0.05, "point x"),
                "log10_h": slider(log10_h, -12.0, 0.0, 0.5, "log10 step h", fmt=".1f")}
    return Dashboard(controls, frame,
                     lambda loss, x, log10_h: draw_tangent(frame, compute_tangent(loss, x,
                                                                                  log10_h)))


# --- notebook 02: gradient descent on linear regression, raw vs standardised feature ----------

LINREG_STEPS = 50
SCALINGS = ("raw", "standardised")


def linreg_data(scaling: str = "raw") -> tuple[np.ndarray, np.ndarray]:
    """Notebook 02's data (100 points, seed 0): the feature as it is (x in [0, 10]) or
    standardised to mean 0 and standard deviation 1."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}")
    x, y = data.make_linear_regression(100, noise=1.0, seed=0)
    if scaling == "standardised":
        x = (x - x.mean()) / x.std()
    return x, y


@dataclass(frozen=True)
class LinregResult:
    """Full-batch GD on :func:`linreg_data` with ``lr = lr_times_L / L``, where L is the
    Hessian's largest eigenvalue (stable exactly when lr·L < 2) and κ its condition number."""

    scaling: str
    lr: float
    lr_times_L: float
    trajectory: trajectories.Trajectory
    best_loss: float
    kappa: float


def compute_linreg_gd(lr_times_L: float = 1.0, scaling: str = "raw",
                      steps: int = LINREG_STEPS) -> LinregResult:
    """Full-batch gradient descent with lr = lr_times_L / L: stable exactly when lr·L < 2."""
    x, y = linreg_data(scaling)
    problem = linreg.landscape(x, y)
    lr = lr_times_L * linreg.stability_limit(x) / 2  # stability_limit = 2 / L
    traj = trajectories.run(optim.SGD(lr=lr), problem, steps=steps)
    return LinregResult(scaling, lr, lr_times_L, traj, problem.min_value(),
                        linreg.condition_number(x))


def _contour_gap_frame(gap_axes: dict, path_style: str, path_label: str) -> Frame:
    """Left: a path over loss contours in (w, b) (the contours are drawn by :func:`_draw_contours`).
    Right: the loss above its minimum on a log scale, set up by ``gap_axes``."""
    frame = Frame(ncols=2)
    ax_c, ax_l = frame.axes
    ax_l.set(yscale="log", ylabel="loss − minimum loss", **gap_axes)
    frame.animate("path", ax_c.plot([], [], path_style, color=PALETTE["vermillion"], ms=3, lw=1,
                                    label=path_label)[0])
    frame.animate("gap", ax_l.plot([], [], color=PALETTE["vermillion"], lw=1.5)[0])
    ax_c.set_title(" ")
    frame.animate("title", ax_c.title)
    frame.animate("status", status_text(ax_l))
    frame.scaling = None  # which scaling the static contours show
    return frame


def linreg_frame() -> Frame:
    """Left: the loss contours over (w, b) and the path. Right: loss above the minimum per step."""
    frame = _contour_gap_frame({"xlim": (0, LINREG_STEPS), "ylim": (1e-10, 1e5), "xlabel": "step",
                                "title": "convergence"}, "o-", "gradient descent")
    frame.axes[0].set(xlabel="w (slope)", ylabel="b (intercept)")
    return frame


def _draw_contours(frame: Frame, scaling: str) -> None:
    """The static layer: contours of the chosen problem (redrawn only when the scaling changes)."""
    ax = frame.axes[0]
    for artist in getattr(frame, "contours", []):
        artist.remove()
    problem = linreg.landscape(*linreg_data(scaling))
    X, Y, Z = landscapes.grid(problem, 80)
    levels = problem.min_value() + np.logspace(-2, np.log10(Z.max() - problem.min_value()), 14)
    contours = ax.contour(X, Y, Z, levels=levels, colors=PALETTE["sky"], linewidths=0.8)
    star = ax.plot(*problem.minima[0], "*", color=PALETTE["black"], ms=12,
                   label="least-squares solution")
    ax.set(xlim=problem.bounds[0], ylim=problem.bounds[1])
    legend = ax.legend(loc="upper left")
    frame.contours = [contours, *star, legend]
    frame.scaling = scaling
    frame.invalidate()


def draw_linreg_gd(frame: Frame, res: LinregResult) -> str:
    """Show ``res`` in a :func:`linreg_frame`; returns the status line."""
    if frame.scaling != res.scaling:
        _draw_contours(frame, res.scaling)
    traj = res.trajectory
    frame["path"].set_data(traj.xs[:, 0], traj.xs[:, 1])
    gap = np.maximum(traj.losses - res.best_loss, 1e-16)
    frame["gap"].set_data(np.arange(len(gap)), gap)
    frame["title"].set_text(f"{res.scaling} feature: κ = {res.kappa:.0f}, lr·L = "
                            f"{res.lr_times_L:.2f}")
    stable = "stable" if res.lr_times_L < 2 else "unstable (lr·L ≥ 2)"
    if traj.diverged_at:
        frame["status"].set_text(traj.message)
    elif res.lr_times_L >= 2:
        frame["status"].set_text("lr·L ≥ 2: the loss grows every step")
    else:
        frame["status"].set_text("")
    return (f"{res.scaling} feature, lr={res.lr:.4g} (lr·L={res.lr_times_L:.2f}, {stable}): "
            f"{traj.message}, loss above minimum {gap[-1]:.2e}")


def linreg_dashboard(lr_times_L: float = 1.0, scaling: str = "raw") -> Dashboard:
    """Learning rate (in units of 1/L) and feature scaling for GD on linear regression."""
    frame = linreg_frame()
    controls = {"lr_times_L": slider(lr_times_L, 0.05, 2.2, 0.05, "lr × L  (stable below 2)"),
                "scaling": dropdown(list(SCALINGS), scaling, "feature")}
    return Dashboard(controls, frame,
                     lambda lr_times_L, scaling: draw_linreg_gd(
                         frame, compute_linreg_gd(lr_times_L, scaling)))


# --- notebook 03: full-batch, stochastic and mini-batch gradient descent -----------------------

SGD_EPOCHS = 5
SCHEDULES = ("constant", "step", "cosine", "1/t")


def make_schedule(name: str, steps_per_epoch: int, total_steps: int):
    """Notebook 03's schedules, in optimizer steps: halve every epoch, cosine to 0 over the run,
    or 1/(1 + t/steps_per_epoch)."""
    if name not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {name!r}")
    return {"constant": schedules.constant,
            "step": lambda: schedules.step_decay(steps_per_epoch, gamma=0.5),
            "cosine": lambda: schedules.cosine(total_steps),
            "1/t": lambda: schedules.inverse_time(1.0 / steps_per_epoch)}[name]()


@dataclass(frozen=True)
class SGDResult:
    """Mini-batch descent on notebook 02's standardised regression (100 examples)."""

    batch_size: int
    lr: float
    schedule: str
    trajectory: train.MinibatchTrajectory
    best_loss: float


def compute_sgd(batch_size: int = 16, lr: float = 0.1, schedule: str = "constant",
                epochs: int = SGD_EPOCHS, seed: int = 0) -> SGDResult:
    """``epochs`` epochs of SGD(lr) with mini-batches of ``batch_size`` from (w, b) = (0, 0)."""
    x, y = linreg_data("standardised")
    steps_per_epoch = -(-len(x) // batch_size)
    lr_schedule = make_schedule(schedule, steps_per_epoch, epochs * steps_per_epoch)
    traj = train.minibatch_descent(linreg.objective(x, y), len(x), np.zeros(2),
                                   optim.SGD(lr=lr), batch_size, epochs, seed=seed,
                                   schedule=None if schedule == "constant" else lr_schedule)
    return SGDResult(batch_size, lr, schedule, traj, linreg.landscape(x, y).min_value())


def sgd_frame() -> Frame:
    """Left: the (standardised) loss contours and the path. Right: loss gap vs examples seen."""
    frame = _contour_gap_frame({"xlim": (0, 100 * SGD_EPOCHS), "ylim": (1e-6, 1e3),
                                "xlabel": "examples seen (gradient evaluations)",
                                "title": f"{SGD_EPOCHS} epochs"}, ".-", "path")
    frame.axes[0].set(xlabel="w", ylabel="b")
    _draw_contours(frame, "standardised")  # the same static layer as notebook 02's dashboard
    return frame


def draw_sgd(frame: Frame, res: SGDResult) -> str:
    """Show ``res`` in an :func:`sgd_frame`; returns the status line."""
    traj = res.trajectory
    frame["path"].set_data(traj.xs[:, 0], traj.xs[:, 1])
    gap = np.maximum(traj.losses - res.best_loss, 1e-16)
    frame["gap"].set_data(traj.examples, gap)
    steps = len(traj.xs) - 1
    frame["title"].set_text(f"batch {res.batch_size}, lr {res.lr:.2f}, {res.schedule}: "
                            f"{steps} steps")
    frame["status"].set_text(traj.message if traj.diverged_at else "")
    ending = traj.message if traj.diverged_at else f"{steps} steps"
    return (f"batch={res.batch_size}, lr={res.lr:.2f}, schedule={res.schedule}: {ending}, "
            f"loss above minimum {gap[-1]:.2e}")


def sgd_dashboard(batch_size: int = 16, lr: float = 0.1, schedule: str = "constant") -> Dashboard:
    """Batch size, learning rate and schedule of mini-batch SGD on a linear regression."""
    frame = sgd_frame()
    controls = {"batch_size": dropdown([1, 4, 16, 100], batch_size, "batch size"),
                "lr": slider(lr, 0.01, 1.0, 0.01, "learning rate lr"),
                "schedule": dropdown(list(SCHEDULES), schedule, "schedule")}
    return Dashboard(controls, frame, lambda batch_size, lr, schedule: draw_sgd(
        frame, compute_sgd(batch_size, lr, schedule)))
