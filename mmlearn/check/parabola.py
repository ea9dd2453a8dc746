"""Self-checks of notebook 00 · gradient descent on f(x) = a x²/2, where the step factor
r = 1 − lr·a decides everything: x_k = r^k x_0."""

from __future__ import annotations

import numpy as np

from .. import trajectories
from .common import coerce, report, self_check


@self_check
def gd_fastest_lr(a: float, lr) -> None:
    """Exercise: the learning rate that minimises f(x) = a x²/2 in a single step (r = 0)."""
    lr = coerce(lr, "lr")
    r = 1.0 - lr * a
    if abs(r) < 1e-6:  # a float32 answer lands within ~1e-7 of 0
        return report(True, f"lr = {lr:.4g} makes r = 1 − lr·a = 0: one step to the minimum.")
    regime = trajectories.quadratic_regime(a, max(lr, 0.0))
    report(
        False,
        f"lr = {lr:.4g} gives r = 1 − lr·a = {r:+.3f} ({regime}); which lr makes r exactly 0?",
    )


@self_check
def gd_stability_limit(a: float, lr_max) -> None:
    """Exercise: the largest lr below which GD on a x²/2 converges from any start (2/a)."""
    lr_max = coerce(lr_max, "lr_max")
    if np.isclose(lr_max, 2.0 / a, rtol=1e-6):
        return report(True, f"lr_max = {lr_max:.4g} = 2/a: |r| < 1 exactly when lr < 2/a.")
    if np.isclose(lr_max, 1.0 / a, rtol=1e-6):
        return report(
            False,
            "1/a is where the iterates start to oscillate, yet they still "
            "converge: convergence needs |r| = |1 − lr·a| < 1, not r > 0.",
        )
    too = (
        "large: lr_max itself diverges"
        if lr_max > 2.0 / a
        else "small: lr a bit above it still converges"
    )
    report(False, f"lr_max = {lr_max:.4g} is too {too}. Solve |1 − lr·a| < 1 for lr.")


@self_check
def steps_to_tolerance(a: float, lr: float, x0: float, tol: float, steps) -> None:
    """Exercise: the first k with |x_k| < tol for GD on a x²/2 (x_k = r^k x0)."""
    steps = coerce(steps, "steps")
    path = trajectories.gd_1d(lambda x: a * x, x0, lr, steps=10_000)
    hits = np.flatnonzero(np.abs(path.xs) < tol)
    if hits.size == 0:
        return report(False, "this setting never reaches the tolerance: check a and lr.")
    k = int(hits[0])
    if steps == k:
        return report(
            True,
            f"k = {k}: |x_{k}| = {abs(path.xs[k]):.2e} < {tol:g}, while "
            f"|x_{k - 1}| = {abs(path.xs[k - 1]):.2e}.",
        )
    if steps == k - 1:
        return report(
            False, f"off by one: |x_{k - 1}| = {abs(path.xs[k - 1]):.2e} is not yet below {tol:g}."
        )
    report(
        False,
        f"not {steps:.10g}: |x_k| = |r|^k·|x0| with r = {1 - lr * a:+.3g}; find the "
        "smallest whole k with |x_k| < tol (math.log helps, or a loop).",
    )
