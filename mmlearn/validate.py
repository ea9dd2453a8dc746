"""Argument checks shared by the modules: each raises a ValueError/TypeError that names the
argument and what is allowed, so a student's mistake is caught where it is made.

- :func:`float_array` — numbers, all finite, as a float64 array;
- :func:`same_shape` — two arrays of one shape;
- :func:`in_range` — a finite number in an interval (learning rates, betas, weights);
- :func:`int_at_least` — a count (steps, sizes, epochs) of at least ``lo``;
- :func:`all_finite` — True when an array has no NaN or inf (for loops that stop on divergence
  instead of raising).
"""

from __future__ import annotations

import numpy as np


def float_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array; TypeError if it is not numeric, ValueError if not finite."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numeric (array-like of numbers), got "
                        f"{type(x).__name__}") from None
    if not all_finite(arr):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and "
                         f"{b.shape}")


def in_range(value, name: str, lo: float = 0.0, hi: float = np.inf, *, lo_open: bool = False,
             hi_open: bool = False) -> float:
    """``value`` as a finite float in the interval; the error message states the interval."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    above_lo = lo < value if lo_open else lo <= value
    below_hi = value < hi if hi_open else value <= hi
    if not (np.isfinite(value) and above_lo and below_hi):  # NaN fails every comparison
        interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    return value


def int_at_least(value, name: str, lo: int = 1) -> int:
    """``value`` as an int, or a ValueError naming ``name`` if it is not an int >= ``lo``
    (``lo=0`` for a number of steps that may be zero).

    >>> int_at_least(3, "steps", 0)
    3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
        raise ValueError(f"{name} must be an int >= {lo}, got {value!r}")
    return int(value)


def all_finite(x) -> bool:
    """True when ``x`` (an array or a number) contains no NaN and no inf."""
    return bool(np.isfinite(x).all())
