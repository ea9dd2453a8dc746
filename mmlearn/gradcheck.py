r"""Finite-difference gradients: the test every hand-derived gradient must pass.

Central differences, :math:`\partial f/\partial x_i \approx (f(x + \varepsilon e_i) -
f(x - \varepsilon e_i)) / 2\varepsilon`, have error :math:`O(\varepsilon^2)`; in float64 with
:math:`\varepsilon = 10^{-6}` (:data:`EPS`, the default of every function here) the round-off is
about :math:`10^{-10}` relative. Reading the
relative error of :func:`check_grad`:

- about 1e-7 or below: the analytic gradient is right;
- 1e-5 to 1e-3: suspicious — a kink (ReLU, |x|, max) within ε of x, or a badly scaled f;
- above 1e-2: the gradient is wrong.

Kinks need care: at a point where f is not differentiable the two sides disagree, so check at
random points away from them.

A NaN or inf in either gradient makes the relative error ``inf`` (never NaN): every
``error < tol`` test then fails, as it must, instead of NaN slipping through ``error > tol``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .validate import float_array, function, in_range, real_array

#: The step of every finite difference here: small enough that the O(ε²) truncation error of
#: central differences is negligible, large enough that round-off (about 1e-16·|f|/ε) is too.
EPS = 1e-6


def numerical_grad(f: Callable[[np.ndarray], float], x, eps: float = EPS) -> np.ndarray:
    """Central-difference gradient of scalar ``f`` at ``x`` (any shape); same shape as ``x``.

    >>> numerical_grad(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    f = function(f, "f")
    eps = in_range(eps, "eps", 0.0, lo_open=True)
    x = float_array(x, "x").copy()
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)  # views: writing flat[i] changes x
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        plus = _loss_value(f(x))
        flat[i] = original - eps
        minus = _loss_value(f(x))
        flat[i] = original
        out[i] = (plus - minus) / (2.0 * eps)
    return grad


def difference_quotients(
    f: Callable[[float], float], x: float, hs
) -> tuple[np.ndarray, np.ndarray]:
    r"""The forward and central estimates of :math:`f'(x)` for a function of one number, for
    every step in ``hs`` (shape (m,)): :math:`(f(x+h) - f(x))/h`, error :math:`O(h)`, and
    :math:`(f(x+h) - f(x-h))/2h`, error :math:`O(h^2)`; two arrays of shape (m,).

    >>> forward, central = difference_quotients(lambda v: v**3, 1.0, [0.1])
    >>> round(float(forward[0]), 6), round(float(central[0]), 6)  # f'(1) = 3
    (3.31, 3.01)
    """
    f = function(f, "f")
    x = in_range(x, "x", -np.inf, np.inf)
    hs = float_array(hs, "hs").reshape(-1)
    if not np.all(hs > 0):
        raise ValueError(f"hs must hold steps h > 0, got {hs}")
    fx = _loss_value(f(x))
    plus = np.array([_loss_value(f(x + h)) for h in hs])
    minus = np.array([_loss_value(f(x - h)) for h in hs])
    return (plus - fx) / hs, (plus - minus) / (2.0 * hs)


def _loss_value(value) -> float:
    """``f(x)`` as a float, or a TypeError naming f: it must return one number, the loss."""
    if isinstance(value, (bool, str)) or value is None or np.ndim(value) != 0:
        raise TypeError(
            f"f must return a number (the loss at x), got {type(value).__name__}"
            f"{f' of shape {np.shape(value)}' if np.ndim(value) else ''}"
        )
    return float(real_array(value, "f(x)"))


def relative_error(a, b) -> float:
    r""":math:`\max|a - b| / \max(10^{-12}, \max(|a| + |b|))` — scale-free, 0 when equal;
    ``inf`` when a or b holds a NaN or inf (nothing can be said to agree).

    >>> relative_error([np.nan], [1.0])
    inf
    """
    a, b = real_array(a, "a"), real_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return np.inf
    return float(np.max(np.abs(a - b)) / max(1e-12, float(np.max(np.abs(a) + np.abs(b)))))


def check_grad(
    f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray], x, eps: float = EPS
) -> float:
    """Relative error between ``grad(x)`` and the central-difference gradient of ``f`` at x.

    >>> check_grad(lambda v: float(v @ v), lambda v: 2 * v, np.array([1.0, 2.0])) < 1e-8
    True
    """
    grad = function(grad, "grad")
    x = float_array(x, "x")
    analytic = real_array(grad(x.copy()), "grad(x)")
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have x's shape {x.shape}, got {analytic.shape}")
    return relative_error(analytic, numerical_grad(f, x, eps))


def check_model(
    model, loss_fn: Callable[[], tuple[float, np.ndarray]], eps: float = EPS
) -> dict[str, float]:
    """Relative error of every parameter's gradient of a model (anything with ``params``,
    ``grads`` and ``backward``, e.g. :class:`mmlearn.nn.MLP`): ``{name: error}``.

    ``loss_fn()`` runs the forward pass and returns ``(loss, dloss/doutputs)``; the analytic
    gradients come from ``model.backward``, the numerical ones from nudging each parameter
    in place (and putting it back).
    """
    if not all(hasattr(model, a) for a in ("params", "grads", "backward")):
        raise TypeError(
            f"model must have params, grads and backward (the mmlearn.nn Module "
            f"protocol, e.g. an MLP), got {type(model).__name__}"
        )
    loss_fn = function(loss_fn, "loss_fn")
    _, dout = loss_fn()
    model.backward(dout)
    analytic = {name: g.copy() for name, g in model.grads.items()}
    errors = {}
    for name, p in model.params.items():
        original = p.copy()

        def f(x, p=p):
            p[...] = x
            return loss_fn()[0]

        numeric = numerical_grad(f, original, eps)
        p[...] = original
        errors[name] = relative_error(analytic[name], numeric)
    return errors
