"""The shared machinery of the exercise self-checks (:mod:`mmlearn.check`,
:mod:`mmlearn.check_nn`): one printed line per check, and a diagnosis of how an array differs
from the right one."""

from __future__ import annotations

import numpy as np

from . import gradcheck


def _report(ok: bool, message: str) -> None:
    print(("✓ " if ok else "✗ ") + message)


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _compare(mine, ref, what: str) -> str | None:
    """Why ``mine`` is not ``ref`` (worst coordinate, a constant factor, a sign), or None."""
    try:
        mine = np.asarray(mine, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should return an array of numbers, got {type(mine).__name__}"
    if mine.shape != ref.shape:
        return f"{what} returned shape {mine.shape}; the gradient has the input's shape {ref.shape}"
    if not np.all(np.isfinite(mine)):
        return f"{what} returned NaN or inf"
    err = gradcheck.relative_error(mine, ref)
    if err < 1e-6:
        return None
    nonzero = np.abs(ref) > 1e-12
    ratios = mine[nonzero] / ref[nonzero]
    if ratios.size and np.allclose(ratios, ratios[0], rtol=1e-6) and np.allclose(
            mine[~nonzero], 0.0, atol=1e-12):
        c = ratios[0]
        hint = {ref.size: "did you forget to divide by N, the number of elements (the mean)?",
                -1.0: "the sign is flipped: differentiate with respect to the prediction",
                2.0: "a factor 2 too many", 0.5: "a factor 2 is missing"}
        for key, text in hint.items():
            if np.isclose(c, key, rtol=1e-6):
                return f"{what} is {c:g} × the right gradient: {text}"
        return f"{what} is {c:g} × the right gradient everywhere: a constant factor is off"
    worst = np.unravel_index(np.argmax(np.abs(mine - ref)), ref.shape)
    return (f"relative error {err:.1e}; the worst coordinate is {tuple(int(i) for i in worst)}: "
            f"yours {mine[worst]:+.6f}, expected {ref[worst]:+.6f}")


def _call(fn, name: str, *args):
    """``(result, None)``, or ``(None, why it failed)`` when the student's function raised."""
    try:
        return fn(*args), None
    except Exception as exc:  # a student's bug is reported, not raised
        return None, f"{name} raised {type(exc).__name__}: {exc}"
