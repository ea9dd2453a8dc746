r"""Optimizers in motion: the paths they take, and what theory predicts about them.

- **Gradient descent in one variable** (notebook 00): :func:`gd_1d` follows
  :math:`x_{k+1} = x_k - \mathrm{lr}\, f'(x_k)`; on :math:`f(x) = a x^2 / 2` every step
  multiplies :math:`x` by :math:`r = 1 - \mathrm{lr}\,a`, so :math:`x_k = r^k x_0`, and
  :func:`quadratic_regime` names what that does (monotone, oscillating, diverging, ...).
- **On a 2-D landscape** (:mod:`mmlearn.landscapes`, :func:`mmlearn.linreg.landscape`):
  :func:`run` follows any :mod:`mmlearn.optim` optimizer and returns a :class:`Trajectory`;
  :func:`compare` runs several optimizers from the same random starts.
- **Momentum's rate on a quadratic**: :func:`heavy_ball_rate`.

A run that diverges is a result, not an error: it stops, without a warning, and says where
(``diverged_at``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import validate
from .optim import Optimizer, check_optimizer, lr_schedule
from .validate import all_finite, float_array, function, in_range, int_at_least


def check_landscape(landscape, name: str = "landscape"):
    """``landscape`` itself if it has the ``grad`` and ``value`` functions a run needs (a
    :class:`~mmlearn.landscapes.Landscape`), or a TypeError naming ``name``."""
    if not (
        callable(getattr(landscape, "grad", None)) and callable(getattr(landscape, "value", None))
    ):
        raise TypeError(
            f"{name} must be a Landscape (with grad and value), e.g. "
            f"mm.landscapes.ROSENBROCK or mm.linreg.landscape(x, y), got "
            f"{type(landscape).__name__}"
        )
    return landscape


def _check_bound(bound) -> float:
    """``bound`` as a float > 0 (``np.inf``: no bound, only NaN/inf stop a run)."""
    if (
        isinstance(bound, bool)
        or not isinstance(bound, (int, float, np.integer, np.floating))
        or not bound > 0
    ):
        raise ValueError(f"bound must be a number > 0 (np.inf for no bound), got {bound!r}")
    return float(bound)


@dataclass(frozen=True)
class Path1D:
    """Iterates of a 1-D optimizer: ``xs`` shape (k+1,), ``k <= steps``.

    ``diverged_at`` is the first step whose iterate left ``[-bound, bound]`` or was not finite
    (the run stopped there, and that iterate is the last one kept), else ``None``.
    """

    xs: np.ndarray
    diverged_at: int | None


def gd_1d(
    grad: Callable[[float], float], x0: float, lr: float, steps: int, bound: float = 1e6
) -> Path1D:
    r"""Plain gradient descent in one variable: :math:`x_{k+1} = x_k - \mathrm{lr}\,f'(x_k)`.

    Stops early, without a warning, at the first iterate with :math:`|x| > \text{bound}` or a
    non-finite value: that is divergence, reported in ``Path1D.diverged_at``.

    >>> gd_1d(lambda x: 2.0 * x, x0=1.0, lr=0.25, steps=3).xs
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    lr, steps = in_range(lr, "lr"), int_at_least(steps, "steps", 0)
    bound = _check_bound(bound)
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
    a, lr = float(a), in_range(lr, "lr")
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


@dataclass(frozen=True)
class Trajectory:
    """An optimizer's path on a landscape: ``xs`` (k+1, 2), ``losses`` (k+1,), k <= steps.

    ``diverged_at`` is the step whose point left ``[-bound, bound]``, was not finite, or had a
    gradient that was not finite (the run stopped there; that point is the last one kept),
    else ``None``.
    """

    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None

    @property
    def message(self) -> str:
        if self.diverged_at is None:
            return f"{len(self.xs) - 1} steps, final loss {self.losses[-1]:.4g}"
        return f"diverged at step {self.diverged_at}"


def run(
    optimizer: Optimizer,
    landscape,
    start=None,
    steps: int = 200,
    schedule: Callable[[int], float] | None = None,
    bound: float = 1e6,
) -> Trajectory:
    """Follow ``optimizer`` on a 2-D ``landscape`` (a :class:`~mmlearn.landscapes.Landscape`)
    from ``start`` (default: its own start). The run starts from a fresh optimizer state: it
    calls ``optimizer.reset()`` first, so running the same optimizer twice gives the same path.

    The point is one parameter, an array of shape (2,); each step is
    ``optimizer.step(point, landscape.grad(point))``. The run stops early, without a warning, at
    the first point that is not finite or has a coordinate beyond ``bound``, or whose gradient
    is not finite: divergence, reported in ``Trajectory.diverged_at``. A ``schedule``
    multiplies the learning rates step by step (they are restored afterwards).
    """
    check_optimizer(optimizer, "optimizer")
    check_landscape(landscape)
    steps, bound = int_at_least(steps, "steps", 0), _check_bound(bound)
    point = float_array(landscape.start if start is None else start, "start").copy()
    if point.shape != (2,):
        raise ValueError(f"start must be a finite point of shape (2,), got {point!r}")
    optimizer.reset()
    path, diverged_at = [point.copy()], None
    with lr_schedule(optimizer, schedule) as scheduler, np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            grad = landscape.grad(point)
            if not all_finite(grad):  # checked here: step() raises on a NaN/inf gradient
                diverged_at = k - 1
                break
            optimizer.step(point, grad)
            path.append(point.copy())
            if not (np.abs(point) <= bound).all():  # also False for NaN and inf
                diverged_at = k
                break
            if schedule is not None:  # without one, every lr stays as it is
                scheduler.step()
    xs = np.array(path)
    with np.errstate(all="ignore"):
        losses = landscape.value(xs)
    return Trajectory(xs, losses, diverged_at)


