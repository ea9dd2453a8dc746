"""Self-checks of notebook 01 · losses and gradients: a loss's gradient by hand, and the central
differences that check it."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, losses
from .common import call, coerce, compare, report, self_check

#: The losses :func:`loss_gradient` knows: name -> (loss, its first and second argument, and
#: whether the second is "real" or in [0, 1] ("unit")).
LOSS_GRADIENT_CASES = {
    "mse": (losses.mse, "pred", "target", "real"),
    "mae": (losses.mae, "pred", "target", "real"),
    "huber": (losses.huber, "pred", "target", "real"),
    "binary_cross_entropy_with_logits": (
        losses.binary_cross_entropy_with_logits,
        "logits",
        "targets",
        "unit",
    ),
}


@self_check
def loss_gradient(name: str, my_grad) -> None:
    """Exercise: ``my_grad(pred, target)`` must return the gradient of ``losses.<name>``'s mean
    loss with respect to its first argument, on a few random (seeded) inputs."""
    if name not in LOSS_GRADIENT_CASES:
        raise ValueError(f"name must be one of {sorted(LOSS_GRADIENT_CASES)}, got {name!r}")
    loss, first, _, kind = LOSS_GRADIENT_CASES[name]
    rng = np.random.default_rng(0)
    for shape in [(5,), (3, 4)]:
        a = rng.normal(size=shape) * 2
        b = rng.uniform(0, 1, size=shape) if kind == "unit" else rng.normal(size=shape)
        mine = call(my_grad, "my_grad", a.copy(), b.copy())
        mean_loss = {
            a.size: "did you forget to divide by N, the number of elements (the mean)?",
            -1.0: f"the sign is flipped: differentiate with respect to {first}",
        }
        problem = compare(
            mine,
            loss(a, b)[1],
            f"your gradient for {first} of shape {shape}",
            "gradient",
            mean_loss,
        )
        if problem:
            return report(False, problem)
    report(True, f"your gradient of {name} matches on inputs of shape (5,) and (3, 4).")


@self_check
def gradient(my_grad, f, x) -> None:
    """Exercise: ``my_grad(x)`` must equal the gradient of scalar ``f`` at ``x`` (checked by
    central differences); reports the worst coordinate when it does not."""
    x = np.asarray(x, dtype=np.float64)
    mine = call(my_grad, "my_grad", x.copy())
    numeric = gradcheck.numerical_grad(f, x)
    problem = compare(mine, numeric, "your gradient", "gradient")
    if problem:
        return report(False, problem)
    err = gradcheck.relative_error(coerce(mine, "your gradient", numeric.shape), numeric)
    report(True, f"matches central differences (relative error {err:.1e}).")


@self_check
def numerical_gradient(my_numerical_grad) -> None:
    """Exercise: ``my_numerical_grad(f, x, eps)`` must return central differences of f at x,
    for x of any shape, without changing x."""
    f = lambda v: float(np.sum(np.sin(v) * v**2))
    exact = lambda v: np.cos(v) * v**2 + 2 * v * np.sin(v)
    x = np.array([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
    before = x.copy()
    mine = call(my_numerical_grad, "my_numerical_grad", f, x, 1e-4)
    if not np.array_equal(x, before):
        return report(
            False, "x was changed: restore each coordinate after nudging it (or work on a copy)."
        )
    mine = coerce(mine, "the result of my_numerical_grad", shape=None)
    if mine.shape != x.shape:
        return report(False, f"returned shape {mine.shape}; expected x's shape {x.shape}.")
    err = gradcheck.relative_error(mine, exact(x))
    if err < 1e-6:
        return report(True, f"central differences: relative error {err:.1e} at eps = 1e-4.")
    forward = np.empty_like(x)
    for i in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[i] += 1e-4
        forward[i] = (f(bumped) - f(x)) / 1e-4
    if gradcheck.relative_error(mine, forward) < 1e-6:
        return report(
            False,
            "that is the forward difference (f(x+ε) − f(x))/ε, error O(ε): "
            "use the central one, (f(x+ε) − f(x−ε))/2ε, error O(ε²).",
        )
    report(
        False,
        f"relative error {err:.1e} against the true gradient: "
        f"{compare(mine, exact(x), 'your result', 'gradient')}",
    )
