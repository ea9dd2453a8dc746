"""Self-checks of notebook 08 · multi-task learning: a predicted weight at which the auxiliary
loss starts below the main one, the optimum of uncertainty weighting, PCGrad's projection (a
debugging exercise) and a weight that balances two tasks' gradients."""

from __future__ import annotations

import numpy as np

from .common import WrongAnswer, call, coerce, compare, report, self_check


@self_check
def quiet_aux_weight(
    answer, task_losses: dict[str, float], lambdas, main: str = "digit", aux: str = "ink"
) -> None:
    """Predict-then-check: the largest λ of ``lambdas`` for which the weighted auxiliary loss
    λ·L_aux starts below the main loss L_main (``task_losses`` at initialisation)."""
    lam = coerce(answer, "your λ")
    L_main, L_aux = task_losses[main], task_losses[aux]
    lambdas = sorted(float(v) for v in lambdas)
    quiet = [v for v in lambdas if v * L_aux < L_main]
    ref = max(quiet) if quiet else None
    if not any(np.isclose(lam, v, rtol=1e-9) for v in lambdas):
        return report(False, f"pick one of the swept values {lambdas}, got {lam:g}.")
    if ref is not None and np.isclose(lam, ref, rtol=1e-9):
        louder = [v for v in lambdas if v > ref]
        nxt = (
            f"; the next swept value, {louder[0]:g}, gives {louder[0] * L_aux:.3g}"
            if louder
            else ""
        )
        return report(
            True,
            f"λ = {ref:g}: {ref:g} × {L_aux:.4g} = {ref * L_aux:.3g} < {L_main:.3g}{nxt}. "
            "Now move the slider to see it.",
        )
    if lam * L_aux >= L_main:
        return report(
            False,
            f"λ = {lam:g} gives λ × L_{aux} = {lam:g} × {L_aux:.4g} = {lam * L_aux:.3g}, "
            f"not below L_{main} = {L_main:.3g}: the {aux} term still starts louder.",
        )
    report(
        False,
        f"λ = {lam:g} starts below (λ × L_{aux} = {lam * L_aux:.3g} < {L_main:.3g}), but it is "
        "not the largest swept λ that does.",
    )


@self_check
def uncertainty_optimum(my_fn) -> None:
    """Exercise (derive): ``my_fn(task_losses (T,)) -> σ² (T,)``, for each task the σ² that
    minimises e^(−s)·L + s over s = log σ², its loss L held fixed (answer: σ² = L)."""
    L = np.array([2.3, 392.13, 0.4])
    mine = coerce(call(my_fn, "my_fn", L.copy()), "σ²", shape=L.shape)
    if np.allclose(mine, L, rtol=1e-6, atol=0):
        return report(
            True,
            "σ² = L: d/ds (e^(−s)·L + s) = 1 − e^(−s)·L = 0 at e^s = L, so each task is "
            "weighted by e^(−s) = 1/L and contributes w·L = 1.",
        )
    hints = {
        "that is s = log σ², the minimiser in s; the question asks for σ² itself": np.log(L),
        "that is the weight e^(−s) = 1/σ² the task gets, not σ²": 1 / L,
        "that is σ, not σ²": np.sqrt(L),
        "that is −log L: check the sign when you set the derivative to zero": -np.log(L),
    }
    for hint, value in hints.items():
        if np.allclose(mine, value, rtol=1e-6, atol=0):
            return report(False, f"for L = {L} you gave {mine}: {hint}.")
    report(
        False,
        f"for L = {L} you gave σ² = {mine}. Differentiate e^(−s)·L + s with respect to s "
        "and set it to zero.",
    )


@self_check
def pcgrad_project(my_fn) -> None:
    """Exercise (debug): ``my_fn(g_i, g_j) -> g_i`` after PCGrad's projection (only on
    conflict), without changing the arrays it is given."""
    cases = [
        (np.array([1.0, 0.0]), np.array([-1.0, 1.0])),
        (np.array([1.0, 2.0]), np.array([1.0, 1.0])),
        (np.array([3.0, -1.0, 2.0]), np.array([-1.0, 0.5, 0.0])),
    ]
    for g_i, g_j in cases:
        given_i, given_j = g_i.copy(), g_j.copy()
        mine = coerce(call(my_fn, "my_fn", given_i, given_j), "the projected gradient", shape=None)
        if not (np.array_equal(given_i, g_i) and np.array_equal(given_j, g_j)):
            raise WrongAnswer(
                "my_fn changed the arrays it was given (an in-place `-=` or `*=`?): the "
                "caller's gradient is corrupted. Build a new array: g_i - ..., not g_i -= ..."
            )
        dot = g_i @ g_j
        ref = g_i - dot / (g_j @ g_j) * g_j if dot < 0 else g_i
        why = compare(mine, ref, "the projected gradient", "gradient")
        if why is None:
            continue
        if dot >= 0:
            return report(
                False,
                f"g_i = {g_i} and g_j = {g_j} do not conflict (g_i·g_j = "
                f"{dot:g} ≥ 0): leave g_i unchanged.",
            )
        if mine.shape == ref.shape and np.allclose(mine, g_i - dot / (g_i @ g_i) * g_j):
            return report(False, "divide by ‖g_j‖², the vector you project onto, not ‖g_i‖².")
        return report(False, f"for g_i = {g_i}, g_j = {g_j}: {why}.")
    report(
        True,
        "on conflict g_i − (g_i·g_j/‖g_j‖²) g_j, which is orthogonal to g_j; "
        "otherwise g_i unchanged, and the inputs are left alone.",
    )


@self_check
def balancing_weight(answer, grad_norms: dict[str, float]) -> None:
    """Exercise: λ for the ink task that makes λ·‖∇L_ink‖ = ‖∇L_digit‖ on the trunk."""
    lam = coerce(answer, "lam_balanced")
    ref = grad_norms["digit"] / grad_norms["ink"]
    if np.isclose(lam, ref, rtol=1e-6):
        return report(
            True,
            f"λ = ‖∇L_digit‖ / ‖∇L_ink‖ = {ref:.3g}: both tasks pull on "
            "the trunk equally hard at the start.",
        )
    if np.isclose(lam, 1 / ref, rtol=1e-6):
        return report(False, "upside down: scale the ink gradient DOWN to the digit one.")
    report(
        False,
        f"λ = {lam:.3g} gives λ·‖∇L_ink‖ = {lam * grad_norms['ink']:.3g}, "
        f"but ‖∇L_digit‖ = {grad_norms['digit']:.3g}.",
    )