def heavy_ball_rate(lr, momentum, curvatures) -> np.ndarray:
    r"""Convergence rate of :class:`SGD` with ``momentum`` β on a quadratic with the given
    curvatures (Hessian eigenvalues): the factor the error shrinks by per step, asymptotically.

    On a curvature λ torch's update :math:`b \leftarrow \beta b + g,\ \theta \leftarrow
    \theta - \mathrm{lr}\,b` is the linear recurrence :math:`\theta_{k+1} = (1 + \beta -
    \mathrm{lr}\,\lambda)\theta_k - \beta\theta_{k-1}`, whose rate is the larger root modulus of
    :math:`z^2 - (1 + \beta - \mathrm{lr}\,\lambda) z + \beta = 0`; the worst curvature decides.
    Rates >= 1 diverge. ``lr`` and ``momentum`` broadcast (e.g. grids for a rate map).

    >>> float(heavy_ball_rate(1.0, 0.0, [1.0, 0.1]))  # plain GD: max |1 - lr λ|
    0.9
    """
    lr, beta = float_array(lr, "lr"), float_array(momentum, "momentum")
    curvatures = float_array(curvatures, "curvatures").reshape(-1)
    if curvatures.size == 0:
        raise ValueError("curvatures must hold at least one curvature (Hessian eigenvalue)")
    if np.any(beta < 0):
        raise ValueError(f"momentum must be >= 0, got {momentum!r}")
    worst = np.zeros(np.broadcast(lr, beta).shape)
    for lam in curvatures:
        trace = 1.0 + beta - lr * lam
        disc = trace**2 - 4.0 * beta
        root = np.sqrt(np.abs(disc))
        # real roots: (trace ± root)/2; complex pair: modulus sqrt(beta)
        rate = np.where(disc >= 0, (np.abs(trace) + root) / 2.0, np.sqrt(beta))
        worst = np.maximum(worst, rate)
    return worst


@dataclass(frozen=True)
class Comparison:
    """One optimizer on one landscape over several starts: ``gaps`` (final loss − minimum, one
    per start; inf when diverged), ``steps_to_tol`` (first step with gap < tol, or None) and
    ``state_floats`` (memory: :meth:`~mmlearn.optim.Optimizer.state_size`)."""

    optimizer: str
    landscape: str
    gaps: np.ndarray
    steps_to_tol: list
    state_floats: int


def compare(
    make_optimizers: dict[str, Callable[[], Optimizer]],
    landscapes: dict,
    starts: int = 3,
    steps: int = 300,
    tol: float = 1e-6,
    seed: int = 0,
) -> list[Comparison]:
    """Run every optimizer (``make_optimizers``: name -> a function returning a new optimizer)
    on every landscape (``landscapes``: name -> a Landscape) from the same ``starts`` random
    points (uniform in its bounds, from ``seed``) for ``steps`` steps. Each run starts from a
    fresh optimizer state (see :func:`run`)."""
    if not isinstance(make_optimizers, dict) or not isinstance(landscapes, dict):
        raise TypeError(
            f"make_optimizers and landscapes must be dicts (name -> a function "
            f"returning an optimizer, name -> a Landscape), got "
            f"{type(make_optimizers).__name__} and {type(landscapes).__name__}"
        )
    for opt_name, make in make_optimizers.items():
        function(make, f"make_optimizers[{opt_name!r}]")
    for land_name, land in landscapes.items():
        check_landscape(land, f"landscapes[{land_name!r}]")
    starts, tol = int_at_least(starts, "starts"), in_range(tol, "tol", lo_open=True)
    steps = int_at_least(steps, "steps", 0)
    rng = np.random.default_rng(validate.seed(seed))
    rows = []
    for land_name, land in landscapes.items():
        (x_lo, x_hi), (y_lo, y_hi) = land.bounds
        points = np.column_stack([rng.uniform(x_lo, x_hi, starts), rng.uniform(y_lo, y_hi, starts)])
        for opt_name, make in make_optimizers.items():
            gaps, hits, size = [], [], 0
            for start in points:
                opt = check_optimizer(make(), f"what make_optimizers[{opt_name!r}]() returned")
                traj = run(opt, land, start=start, steps=steps)
                gap = traj.losses - land.min_value()
                gaps.append(np.inf if traj.diverged_at is not None else float(gap[-1]))
                below = np.flatnonzero(gap < tol)
                hits.append(int(below[0]) if below.size and traj.diverged_at is None else None)
                size = opt.state_size()
            rows.append(Comparison(opt_name, land_name, np.array(gaps), hits, size))
    return rows
