r"""Two-dimensional test functions with analytic gradients, for watching optimizers move.

A :class:`Landscape` has ``value(xy)`` and ``grad(xy)``, both vectorised over ``xy`` of shape
(..., 2) (value returns shape (...), grad shape (..., 2)), its known ``minima`` (m, 2), plotting
``bounds`` ((x_lo, x_hi), (y_lo, y_hi)) and a default ``start`` (2,).

========================  =========================================================  ===========
name                      f(x, y)                                                    minima
========================  =========================================================  ===========
``quadratic(κ, angle)``   ½ pᵀ A p,  A = R diag(1, 1/κ) Rᵀ (curvatures 1 and 1/κ)   (0, 0)
``ROSENBROCK``            (1 − x)² + 100 (y − x²)²                                   (1, 1)
``BEALE``                 (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²   (3, 0.5)
``HIMMELBLAU``            (x² + y − 11)² + (x + y² − 7)²                             four
``SADDLE``                ½x² − ½y² + ¼y⁴  (a saddle at 0 between two valleys)       (0, ±1)
``RASTRIGIN``             20 + Σ (xᵢ² − 10 cos 2πxᵢ)                                 (0, 0)
========================  =========================================================  ===========
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .validate import in_range, int_at_least, real_array


@dataclass(frozen=True)
class Landscape:
    """A 2-D test function; see the module docstring for the catalogue."""

    name: str
    value: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    grad: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    minima: np.ndarray
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: np.ndarray
    log_scale: bool = False  # contour levels on a log scale read better (steep valleys)

    def min_value(self) -> float:
        return float(np.min(self.value(self.minima)))


def _points(xy) -> np.ndarray:
    xy = real_array(xy, "xy")  # NaN/inf allowed: a diverged path's points get a value too
    if xy.shape[-1:] != (2,):
        raise ValueError(f"xy must have shape (..., 2), got {xy.shape}")
    return xy


def _xy(xy):
    """The coordinates x and y of points (..., 2), each of shape (...)."""
    xy = _points(xy)
    return xy[..., 0], xy[..., 1]


def _stack(gx, gy) -> np.ndarray:
    """(..., 2) from the two components of a gradient."""
    return np.stack([gx, gy], axis=-1)


def _square(r: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Plotting ``bounds`` for the square [−r, r]²: the standard search domain of most test
    functions (Beale ±4.5, Himmelblau ±5, Rastrigin ±5.12)."""
    return ((-r, r), (-r, r))


def quadratic(condition_number: float = 10.0, angle: float = 0.0) -> Landscape:
    r"""The quadratic bowl :math:`f(p) = \tfrac12 p^\top A p` with curvatures 1 and 1/κ.

    ``condition_number`` κ >= 1 is the ratio of the largest to the smallest curvature;
    ``angle`` (degrees) turns the bowl counter-clockwise: at 0 the steep axis (curvature 1) is
    x and the long, flat axis (curvature 1/κ) is y, at 30 the flat axis is 30° from vertical.
    The largest curvature is always 1, so gradient descent is stable for lr < 2 whatever κ is,
    and the slow direction converges at rate 1 − lr/κ.
    """
    kappa = in_range(condition_number, "condition_number", 1.0)
    theta = np.deg2rad(in_range(angle, "angle", -360.0, 360.0))
    c, s = np.cos(theta), np.sin(theta)
    rotation = np.array([[c, -s], [s, c]])
    hessian = rotation @ np.diag([1.0, 1.0 / kappa]) @ rotation.T

    def value(xy):
        p = _points(xy)
        return 0.5 * np.einsum("...i,ij,...j->...", p, hessian, p)

    def grad(xy):
        return _points(xy) @ hessian  # A is symmetric

    return Landscape(
        f"quadratic(κ={kappa:g}, angle={angle:g}°)",
        value,
        grad,
        minima=np.zeros((1, 2)),
        bounds=_square(3.0),
        start=rotation @ np.array([-2.5, 1.5]),
    )


def _rosenbrock(xy):
    x, y = _xy(xy)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(xy):
    x, y = _xy(xy)
    inner = y - x**2
    return _stack(-2 * (1 - x) - 400 * x * inner, 200 * inner)


ROSENBROCK = Landscape(
    "Rosenbrock",
    _rosenbrock,
    _rosenbrock_grad,
    minima=np.array([[1.0, 1.0]]),
    bounds=((-2.0, 2.0), (-1.0, 3.0)),
    start=np.array([-1.5, 2.5]),
    log_scale=True,
)


def _beale_terms(xy):
    x, y = _xy(xy)
    return x, y, (1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3)


def _beale(xy):
    _, _, (a, b, c) = _beale_terms(xy)
    return a**2 + b**2 + c**2


def _beale_grad(xy):
    x, y, (a, b, c) = _beale_terms(xy)
    gx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return _stack(gx, gy)


BEALE = Landscape(
    "Beale",
    _beale,
    _beale_grad,
    minima=np.array([[3.0, 0.5]]),
    bounds=_square(4.5),
    start=np.array([1.0, 1.5]),
    log_scale=True,
)


def _himmelblau(xy):
    x, y = _xy(xy)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(xy):
    x, y = _xy(xy)
    a, b = x**2 + y - 11, x + y**2 - 7
    return _stack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


HIMMELBLAU = Landscape(
    "Himmelblau",
    _himmelblau,
    _himmelblau_grad,
    minima=np.array(
        [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286170],
            [3.584428340330492, -1.848126526964404],
        ]
    ),
    bounds=_square(5.0),
    start=np.array([0.0, -0.5]),
    log_scale=True,
)


def _saddle(xy):
    x, y = _xy(xy)
    return 0.5 * x**2 - 0.5 * y**2 + 0.25 * y**4


def _saddle_grad(xy):
    x, y = _xy(xy)
    return _stack(x, y**3 - y)


SADDLE = Landscape(
    "saddle",
    _saddle,
    _saddle_grad,
    minima=np.array([[0.0, 1.0], [0.0, -1.0]]),
    bounds=((-2.0, 2.0), (-1.6, 1.6)),
    start=np.array([-1.8, 1e-3]),
)


def _rastrigin(xy):
    p = _points(xy)
    return 20.0 + np.sum(p**2 - 10.0 * np.cos(2 * np.pi * p), axis=-1)


def _rastrigin_grad(xy):
    p = _points(xy)
    return 2 * p + 20 * np.pi * np.sin(2 * np.pi * p)


RASTRIGIN = Landscape(
    "Rastrigin",
    _rastrigin,
    _rastrigin_grad,
    minima=np.zeros((1, 2)),
    bounds=_square(5.12),
    start=np.array([3.2, -2.7]),
)

LANDSCAPES = {
    "Rosenbrock": ROSENBROCK,
    "Beale": BEALE,
    "Himmelblau": HIMMELBLAU,
    "saddle": SADDLE,
    "Rastrigin": RASTRIGIN,
}


def grid(landscape: Landscape, n: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, Y, Z)`` each (n, n) over ``landscape.bounds``, ready for ``ax.contour(X, Y, Z)``."""
    n = int_at_least(n, "n", 2)
    (x_lo, x_hi), (y_lo, y_hi) = landscape.bounds
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    return X, Y, landscape.value(np.stack([X, Y], axis=-1))
