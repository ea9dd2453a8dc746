"""Self-checks of notebook 02 · gradient descent on linear regression: its gradient, its
stability limit 2/λ_max, the best constant step 2/(λ_min + λ_max), and a prediction tested on
the dashboard (which lr·λ_max gets lowest in 50 steps)."""

from __future__ import annotations

import numpy as np

from .. import linreg, trajectories
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
    mean = round(float(np.mean(A[:, 0])), 2) + 0.0  # + 0.0: no "-0.00"
    report(
        False,
        f"lr_max = {lr_max:.6g} is {lr_max / right:.3g} × the limit: build A = [x, 1] from the "
        f"feature the exercise names (its mean is {mean:.2f}), H = (2/n) AᵀA, and take 2 / its "
        "largest eigenvalue (np.linalg.eigvalsh).",
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
def best_constant_step(x, lr_best) -> None:
    """Exercise (derive): the constant learning rate with which full-batch GD on linear
    regression with feature ``x`` converges fastest, lr* = 2/(λ_min + λ_max) of H = (2/n) AᵀA:
    there the two directions shrink by the same factor, (κ − 1)/(κ + 1)."""
    lr = coerce(lr_best, "lr_best")
    H = linreg.hessian(x)
    lam_min, lam_max = np.linalg.eigvalsh(H)
    kappa = lam_max / lam_min
    right = 2.0 / (lam_min + lam_max)
    if np.isclose(lr, right, rtol=1e-6):
        error = np.ones(2)  # the error θ − θ* of GD obeys e ← (I − lr·H) e, whatever y is
        norms = []
        for _ in range(200):
            error = error - lr * H @ error
            norms.append(np.linalg.norm(error))
        measured = (norms[-1] / norms[99]) ** (1 / 100)
        return report(
            True,
            f"lr_best = {lr:.6g} = 2/(λ_min + λ_max): both directions shrink by "
            f"(κ − 1)/(κ + 1) = {(kappa - 1) / (kappa + 1):.4f} per step (measured over "
            f"100 steps: {measured:.4f}), against 1 − 1/κ = {1 - 1 / kappa:.4f} at lr = 1/λ_max.",
        )
    hints = [
        (
            1 / lam_max,
            "that is 1/λ_max: the stiff direction is solved in one step, but the slow one "
            f"shrinks only by 1 − 1/κ = {1 - 1 / kappa:.4f} per step. A larger step speeds up "
            "the slow direction; find where the stiff one starts to lose as much",
        ),
        (
            2 / lam_max,
            "that is the stability limit: the stiff direction is multiplied by −1 every step "
            "and never shrinks",
        ),
        (1 / (lam_min + lam_max), "a factor 2 is missing"),
    ]
    for wrong, text in hints:
        if np.isclose(lr, wrong, rtol=1e-6):
            return report(False, f"lr_best = {lr:.6g}: {text}.")
    # the slower direction's factor max |1 − lr·λᵢ| (heavy_ball_rate without momentum)
    rate = float(trajectories.heavy_ball_rate(lr, 0.0, [lam_min, lam_max]))
    if rate >= 1:
        return report(
            False,
            f"lr_best = {lr:.6g} does not converge: max |1 − lr·λᵢ| = {rate:.4g} ≥ 1. The "
            "best step lies between 1/λ_max and 2/λ_max.",
        )
    report(
        False,
        f"at lr = {lr:.6g} the slower direction shrinks by {rate:.4f} per step; a better "
        "constant step exists. Write both factors |1 − lr·λ_min| and |1 − lr·λ_max| and find "
        "the lr where the larger of them is smallest.",
    )


#: The values of notebook 02's dashboard slider lr·λ_max: 0.05, 0.10, ..., 2.20.
SLIDER_LR_TIMES_LAMBDA = np.round(np.arange(1, 45) * 0.05, 2)


def gaps_after_steps(x, y, lr_times_lambda, steps: int = 50) -> np.ndarray:
    """For each value of ``lr_times_lambda`` (m,), the loss above its minimum after ``steps``
    steps of full-batch GD from (w, b) = (0, 0) with lr = lr_times_lambda / λ_max — what
    notebook 02's dashboard shows; inf where the run overflowed. All m runs at once: the
    landscape is vectorised over the (m, 2) points."""
    problem = linreg.landscape(x, y)
    lr = np.asarray(lr_times_lambda)[:, None] * linreg.stability_limit(x) / 2  # = 2 / λ_max
    theta = np.zeros((len(lr), 2))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            theta = theta - lr * problem.grad(theta)
        gaps = problem.value(theta) - problem.min_value()
    return np.where(np.isfinite(gaps), gaps, np.inf)


@self_check
def lowest_loss_setting(x, y, lr_times_lambda) -> None:
    """Exercise (predict, then test on the dashboard): the slider value of lr·λ_max that gives
    the lowest loss after the dashboard's 50 steps on the raw feature."""
    answer = coerce(lr_times_lambda, "lr_times_lambda")
    on_slider = np.isclose(SLIDER_LR_TIMES_LAMBDA, answer, rtol=0, atol=1e-6)
    if not on_slider.any():
        return report(
            False,
            f"{answer:g} is not on the slider: pick one of 0.05, 0.10, ..., 2.20 (steps of 0.05).",
        )
    gaps = gaps_after_steps(x, y, SLIDER_LR_TIMES_LAMBDA)
    mine, best = gaps[on_slider][0], SLIDER_LR_TIMES_LAMBDA[np.argmin(gaps)]
    one = gaps[np.isclose(SLIDER_LR_TIMES_LAMBDA, 1.0)][0]
    if np.isclose(answer, best):
        return report(
            True,
            f"lr·λ_max = {best:g}: {mine:.3f} above the minimum after 50 steps, against "
            f"{one:.3f} at 1.0. Near the edge the stiff direction zig-zags but still shrinks, "
            "and the slow direction moves almost twice as fast as at 1.0.",
        )
    if answer >= 2:
        return report(
            False,
            f"at lr·λ_max = {answer:g} the stiff direction grows every step "
            f"(loss above the minimum after 50 steps: {mine:.3g}). Stay below 2.",
        )
    if np.isclose(answer, 1.0):
        return report(
            False,
            f"lr·λ_max = 1 solves the stiff direction in one step, but then the slow one "
            f"crawls: {one:.3f} above the minimum after 50 steps. Try larger values on the "
            "dashboard and watch the right panel.",
        )
    direction = "larger" if answer < best else "slightly smaller"
    report(
        False,
        f"at lr·λ_max = {answer:g} the loss is {mine:.3f} above its minimum after 50 steps; "
        f"a {direction} value does better — move the slider and watch the right panel.",
    )
