"""Self-checks of notebook 08 · multi-task learning: PCGrad's projection, uncertainty
weighting's loss and gradient, and a weight that balances two tasks' gradients."""

from __future__ import annotations

import numpy as np

from .common import call, coerce, compare, report, self_check, unpack


@self_check
def pcgrad_project(my_fn) -> None:
    """Exercise: ``my_fn(g_i, g_j) -> g_i`` after PCGrad's projection (only on conflict)."""
    cases = [
        (np.array([1.0, 0.0]), np.array([-1.0, 1.0])),
        (np.array([1.0, 2.0]), np.array([1.0, 1.0])),
        (np.array([3.0, -1.0, 2.0]), np.array([-1.0, 0.5, 0.0])),
    ]
    for g_i, g_j in cases:
        mine = coerce(
            call(my_fn, "my_fn", g_i.copy(), g_j.copy()), "the projected gradient", shape=None
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
        "otherwise g_i unchanged.",
    )


@self_check
def uncertainty_loss(my_fn) -> None:
    """Exercise: ``my_fn(task_losses (T,), s (T,)) -> (total, dtotal/ds)`` for
    total = Σ exp(−s_t) L_t + s_t."""
    L, s = np.array([2.3, 380.0]), np.array([0.5, 3.0])
    total, grad = unpack(call(my_fn, "my_fn", L.copy(), s.copy()), "my_fn", ("total", "grad_s"))
    total = coerce(total, "total")
    ref_total, ref_grad = float(np.sum(np.exp(-s) * L + s)), 1.0 - np.exp(-s) * L
    if not np.isclose(total, ref_total, rtol=1e-6):
        hint = (
            " — the + s_t term is missing: without it every s_t would grow forever"
            if np.isclose(total, np.sum(np.exp(-s) * L))
            else ""
        )
        return report(False, f"total should be {ref_total:.6g}, got {total:.6g}{hint}.")
    why = compare(grad, ref_grad, "dtotal/ds", "gradient")
    if why:
        return report(False, f"{why}. Differentiate e^(−s)·L + s: −e^(−s)·L + 1.")
    report(
        True,
        "total and gradient agree; the gradient vanishes at s_t = log L_t, so "
        "the weight e^(−s_t) becomes 1/L_t.",
    )


@self_check
def balancing_weight(answer, grad_norms: dict[str, float]) -> None:
    """Exercise: λ for the ink task that makes λ·‖∇L_ink‖ = ‖∇L_digit‖ on the trunk."""
    lam = coerce(answer, "answer")
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
