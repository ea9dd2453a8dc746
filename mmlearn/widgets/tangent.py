"""Notebook 01's dashboard: the gradient as a slope — a loss, its tangent at x, and the forward
and central finite differences that estimate the slope, with their error against the step h.

MSE, MAE and Huber are pieces of parabolas and lines: on them the central difference has no
h² error term (away from a kink it is exact up to round-off). The log-loss is curved
everywhere, so it shows the forward error falling like h and the central one like h²."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import gradcheck, losses
from ..plots import PALETTE, Frame
from ..validate import in_range
from .dashboard import Dashboard, choice, dropdown, slider

LOSSES_1D = {  # loss of one prediction (or logit) x against the target 0: (value, derivative)
    "MSE": lambda x: losses.mse(np.array([x]), np.zeros(1)),
    "MAE": lambda x: losses.mae(np.array([x]), np.zeros(1)),
    "Huber": lambda x: losses.huber(np.array([x]), np.zeros(1), delta=1.0),
    "log-loss": lambda x: losses.binary_cross_entropy_with_logits(np.array([x]), np.zeros(1)),
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


def compute_tangent(loss: str = "log-loss", x: float = 0.6, log10_h: float = -2.0) -> TangentResult:
    """Slopes of ``LOSSES_1D[loss]`` at ``x``: analytic, forward and central differences."""
    choice(loss, "loss", LOSSES_1D)
    in_range(x, "x", -np.inf, np.inf)
    in_range(log10_h, "log10_h", -300, 300)  # h = 10**log10_h, a positive float
    f = lambda v: LOSSES_1D[loss](v)[0]
    fx, slope = f(x), float(LOSSES_1D[loss](x)[1][0])
    h = 10.0**log10_h
    forward, central = gradcheck.difference_quotients(f, x, [h])
    fwd_all, cen_all = gradcheck.difference_quotients(f, x, H_GRID)
    grid = np.linspace(-TANGENT_X_MAX, TANGENT_X_MAX, 201)
    return TangentResult(
        loss,
        x,
        fx,
        h,
        slope,
        float(forward[0]),
        float(central[0]),
        grid,
        np.array([f(v) for v in grid]),
        np.abs(fwd_all - slope),
        np.abs(cen_all - slope),
    )


def tangent_frame() -> Frame:
    """Left: the loss, its tangent and the central-difference secant. Right: error vs h."""
    frame = Frame(ncols=2)
    ax_f, ax_e = frame.axes
    ax_f.set(
        xlim=(-TANGENT_X_MAX, TANGENT_X_MAX),
        ylim=(-0.5, 6.5),
        xlabel="prediction or logit x (target 0)",
        ylabel="loss",
    )
    ax_e.set(
        xscale="log",
        yscale="log",
        xlim=(1e-12, 1),
        ylim=(1e-13, 1e4),
        xlabel="step h",
        ylabel="|difference − true slope|",
        title="error of the estimate",
    )
    frame.animate("curve", ax_f.plot([], [], color=PALETTE["black"], lw=1.2, label="loss")[0])
    frame.animate(
        "tangent", ax_f.plot([], [], color=PALETTE["blue"], lw=1.5, label="tangent (true slope)")[0]
    )
    frame.animate(
        "secant",
        ax_f.plot([], [], "--", color=PALETTE["vermillion"], lw=1.5, label="secant through x ± h")[
            0
        ],
    )
    frame.animate("point", ax_f.plot([], [], "o", color=PALETTE["blue"], ms=6)[0])
    ax_f.legend(loc="upper center")
    frame.animate(
        "err_fwd",
        ax_e.plot([], [], color=PALETTE["orange"], lw=1.5, label="forward (f(x+h) − f(x))/h")[0],
    )
    frame.animate(
        "err_cen",
        ax_e.plot(
            [], [], color=PALETTE["vermillion"], lw=1.5, label="central (f(x+h) − f(x−h))/2h"
        )[0],
    )
    frame.animate(
        "h_now", ax_e.axvline(1e-2, color=PALETTE["black"], lw=0.8, ls=":", label="the h you chose")
    )
    ax_e.axvline(gradcheck.EPS, color=PALETTE["green"], lw=1.2, label="h = 1e-6 of mm.gradcheck")
    ax_e.legend(loc="upper left")
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
    frame["title"].set_text(f"{res.loss}: slope {res.slope:+.4f}, central {res.central:+.4f}")
    return (
        f"loss={res.loss}, x={res.x:.2f}, h={res.h:.1e}: true slope {res.slope:+.6f}; "
        f"forward {res.forward:+.6f} (error {abs(res.forward - res.slope):.2e}); "
        f"central {res.central:+.6f} (error {abs(res.central - res.slope):.2e})"
    )


def tangent_dashboard(loss: str = "log-loss", x: float = 0.6, log10_h: float = -2.0) -> Dashboard:
    """A loss, its tangent at x and the finite-difference estimate of the slope with step h."""
    frame = tangent_frame()
    controls = {
        "loss": dropdown("loss", list(LOSSES_1D), loss, "loss"),
        "x": slider("x", x, -TANGENT_X_MAX, TANGENT_X_MAX, 0.05, "point x"),
        "log10_h": slider("log10_h", log10_h, -12.0, 0.0, 0.5, "log10 step h", fmt=".1f"),
    }
    return Dashboard(
        controls,
        frame,
        lambda loss, x, log10_h: draw_tangent(frame, compute_tangent(loss, x, log10_h)),
    )
