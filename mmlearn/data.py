"""Synthetic data sets, generated from an explicit seed (nothing is downloaded).

- :func:`make_linear_regression` — one feature, y = w·x + b + noise (notebook 02).
"""

from __future__ import annotations

import numpy as np

from ._validate import in_range


def make_linear_regression(n: int = 100, noise: float = 1.0, seed: int = 0, w: float = 2.0,
                           b: float = 3.0, x_range: tuple[float, float] = (0.0, 10.0)
                           ) -> tuple[np.ndarray, np.ndarray]:
    r"""``(x, y)``, each (n,): :math:`x \sim U(x_{lo}, x_{hi})`, :math:`y = w x + b + \varepsilon`
    with :math:`\varepsilon \sim N(0, \text{noise}^2)`.

    The default feature is not centred (mean 5, in [0, 10]): that is what makes plain gradient
    descent slow on it, and standardising it fast (notebook 02).

    >>> x, y = make_linear_regression(3, noise=0.0)
    >>> np.allclose(y, 2.0 * x + 3.0)
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    noise = in_range(noise, "noise")
    lo, hi = (float(v) for v in x_range)
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, size=n)
    return x, w * x + b + noise * rng.normal(size=n)
