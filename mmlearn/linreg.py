r"""Linear regression :math:`\hat y = w x + b` with the MSE loss, seen as a 2-D problem in
:math:`\theta = (w, b)` — so every optimizer, :func:`mmlearn.trajectories.run` and the
landscape plots apply to it unchanged.

With the design matrix :math:`A = [x, 1]` (n, 2):

.. math::
    L(\theta) = \tfrac1n \lVert A\theta - y\rVert^2, \qquad
    \nabla L = \tfrac2n A^\top (A\theta - y), \qquad
    H = \tfrac2n A^\top A .

The loss is a quadratic bowl with Hessian :math:`H`: gradient descent converges for
:math:`\mathrm{lr} < 2/\lambda_{\max}(H)`, at a speed set by :math:`\kappa = \lambda_{\max} /
\lambda_{\min}`.
"""

from __future__ import annotations

import math

import numpy as np

from .landscapes import Landscape
from .validate import float_array, real_array, same_shape


def _xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = float_array(x, "x"), float_array(y, "y")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must have shape (n,) with n >= 2, got {x.shape}")
    same_shape(x, y, "x", "y")
    return x, y


def design(x) -> np.ndarray:
    """The design matrix ``[x, 1]``, shape (n, 2), of the feature values ``x`` (n,), n >= 1."""
    x = float_array(x, "x")
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be the feature values, shape (n,) with n >= 1, got {x.shape}")
    return np.column_stack([x, np.ones_like(x)])


def hessian(x) -> np.ndarray:
    """:math:`H = \\tfrac2n A^\\top A`, (2, 2): the same at every θ."""
    A = design(x)
    return 2.0 / len(A) * A.T @ A


def stability_limit(x) -> float:
    """The largest lr for which full-batch GD converges: :math:`2/\\lambda_{\\max}(H)`."""
    return float(2.0 / np.linalg.eigvalsh(hessian(x))[-1])


def condition_number(x) -> float:
    """:math:`\\kappa = \\lambda_{\\max}(H) / \\lambda_{\\min}(H)`; ``inf`` when every x is the
    same (H is singular: no data tells w and b apart), where the computed :math:`\\lambda_{\\min}`
    is round-off, possibly negative."""
    eig = np.linalg.eigvalsh(hessian(x))
    if eig[0] <= 1e-12 * eig[-1]:
        return math.inf
    return float(eig[-1] / eig[0])


def objective(x, y):
    """``loss_and_grad(theta, idx=None) -> (loss, grad (2,))``: the MSE of ``theta = (w, b)`` on
    the examples ``idx`` (all when None) — on a mini-batch, the noisy estimate of the full
    gradient that SGD follows. The design matrix is built once, so a call costs microseconds."""
    x, y = _xy(x, y)
    A = design(x)

    def loss_and_grad(theta, idx=None):
        if np.shape(theta) != (2,):
            raise ValueError(f"theta must be (w, b), shape (2,), got shape {np.shape(theta)}")
        A_b, y_b = (A, y) if idx is None else (A[idx], y[idx])
        r = A_b @ theta - y_b
        return float(r @ r) / len(r), (2.0 / len(r)) * (A_b.T @ r)

    return loss_and_grad


def closed_form(x, y) -> np.ndarray:
    """The least-squares solution (w, b), from ``np.linalg.lstsq`` (no gradient descent)."""
    x, y = _xy(x, y)
    return np.linalg.lstsq(design(x), y, rcond=None)[0]


def _theta(theta) -> np.ndarray:
    """Points (w, b), shape (..., 2), as floats (NaN/inf allowed: a diverged path)."""
    theta = real_array(theta, "theta")
    if theta.shape[-1:] != (2,):
        raise ValueError(f"theta must have shape (..., 2) (points (w, b)), got {theta.shape}")
    return theta


def landscape(x, y, name: str = "linear regression") -> Landscape:
    """The MSE of ``w·x + b`` as a :class:`~mmlearn.landscapes.Landscape` over (w, b),
    vectorised over (..., 2). Its bounds are a square centred between (0, 0) and the solution,
    reaching a half-width beyond each: drawn with equal aspect (w and b on the same scale, so
    that a round bowl looks round), the path from (0, 0) fills the view."""
    x, y = _xy(x, y)
    A = design(x)
    n = len(y)
    gram, cross, yy = A.T @ A / n, A.T @ y / n, float(y @ y / n)

    def value(theta):
        t = _theta(theta)
        return np.einsum("...i,ij,...j->...", t, gram, t) - 2 * t @ cross + yy

    def grad(theta):
        return 2.0 * (_theta(theta) @ gram - cross)

    best = closed_form(x, y)
    half = max(float(np.max(np.abs(best))), 1.0)
    bounds = tuple((float(c - half), float(c + half)) for c in best / 2)
    return Landscape(
        name, value, grad, minima=best[None, :], bounds=bounds, start=np.zeros(2), log_scale=True
    )
