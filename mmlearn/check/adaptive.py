"""Self-checks of notebook 04 · momentum and adaptive methods: the optimal heavy-ball β, one
Adam step written by hand, and AdaGrad's per-coordinate learning rates."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, optim, trajectories
from .common import TOLERANCE, call, coerce, report, self_check, unpack


@self_check
def optimal_momentum(kappa: float, beta) -> None:
    """Exercise: the momentum β that makes heavy-ball fastest on a quadratic of condition
    number κ: β* = ((√κ − 1)/(√κ + 1))², with lr = (1 + √β*)² / L."""
    beta = coerce(beta, "beta")
    root = np.sqrt(kappa)
    best = ((root - 1) / (root + 1)) ** 2
    if np.isclose(beta, best, rtol=1e-6):
        lr = (1 + np.sqrt(best)) ** 2
        rate = float(trajectories.heavy_ball_rate(lr, best, [1.0, 1.0 / kappa]))
        return report(
            True,
            f"β* = {best:.4f}: the rate is (√κ−1)/(√κ+1) = {rate:.4f} per step, "
            f"against {(kappa - 1) / (kappa + 1):.4f} for the best plain GD.",
        )
    if np.isclose(beta, (root - 1) / (root + 1), rtol=1e-6):
        return report(False, f"{beta:.4f} is the *rate* (√κ−1)/(√κ+1); β* is its square.")
    report(
        False,
        f"β = {beta:.4g} is not optimal: β* = ((√κ − 1)/(√κ + 1))² balances the "
        "fastest and slowest curvatures (both critically damped).",
    )


@self_check
def adam_step(my_adam_update) -> None:
    """Exercise: ``my_adam_update(p, g, m, v, t, lr, beta1, beta2, eps) -> (p, m, v)``, one Adam
    step (t counts from 1). Runs 10 steps against ``mmlearn.optim.Adam`` and names the first
    step that differs, and the likely cause. Gradients are small (~0.01) and ε = 1e-3, so that
    where ε goes is visible."""
    rng = np.random.default_rng(3)
    lr, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-3
    p_ref = rng.normal(size=4)
    p, m, v = p_ref.copy(), np.zeros(4), np.zeros(4)
    ref = optim.Adam(lr=lr, betas=(beta1, beta2), eps=eps)
    for t in range(1, 11):
        g = 0.01 * (rng.normal(size=4) + p_ref)
        before = p_ref.copy()
        name = f"my_adam_update at step {t}"
        out = call(
            my_adam_update, name, p.copy(), g.copy(), m.copy(), v.copy(), t, lr, beta1, beta2, eps
        )
        p, m, v = (
            coerce(part, f"{label} after step {t}", shape=(4,))
            for part, label in zip(unpack(out, name, ("p", "m", "v")), "pmv")
        )
        ref.step(p_ref, g)
        if gradcheck.relative_error(p, p_ref) < TOLERANCE:
            continue
        m_ref, v_ref = ref.state["param"]["exp_avg"], ref.state["param"]["exp_avg_sq"]
        if gradcheck.relative_error(m, m_ref) > TOLERANCE:
            hint = "m differs: m = β₁·m + (1 − β₁)·g"
        elif gradcheck.relative_error(v, v_ref) > TOLERANCE:
            hint = "v differs: v = β₂·v + (1 − β₂)·g²"
        else:
            m_hat, v_hat = m_ref / (1 - beta1**t), v_ref / (1 - beta2**t)
            variants = {
                "no bias correction: divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ)": before
                - lr * m_ref / (np.sqrt(v_ref) + eps),
                "ε belongs outside the square root: √v̂ + ε, not √(v̂ + ε)": before
                - lr * m_hat / np.sqrt(v_hat + eps),
                "the step subtracts: p − lr·m̂/(√v̂ + ε)": before
                + lr * m_hat / (np.sqrt(v_hat) + eps),
            }
            hint = next(
                (
                    text
                    for text, guess in variants.items()
                    if gradcheck.relative_error(p, guess) < TOLERANCE
                ),
                "m and v are right; check the update p − lr·m̂/(√v̂ + ε)",
            )
        return report(
            False,
            f"step {t} is the first that differs (yours {p.round(6)}, "
            f"expected {p_ref.round(6)}): {hint}.",
        )
    report(True, "10 steps agree with mmlearn.optim.Adam (and so with torch.optim.Adam).")


@self_check
def adagrad_effective_lr(answer) -> None:
    """Exercise: AdaGrad's per-coordinate learning rate lr/(√s + ε) after the gradients
    (3, 0.1) and (4, 0.1) with lr = 0.1 (s sums the squared gradients)."""
    mine = coerce(answer, "answer (one rate per coordinate)", shape=(2,))
    s = np.array([3.0, 0.1]) ** 2 + np.array([4.0, 0.1]) ** 2
    expected = 0.1 / (np.sqrt(s) + 1e-10)
    if np.allclose(mine, expected, rtol=1e-6):
        return report(
            True,
            f"rates {np.round(expected, 4)}: the coordinate with tiny gradients "
            f"gets a {expected[1] / expected[0]:.0f}× larger step.",
        )
    if np.allclose(mine, 0.1 / s, rtol=1e-6):
        return report(False, "that divides by s itself: AdaGrad divides by √s.")
    if np.allclose(mine, 0.1 / np.sqrt(np.array([16.0, 0.01])), rtol=1e-6):
        return report(False, "s accumulates *all* squared gradients so far, not only the last.")
    report(False, f"expected lr / (√s + ε) with s = Σ g² per coordinate; got {mine}.")
