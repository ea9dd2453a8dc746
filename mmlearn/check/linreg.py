"""Self-checks of notebook 02 · gradient descent on linear regression: its gradient, its
stability limit 2/λ_max, and how slowly the flattest direction converges."""

from __future__ import annotations

import numpy as np

from .. import linreg
from .common import call, coerce, compare, report, self_check, unpack


@self_check
def stability_limit(x, lr_max) -> None:
    """Exercise: the largest stable learning rate of full-batch GD on linear regression with
    feature ``x`` (MSE loss): 2 / λ_max of the Hessian (2/n) AᵀA, A = [x, 1]."""
    lr_max = coerce(lr_max, "lr_max")
    right = linreg.stability_limit(x)
    if np.isclose(lr_max, right, rtol=1e-6):
        return report(True, f"lr_max = {lr_max:.6g} = 2/λ_max(H).")
    A = linreg.design(x)
    lam_gram = np.linalg.eigvalsh(A.T @ A)[-1]
    hints = [
        (
            right / 2,
            "that is 1/λ_max, where the steps start to overshoot; divergence begins at 2/λ_max",
        ),
        (2 / lam_gram, "the Hessian of the *mean* squared error is (2/n) AᵀA, not AᵀA"),
        (
            1 / lam_gram,
            "the Hessian of the *mean* squared error is (2/n) AᵀA, and the limit is 2/λ_max",
        ),
        (
            2 / np.linalg.eigvalsh(2 / len(A) * A.T @ A)[0],
            "that uses the smallest eigenvalue; the largest curvature sets the limit",
        ),
    ]
    for wrong, text in hints:
        if np.isclose(lr_max, wrong, rtol=1e-6):
            return report(False, f"lr_max = {lr_max:.6g}: {text}.")
    report(
        False,
        f"lr_max = {lr_max:.6g} is {lr_max / right:.3g} × the limit: build A = [x, 1], "
        "H = (2/n) AᵀA, and take 2 / its largest eigenvalue (np.linalg.eigvalsh).",
    )


@self_check
def linreg_gradient(my_grad) -> None:
    """Exercise: ``my_grad(w, b, x, y) -> (dL/dw, dL/db)`` for L = mean((w·x + b − y)²)."""
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 5, 30), rng.normal(size=30)
    problem = linreg.landscape(x, y)
    for w, b in [(0.5, -1.0), (2.0, 3.0)]:
        dw, db = unpack(
            call(my_grad, "my_grad", w, b, x.copy(), y.copy()), "my_grad", ("dL/dw", "dL/db")
        )
        mine = np.array([coerce(dw, "dL/dw"), coerce(db, "dL/db")])
        why = compare(
            mine, problem.grad(np.array([w, b])), f"your (dL/dw, dL/db) at w={w}, b={b}", "gradient"
        )
        if why:
            return report(False, why)
    report(True, "both partial derivatives match: dL/dw = (2/n) Σ r·x and dL/db = (2/n) Σ r.")


@self_check
def slow_direction_steps(kappa: float, steps) -> None:
    """Exercise: with lr = 1/L on a quadratic of condition number κ, the slow coordinate shrinks
    by (1 − 1/κ) per step: the first k with (1 − 1/κ)^k <= 1e-3."""
    steps = coerce(steps, "steps")
    r = 1.0 - 1.0 / kappa
    k = int(np.ceil(np.log(1e-3) / np.log(r) - 1e-9))
    if steps == k:
        return report(
            True,
            f"k = {k}: (1 − 1/κ)^k = {r**k:.2e} ≤ 1e-3 — about "
            f"κ·ln(1000) = {kappa * np.log(1e3):.0f} steps.",
        )
    if abs(steps - k) == 1:
        return report(
            False,
            f"off by one: (1 − 1/κ)^{steps:g} = {r**steps:.3e}; you want the "
            "first k with the product ≤ 1e-3.",
        )
    report(
        False,
        f"not {steps:.10g}: the slow coordinate is multiplied by r = 1 − 1/κ = {r:.4g} "
        "per step; solve r^k ≤ 1e-3 for the smallest whole k.",
    )
