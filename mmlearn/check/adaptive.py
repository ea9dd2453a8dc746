"""Self-checks of notebook 04 · momentum and adaptive methods: a prediction of momentum beyond
plain GD's limit, the heavy-ball stability limit and Adam's bias-correction factor (both
derived), one Adam step written by hand, and AdaGrad's per-coordinate learning rates."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, landscapes, optim, trajectories
from .common import TOLERANCE, call, coerce, coerce_choice, report, self_check, unpack


@self_check
def momentum_prediction(prediction) -> None:
    """Exercise (predict, then check): momentum with β = 0.9 at lr = 10^0.5 ≈ 3.16 — the race
    slider's maximum, about ten times the race's 0.3, and beyond plain GD's limit 2 — on the
    race's κ = 50 bowl: "converges" or "diverges"? Runs it for 250 steps and gives the rate per
    step (:func:`~mmlearn.trajectories.heavy_ball_rate`)."""
    guess = coerce_choice(prediction, "prediction", ("converges", "diverges"))
    bowl = landscapes.quadratic(50.0, 30.0)
    lr = 10**0.5
    traj = trajectories.run(optim.SGD(lr=lr, momentum=0.9), bowl, steps=250)
    rate = float(trajectories.heavy_ball_rate(lr, 0.9, [1.0, 1 / 50]))
    truth = "diverges" if traj.diverged_at is not None else "converges"
    measured = f"rate {rate:.3f} per step; after 250 steps the loss is {traj.losses[-1]:.1e}"
    if guess == truth:
        return report(
            True,
            f"it {truth}: {measured}. Momentum's stable range reaches past GD's lr < 2 "
            "(exercise 2 finds its limit).",
        )
    report(
        False,
        f"it {truth} ({measured}). The velocity does grow to 10 gradients, yet the "
        "stable range is not 10 times smaller: exercise 2 finds where it ends.",
    )


@self_check
def heavy_ball_limit(lr_max) -> None:
    """Exercise (derive): the largest learning rate for which heavy-ball momentum with β = 0.9
    is stable on the bowl whose largest curvature is L = 1: a root of
    z² − (1 + β − lr·L) z + β = 0 reaches z = −1 at lr = 2(1 + β)/L."""
    lr = coerce(lr_max, "lr_max")
    expected = 2 * (1 + 0.9) / 1.0
    if np.isclose(lr, expected, rtol=1e-6):
        below, above = (
            float(trajectories.heavy_ball_rate(expected * f, 0.9, [1.0])) for f in (0.99, 1.01)
        )
        return report(
            True,
            f"lr_max = 2(1 + β)/L = {expected:g}: the rate per step is {below:.3f} just below "
            f"it and {above:.3f} just above (≥ 1 diverges) — nearly twice plain GD's 2/L.",
        )
    hints = {
        2.0: "that is plain GD's limit 2/L (β = 0): put z = −1 into the momentum recurrence.",
        20.0: "2/(L(1 − β)) would follow if the velocity's 10× made the step 10× too large; "
        "but the recurrence's root z = −1 says otherwise: put z = −1 into it.",
        0.2: "the limit grows with β: put z = −1 into z² − (1 + β − lr·L) z + β = 0.",
        1.9: "a factor 2 is missing: 1 + (1 + β − lr·L) + β = 0.",
    }
    hint = next(
        (text for value, text in hints.items() if np.isclose(lr, value, rtol=1e-6)),
        "at the limit one root of z² − (1 + β − lr·L) z + β = 0 is z = −1 (an oscillation "
        "that neither grows nor shrinks); solve that for lr.",
    )
    report(False, f"not {lr:g}: {hint}")


@self_check
def bias_correction(my_correction) -> None:
    """Exercise (derive): ``my_correction(beta, t)``, the factor that turns Adam's running
    average m (started at 0) into the gradient g when g has been constant for t steps:
    m_t = (1 − β)(g + βg + … + β^(t−1) g) = (1 − β^t) g, so the factor is 1/(1 − β^t)."""
    for beta, t in [(0.9, 1), (0.9, 5), (0.999, 10), (0.5, 3), (0.9, 100)]:
        out = call(my_correction, f"my_correction({beta}, {t})", beta, t)
        mine = coerce(out, f"my_correction({beta}, {t})")
        expected = 1 / (1 - beta**t)
        if np.isclose(mine, expected, rtol=1e-6):
            continue
        guesses = {
            1 - beta**t: "that is m/g itself, (1 − βᵗ); the correction divides by it",
            1 / (1 - beta): "1/(1 − β) has no t: the correction must fade as t grows",
            1 / beta**t: "the geometric series of the weights (1 − β)βᵏ sums to 1 − βᵗ",
        }
        hint = next(
            (text for value, text in guesses.items() if np.isclose(mine, value, rtol=1e-6)),
            "sum the weights (1 − β)·βᵏ that m gives the last t gradients",
        )
        return report(
            False, f"for β = {beta}, t = {t}: yours {mine:.6g}, expected {expected:.6g} — {hint}."
        )
    report(
        True,
        "1/(1 − βᵗ): 10 at the first step for β = 0.9, 1000 for β₂ = 0.999, and → 1 as t "
        "grows (1.0000 at t = 100 for β = 0.9).",
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
