"""Argument checks shared by the modules: each raises a ValueError/TypeError that names the
argument and what is allowed, so a student's mistake is caught where it is made.

- :func:`float_array` — numbers, all finite, as a float64 array;
- :func:`same_shape` — two arrays of one shape;
- :func:`in_range` — a finite number in an interval (learning rates, betas, weights);
- :func:`int_at_least` — a count (steps, sizes, epochs) of at least ``lo``;
- :func:`all_finite` — True when an array has no NaN or inf (for loops that stop on divergence
  instead of raising);
- :func:`seed` — a random seed (an int >= 0), checked where it is given;
- :func:`boolean` — a flag that must be a real ``True``/``False`` (``"False"`` is not false);
- :func:`function` — a callable argument (a loss, a schedule, a student's function);
- :func:`same_length` — arrays that must hold the same number of examples.
"""

from __future__ import annotations

import numpy as np


def float_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array; TypeError if it is not numeric (text too, even "0.5"),
    ValueError if not finite."""
    if x is None or np.iscomplexobj(x):
        raise TypeError(
            f"{name} must be real numbers (an array-like of floats), got "
            f"{'None' if x is None else 'complex numbers'}"
        )
    not_numeric = TypeError(
        f"{name} must be numeric (array-like of numbers), got {type(x).__name__}"
    )
    if isinstance(x, str) or getattr(x, "dtype", np.dtype(float)).kind in "US":
        raise not_numeric  # numpy would read the text "0.5" as the number 0.5
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise not_numeric from None
    if not all_finite(arr):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def in_range(
    value,
    name: str,
    lo: float = 0.0,
    hi: float = np.inf,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
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


def seed(value, name: str = "seed") -> int:
    """``value`` as a seed for ``np.random.default_rng``: an int >= 0.

    >>> seed(0)
    0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an int >= 0 (a random seed), got {value!r}")
    return int(value)


def generator(value, name: str = "seed") -> np.random.Generator:
    """Where random draws come from: ``value`` itself if it is a ``np.random.Generator`` (the
    draws continue its stream, e.g. several layers from one generator), else
    ``np.random.default_rng(value)`` for a seed, an int >= 0 (as :func:`seed` checks).

    >>> generator(0).random() == np.random.default_rng(0).random()
    True
    """
    if isinstance(value, np.random.Generator):
        return value
    return np.random.default_rng(seed(value, name))


def boolean(value, name: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (also numpy's bool); a string such as
    ``"False"`` would otherwise count as true, so it is rejected."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def function(value, name: str):
    """``value`` if it can be called (a loss, a schedule, a gradient function)."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__}")
    return value


def same_length(arrays: dict) -> int:
    """The common number of examples (first axis) of ``arrays`` (name -> array; ``None``
    entries are skipped), or a ValueError naming each length.

    >>> same_length({"X": np.zeros((3, 2)), "y": np.zeros(3)})
    3
    """
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"{' and '.join(lengths)} must have the same number of examples: {described}"
        )
    return next(iter(lengths.values()), 0)


def real_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array, like :func:`float_array` but letting NaN and inf through: for
    values a diverging run may produce (a layer's activations, points of a trajectory), which
    must be reported, not rejected. None, complex or non-numeric input is a TypeError.

    >>> real_array([1, np.inf], "xy")
    array([ 1., inf])
    """
    if x is None or np.iscomplexobj(x):
        raise TypeError(
            f"{name} must be real numbers (an array-like of floats), got "
            f"{'None' if x is None else 'complex numbers'}"
        )
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be numeric (array-like of numbers), got {type(x).__name__}"
        ) from None


def labels(y, name: str, n: int | None = None) -> np.ndarray:
    """``y`` as a non-empty 1-D array of integer class labels (``n`` of them when given, one per
    example), or an error naming ``name``: float labels such as 0.5, or one label for every
    example broadcast against many, would otherwise give a silently wrong accuracy.

    >>> labels([0, 2, 1], "y", 3)
    array([0, 2, 1])
    """
    arr = np.asarray(y)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must be integer class labels, got "
            f"{'None' if y is None else f'dtype {arr.dtype}'}"
        )
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of labels, got shape {arr.shape}")
    if arr.min() < 0:
        raise ValueError(f"{name} must be class indices 0, 1, 2, ..., got {arr.min()}")
    if n is not None and arr.size != n:
        raise ValueError(
            f"{name} must hold one label per example: {n} examples, got {arr.size} labels"
        )
    return arr
