"""Self-checks for the notebooks' exercises.

Each check prints one line — ``✓ ...`` when the answer is right, or ``✗ ...`` saying what is
wrong and what to look at. A check never raises on a wrong answer, so a student can keep
working through the notebook, and returns nothing, so the cell shows only that line.
"""

from __future__ import annotations

import numpy as np

from . import optim


def _report(ok: bool, message: str) -> None:
    print(("✓ " if ok else "✗ ") + message)


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def gd_fastest_lr(a: float, lr) -> None:
    """Exercise: the learning rate that minimises f(x) = a x²/2 in a single step (r = 0)."""
    value = _number(lr)
    if value is None:
        return _report(False, f"lr should be a finite number, got {lr!r}")
    r = 1.0 - value * a
    if np.isclose(r, 0.0, atol=1e-9):
        return _report(True, f"lr = {value:.4g} makes r = 1 − lr·a = 0: one step to the minimum.")
    regime = optim.quadratic_regime(a, max(value, 0.0))
    return _report(False, f"lr = {value:.4g} gives r = 1 − lr·a = {r:+.3f} ({regime}); "
                   "which lr makes r exactly 0?")


def gd_stability_limit(a: float, lr_max) -> None:
    """Exercise: the largest lr below which GD on a x²/2 converges from any start (2/a)."""
    value = _number(lr_max)
    if value is None:
        return _report(False, f"lr_max should be a finite number, got {lr_max!r}")
    if np.isclose(value, 2.0 / a, rtol=1e-6):
        return _report(True, f"lr_max = {value:.4g} = 2/a: |r| < 1 exactly when lr < 2/a.")
    if np.isclose(value, 1.0 / a, rtol=1e-6):
        return _report(False, "1/a is where the iterates start to oscillate, yet they still "
                       "converge: convergence needs |r| = |1 − lr·a| < 1, not r > 0.")
    too = "large: lr_max itself diverges" if value > 2.0 / a else "small: lr a bit above it "\
        "still converges"
    return _report(False, f"lr_max = {value:.4g} is too {too}. Solve |1 − lr·a| < 1 for lr.")


def steps_to_tolerance(a: float, lr: float, x0: float, tol: float, steps) -> None:
    """Exercise: the first k with |x_k| < tol for GD on a x²/2 (x_k = r^k x0)."""
    path = optim.gd_1d(lambda x: a * x, x0, lr, steps=10_000)
    hits = np.flatnonzero(np.abs(path.xs) < tol)
    if hits.size == 0:
        return _report(False, "this setting never reaches the tolerance: check a and lr.")
    expected = int(hits[0])
    if steps == expected:
        return _report(True, f"k = {expected}: |x_{expected}| = {abs(path.xs[expected]):.2e} < "
                       f"{tol:g}, while |x_{expected - 1}| = {abs(path.xs[expected - 1]):.2e}.")
    if isinstance(steps, (int, np.integer)) and steps == expected - 1:
        return _report(False, f"off by one: |x_{steps}| = {abs(path.xs[steps]):.2e} is not yet "
                       f"below {tol:g}.")
    return _report(False, f"not {steps!r}: |x_k| = |r|^k·|x0| with r = {1 - lr * a:+.3g}; find "
                   "the smallest whole k with |x_k| < tol (math.log helps, or a loop).")
