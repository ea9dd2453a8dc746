"""Self-checks of notebook 01 · losses and gradients: a loss's gradient by hand, and the central
differences that check it."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, losses, validate
from .common import TOLERANCE, call, coerce, compare, function_name, report, self_check

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
    loss with respect to its first argument, on a few random (seeded) inputs. When only some
    coordinates are wrong, the message gives the input there (the residual pred − target), so
    that the student can see which inputs their gradient gets wrong."""
    if name not in LOSS_GRADIENT_CASES:
        raise ValueError(f"name must be one of {sorted(LOSS_GRADIENT_CASES)}, got {name!r}")
    loss, first, second, kind = LOSS_GRADIENT_CASES[name]
    fn_name = function_name(my_grad, "my_grad")
    rng = np.random.default_rng(0)
    for shape in [(5,), (3, 4)]:
        a = rng.normal(size=shape) * 2
        b = rng.uniform(0, 1, size=shape) if kind == "unit" else rng.normal(size=shape)
        mine = call(my_grad, fn_name, a.copy(), b.copy())
        mean_loss = {
            a.size: "did you forget to divide by N, the number of elements (the mean)?",
            -1.0: f"the sign is flipped: differentiate with respect to {first}",
        }

        def inputs_at(i, a=a, b=b):  # where only some coordinates are wrong: the input there
            if kind == "real":
                return f", where {first} − {second} = {a[i] - b[i]:+.3f}"
            return f", where {first} = {a[i]:+.3f} and {second} = {b[i]:.3f}"

        what = f"your gradient for {first} of shape {shape}"
        problem = compare(mine, loss(a, b)[1], what, "gradient", mean_loss, inputs_at)
        if problem:
            return report(False, problem)
    report(True, f"your gradient of {name} matches on inputs of shape (5,) and (3, 4).")


@self_check
def gradient(my_grad, f, x) -> None:
    """Exercise: ``my_grad(x)`` must equal the gradient of scalar ``f`` at ``x`` (checked by
    central differences); reports the worst coordinate when it does not."""
    x = validate.float_array(x, "x")
    mine = call(my_grad, function_name(my_grad, "my_grad"), x.copy())
    numeric = gradcheck.numerical_grad(f, x)
    problem = compare(mine, numeric, "your gradient", "gradient")
    if problem:
        return report(False, problem)
    err = gradcheck.relative_error(coerce(mine, "your gradient", numeric.shape), numeric)
    report(True, f"matches central differences (relative error {err:.1e}).")


#: Where :func:`error_shrink_factors` measures: the log-loss log(1 + e^x) (target 0, as in the
#: notebook's dashboard) at x = 0.6, as h goes from 1e-2 to 10^-2.5 — one step of the
#: dashboard's log10(h) slider, h ÷ √10.
SHRINK_X, SHRINK_HS = 0.6, (1e-2, 10**-2.5)


def shrink_factors() -> tuple[float, float]:
    """By how much the forward and the central errors are divided when h goes from
    ``SHRINK_HS[0]`` to ``SHRINK_HS[1]`` on the log-loss at ``SHRINK_X``: about 10 (O(h)) and 100
    (O(h²)) for h ÷ 10; √10 ≈ 3.16 and 10 for the slider's h ÷ √10."""
    value_and_slope = lambda x: losses.binary_cross_entropy_with_logits(np.array([x]), np.zeros(1))
    slope = float(value_and_slope(SHRINK_X)[1][0])
    forward, central = gradcheck.difference_quotients(
        lambda x: value_and_slope(x)[0], SHRINK_X, SHRINK_HS
    )
    fwd_errors, cen_errors = np.abs(forward - slope), np.abs(central - slope)
    return float(fwd_errors[0] / fwd_errors[1]), float(cen_errors[0] / cen_errors[1])


