r"""Optimizers: from plain gradient descent to adaptive methods and their blends.

Gradient descent on a function of one variable is the first lesson (notebook 00):

.. math::  x_{k+1} = x_k - \mathrm{lr}\, f'(x_k)

On the quadratic :math:`f(x) = a x^2 / 2` the gradient is :math:`a x`, so every step multiplies
:math:`x` by the same factor :math:`r = 1 - \mathrm{lr}\,a`: :math:`x_k = r^k x_0`. Whether
:math:`|r| < 1`, and the sign of :math:`r`, decide the three regimes a student sees with a slider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def _check_lr(lr: float) -> float:
    lr = float(lr)
    if not np.isfinite(lr) or lr < 0:
        raise ValueError(f"lr must be a finite number >= 0, got {lr}")
    return lr


def _check_steps(steps: int) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an int, got {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return int(steps)


@dataclass(frozen=True)
class Path1D:
    """Iterates of a 1-D optimizer: ``xs`` shape (k+1,), ``k <= steps``.

    ``diverged_at`` is the first step whose iterate left ``[-bound, bound]`` or was not finite
    (the run stopped there, and that iterate is the last one kept), else ``None``.
    """

    xs: np.ndarray
    diverged_at: int | None


def gd_1d(grad: Callable[[float], float], x0: float, lr: float, steps: int,
          bound: float = 1e6) -> Path1D:
    r"""Plain gradient descent in one variable: :math:`x_{k+1} = x_k - \mathrm{lr}\,f'(x_k)`.

    Stops early, without a warning, at the first iterate with :math:`|x| > \text{bound}` or a
    non-finite value: that is divergence, reported in ``Path1D.diverged_at``.

    >>> gd_1d(lambda x: 2.0 * x, x0=1.0, lr=0.25, steps=3).xs
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    lr, steps = _check_lr(lr), _check_steps(steps)
    xs = [float(x0)]
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            x = xs[-1] - lr * grad(xs[-1])
            xs.append(float(x))
            if not np.isfinite(x) or abs(x) > bound:
                diverged_at = k
                break
    return Path1D(np.array(xs), diverged_at)


def quadratic_regime(a: float, lr: float) -> str:
    r"""Name the behaviour of gradient descent on :math:`f(x) = a x^2/2` (curvature ``a > 0``).

    With :math:`r = 1 - \mathrm{lr}\,a` the iterates are :math:`x_k = r^k x_0`:

    - ``"monotone"`` — :math:`0 < r < 1`, i.e. :math:`\mathrm{lr} < 1/a`
    - ``"one step"`` — :math:`r = 0`, :math:`\mathrm{lr} = 1/a`: the minimum in one step
    - ``"oscillating"`` — :math:`-1 < r < 0`, :math:`1/a < \mathrm{lr} < 2/a`
    - ``"bouncing"`` — :math:`r = -1`, :math:`\mathrm{lr} = 2/a`: jumps between :math:`\pm x_0`
    - ``"diverging"`` — :math:`r < -1`, :math:`\mathrm{lr} > 2/a`
    - ``"stuck"`` — :math:`\mathrm{lr} = 0`
    """
    a, lr = float(a), _check_lr(lr)
    if not np.isfinite(a) or a <= 0:
        raise ValueError(f"a (the curvature) must be a finite number > 0, got {a}")
    r = 1.0 - lr * a
    if np.isclose(r, 1.0):
        return "stuck"
    if np.isclose(r, 0.0):
        return "one step"
    if np.isclose(r, -1.0):
        return "bouncing"
    if r > 0:
        return "monotone"
    return "oscillating" if r > -1 else "diverging"
