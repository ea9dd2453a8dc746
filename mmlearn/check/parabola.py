"""Self-checks of notebook 00 · gradient descent on f(x) = a x²/2, where the step factor
r = 1 − lr·a decides everything: x_k = r^k x_0."""

from __future__ import annotations

import numpy as np

from .. import trajectories
from .common import call, coerce, coerce_choice, compare, function_name, report, self_check

#: The regimes :func:`mmlearn.trajectories.quadratic_regime` names, in the order of growing lr.
REGIMES = ("stuck", "monotone", "one step", "oscillating", "bouncing", "diverging")


@self_check
def predicted_regime(a: float, lr: float, prediction) -> None:
    """Exercise (predict, then check on the dashboard): the regime of GD on a x²/2 with ``lr``,
    one of :data:`REGIMES`."""
    prediction = coerce_choice(prediction, "prediction", REGIMES)
    regime = trajectories.quadratic_regime(a, lr)
    r = 1.0 - lr * a
    if prediction == regime:
        return report(
            True,
            f"{regime}: r = 1 − lr·a = {r:+.2f}. Now set a = {a:g}, lr = {lr:g} on the "
            "dashboard and watch it happen.",
        )
    report(
        False,
        f"not {prediction}: compare lr = {lr:g} with 1/a = {1 / a:.3f} and 2/a = {2 / a:.3f} "
        "(the table above), or compute r = 1 − lr·a.",
    )


def _step_factor(c: float, lr: float) -> str:
    """What one GD step on c·x² does to x, in words a student can check by hand."""
    return f"at lr = {lr:.4g} one step multiplies x by {1.0 - 2.0 * c * lr:+.3f}"


@self_check
def parabola_without_half(c: float, lr_one_step, lr_max) -> None:
    """Exercise (derive): for f(x) = c·x² (no ½), the learning rate that reaches the minimum in
    one step, 1/(2c), and the stability limit, 1/c — the curvature is f'' = 2c, not c."""
    answers = {
        "lr_one_step": (coerce(lr_one_step, "lr_one_step"), 1.0 / (2.0 * c)),
        "lr_max": (coerce(lr_max, "lr_max"), 1.0 / c),
    }
    known_slips = {  # (answer, a tempting wrong value) -> why it is wrong
        ("lr_one_step", 1.0 / c): "1/c is the rule for (c/2)·x², with its ½. Differentiate c·x² "
        "first.",
        ("lr_max", 2.0 / c): "2/c is the limit for (c/2)·x², with its ½. What plays the part "
        "of a for c·x²?",
        ("lr_max", 1.0 / (2.0 * c)): "that reaches the minimum in one step (factor 0); the edge "
        "of stability is where the factor reaches −1.",
    }
    for name, (answer, right) in answers.items():
        if np.isclose(answer, right, rtol=1e-6):
            continue
        said = f"{name} = {answer:.4g}: {_step_factor(c, answer)}"
        for (slip_name, slip), why in known_slips.items():
            if slip_name == name and np.isclose(answer, slip, rtol=1e-6):
                return report(False, f"{said}; {why}")
        if name == "lr_one_step":
            return report(False, f"{said}, not by 0. Which lr makes x₁ = x₀ − lr·f'(x₀) = 0?")
        too = "large: it diverges" if abs(1.0 - 2.0 * c * answer) > 1 else "small: it converges"
        return report(False, f"{said}; too {too}. Where does the factor reach −1?")
    report(
        True,
        f"f'(x) = 2c·x, so a step multiplies x by 1 − 2c·lr: 0 at lr = 1/(2c) = "
        f"{1 / (2 * c):.4g}, −1 at lr = 1/c = {1 / c:.4g}. The ½ in a·x²/2 is what makes this "
        "notebook's rules read 1/a and 2/a.",
    )


@self_check
def steps_to_tolerance(a: float, lr: float, x0: float, tol: float, steps) -> None:
    """Exercise: the first k with |x_k| < tol for GD on a x²/2 (x_k = r^k x0)."""
    steps = coerce(steps, "steps")
    path = trajectories.gd_1d(lambda x: a * x, x0, lr, steps=10_000)
    hits = np.flatnonzero(np.abs(path.xs) < tol)
    if hits.size == 0:
        return report(False, "this setting never reaches the tolerance: check a and lr.")
    k = int(hits[0])
    if steps == k:
        return report(
            True,
            f"k = {k}: |x_{k}| = {abs(path.xs[k]):.2e} < {tol:g}, while "
            f"|x_{k - 1}| = {abs(path.xs[k - 1]):.2e}.",
        )
    if steps == k - 1:
        return report(
            False, f"off by one: |x_{k - 1}| = {abs(path.xs[k - 1]):.2e} is not yet below {tol:g}."
        )
    report(
        False,
        f"not {steps:.10g}: |x_k| = |r|^k·|x0| with r = {1 - lr * a:+.3g}; find the "
        "smallest whole k with |x_k| < tol (math.log helps, or a loop).",
    )


#: The runs :func:`gd_loop` tries a student's loop on: (loss, its gradient, x0, lr, steps).
GD_LOOP_CASES = (
    ("x²/2", lambda x: x, 2.0, 0.5, 6),
    ("3x²/2", lambda x: 3.0 * x, 1.0, 0.6, 6),
    ("x⁴/4", lambda x: x**3, 1.5, 0.1, 8),
)


@self_check
def gd_loop(my_gd) -> None:
    """Exercise (debug): ``my_gd(grad, x0, lr, steps)`` must return the iterates x_0 … x_steps
    of x_{k+1} = x_k − lr·grad(x_k), as :func:`mmlearn.trajectories.gd_1d` does. Messages name
    the function as the student did (``gd_fixed``)."""
    name = function_name(my_gd, "my_gd")
    for loss, grad, x0, lr, steps in GD_LOOP_CASES:
        mine = coerce(call(my_gd, name, grad, x0, lr, steps), f"{name}'s result", shape=None)
        right = trajectories.gd_1d(grad, x0, lr, steps).xs
        if mine.shape != right.shape:
            return report(
                False,
                f"with steps = {steps}, {name} returned shape {mine.shape}; expected "
                f"{right.shape}: x_0 and then one iterate per step.",
            )
        k = np.arange(steps + 1)
        if np.allclose(mine, x0 - k * lr * grad(x0)):
            return report(
                False,
                f"on f = {loss} every step is the same, −lr·f'(x_0): the slope is computed "
                "once, at x_0. Compute it at the current iterate, inside the loop.",
            )
        uphill = [np.float64(x0)]
        with np.errstate(all="ignore"):  # climbing x⁴/4 overflows: inf, never an error
            for _ in range(steps):
                uphill.append(uphill[-1] + lr * grad(uphill[-1]))
        if np.allclose(mine, uphill):
            return report(
                False, f"on f = {loss} the iterates climb: step against the slope, −lr·f'(x)."
            )
        problem = compare(mine, right, f"{name}'s iterates on f = {loss}", "iterates")
        if problem:
            return report(False, problem)
    report(True, f"{name} matches gradient descent on x²/2, 3x²/2 and x⁴/4, x_0 included.")