@self_check
def error_shrink_factors(forward_factor, central_factor) -> None:
    """Exercise (predict, then check on the dashboard): when h is divided by √10 (one step of the
    dashboard's slider), by what factor is the error of the forward difference divided, and that
    of the central one? (√10 and 10: errors O(h) and O(h²).)"""
    predictions = {
        "forward": coerce(forward_factor, "forward_factor"),
        "central": coerce(central_factor, "central_factor"),
    }
    measured = dict(zip(("forward", "central"), shrink_factors()))
    for name, predicted in predictions.items():
        if predicted <= 0:
            return report(
                False, f"{name}_factor = {predicted:g}: a factor that divides an error is > 0."
            )
    lo, hi = SHRINK_HS
    seen = (
        f"measured on the log-loss at x = {SHRINK_X}, h = {lo:.1e} → {hi:.1e}: forward error "
        f"÷{measured['forward']:.1f}, central ÷{measured['central']:.1f}"
    )
    wrong = [
        name
        for name, predicted in predictions.items()
        if abs(np.log10(predicted / measured[name])) > 0.15  # within ×1.4
    ]
    if not wrong:
        return report(True, f"{seen}: errors O(h) and O(h²).")
    if all(p < 1 for p in predictions.values()):
        return report(
            False,
            "a factor that *divides* the error is > 1 when the error shrinks (÷2, not ×0.5); "
            + seen,
        )
    report(False, f"{' and '.join(wrong)} off — {seen}. Which error is O(h), which O(h²)?")


@self_check
def numerical_gradient(my_numerical_grad) -> None:
    """Exercise: ``my_numerical_grad(f, x, eps)`` must return central differences of f at x,
    for x of any shape, without changing x: the same numbers as
    :func:`mmlearn.gradcheck.numerical_grad` at eps = 1e-3 (where a forward difference is
    visibly off), and the exact gradient at eps = :data:`mmlearn.gradcheck.EPS`."""
    f = lambda v: float(np.sum(np.sin(v) * v**2))
    exact = lambda v: np.cos(v) * v**2 + 2 * v * np.sin(v)
    x = np.array([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
    before = x.copy()
    results = {}
    name = function_name(my_numerical_grad, "my_numerical_grad")
    for eps in (1e-3, gradcheck.EPS):
        mine = call(my_numerical_grad, name, f, x, eps)
        if not np.array_equal(x, before):
            return report(
                False,
                "x was changed: restore each coordinate after nudging it (or work on a copy).",
            )
        mine = coerce(mine, f"the result of {name}", shape=None)
        if mine.shape != x.shape:
            return report(False, f"returned shape {mine.shape}; expected x's shape {x.shape}.")
        results[eps] = mine
    central = gradcheck.numerical_grad(f, x, 1e-3)
    if gradcheck.relative_error(results[1e-3], central) >= TOLERANCE:
        forward = np.empty_like(x)
        for i in np.ndindex(x.shape):
            bumped = x.copy()
            bumped[i] += 1e-3
            forward[i] = (f(bumped) - f(x)) / 1e-3
        if gradcheck.relative_error(results[1e-3], forward) < TOLERANCE:
            return report(
                False,
                "that is the forward difference (f(x+ε) − f(x))/ε, error O(ε): "
                "use the central one, (f(x+ε) − f(x−ε))/2ε, error O(ε²).",
            )
        problem = compare(results[1e-3], central, "your result", "central difference")
        return report(False, f"at eps = 1e-3: {problem}")
    err = gradcheck.relative_error(results[gradcheck.EPS], exact(x))
    if err < TOLERANCE:
        return report(
            True,
            f"central differences: relative error {err:.1e} against the exact gradient at "
            f"eps = {gradcheck.EPS:g}, mm.gradcheck's step.",
        )
    report(
        False,
        f"right at eps = 1e-3, but at eps = {gradcheck.EPS:g} the relative error against the "
        f"exact gradient is {err:.1e}: is eps used as given?",
    )
