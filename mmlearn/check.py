"""Self-checks for the notebooks' exercises.

Each check prints one line — ``✓ ...`` when the answer is right, or ``✗ ...`` saying what is
wrong and what to look at. A check never raises on a wrong answer, so a student can keep
working through the notebook, and returns nothing, so the cell shows only that line.
"""

from __future__ import annotations

import numpy as np

from . import gradcheck, linreg, losses, optim, schedules, trajectories
from ._selfcheck import _compare, _number, _report
from .check_nn import (  # noqa: F401 (06-09)
    bag_of_words,
    balancing_weight,
    early_stopping,
    late_fusion_logits,
    linear_backward,
    lr_range_schedule,
    parameter_count,
    pcgrad_project,
    relu_backward,
    suggest_lr,
    tensor_features,
    uncertainty_loss,
)


def gd_fastest_lr(a: float, lr) -> None:
    """Exercise: the learning rate that minimises f(x) = a x²/2 in a single step (r = 0)."""
    value = _number(lr)
    if value is None:
        return _report(False, f"lr should be a finite number, got {lr!r}")
    r = 1.0 - value * a
    if np.isclose(r, 0.0, atol=1e-9):
        return _report(True, f"lr = {value:.4g} makes r = 1 − lr·a = 0: one step to the minimum.")
    regime = trajectories.quadratic_regime(a, max(value, 0.0))
    return _report(False, f"lr = {value:.4g} gives r = 1 − lr·a = {r:+.3f} ({regime}); "
                   "which lr makes r exactly 0?")


def gd_stability_limit(a: float, lr_max) -> None:
    """Exercise: the largest lr below which GD on a x²/2 converges from any start (2/a)."""
    value = _number(lr_max)
    if value is None:
        return _report(False, f"lr_max should be a finite number, got {lr_max!r}")
    if np.isclose(value, 2.0 / a, rtol=1e-6):
        return _report(True, f"lr_max = {value:.4g} = 2/a: |r| < 1 exactly when lr < 2/a.")
    if np.isclose(value, 1.0 / a, rtol=1e-6):
        return _report(False, "1/a is where the iterates start to oscillate, yet they still "
                       "converge: convergence needs |r| = |1 − lr·a| < 1, not r > 0.")
    too = "large: lr_max itself diverges" if value > 2.0 / a else "small: lr a bit above it "\
        "still converges"
    return _report(False, f"lr_max = {value:.4g} is too {too}. Solve |1 − lr·a| < 1 for lr.")


def steps_to_tolerance(a: float, lr: float, x0: float, tol: float, steps) -> None:
    """Exercise: the first k with |x_k| < tol for GD on a x²/2 (x_k = r^k x0)."""
    path = trajectories.gd_1d(lambda x: a * x, x0, lr, steps=10_000)
    hits = np.flatnonzero(np.abs(path.xs) < tol)
    if hits.size == 0:
        return _report(False, "this setting never reaches the tolerance: check a and lr.")
    expected = int(hits[0])
    if steps == expected:
        return _report(True, f"k = {expected}: |x_{expected}| = {abs(path.xs[expected]):.2e} < "
                       f"{tol:g}, while |x_{expected - 1}| = {abs(path.xs[expected - 1]):.2e}.")
    if isinstance(steps, (int, np.integer)) and steps == expected - 1:
        return _report(False, f"off by one: |x_{steps}| = {abs(path.xs[steps]):.2e} is not yet "
                       f"below {tol:g}.")
    return _report(False, f"not {steps!r}: |x_k| = |r|^k·|x0| with r = {1 - lr * a:+.3g}; find "
                   "the smallest whole k with |x_k| < tol (math.log helps, or a loop).")


LOSS_GRADIENT_CASES = {
    "mse": (losses.mse, "pred", "target", "real"),
    "mae": (losses.mae, "pred", "target", "real"),
    "huber": (losses.huber, "pred", "target", "real"),
    "binary_cross_entropy_with_logits": (losses.binary_cross_entropy_with_logits, "logits",
                                         "targets", "unit"),
}


def loss_gradient(name: str, my_grad) -> None:
    """Exercise: ``my_grad(pred, target)`` must return the gradient of ``losses.<name>``'s mean
    loss with respect to its first argument, on a few random (seeded) inputs."""
    if name not in LOSS_GRADIENT_CASES:
        raise ValueError(f"name must be one of {sorted(LOSS_GRADIENT_CASES)}, got {name!r}")
    loss, first, second, kind = LOSS_GRADIENT_CASES[name]
    rng = np.random.default_rng(0)
    for shape in [(5,), (3, 4)]:
        a = rng.normal(size=shape) * 2
        b = rng.uniform(0, 1, size=shape) if kind == "unit" else rng.normal(size=shape)
        try:
            mine = my_grad(a.copy(), b.copy())
        except Exception as exc:  # report a student's crash, do not raise it
            return _report(False, f"my_grad raised {type(exc).__name__}: {exc}")
        problem = _compare(mine, loss(a, b)[1], f"your gradient for {first} of shape {shape}")
        if problem:
            return _report(False, problem)
    _report(True, f"your gradient of {name} matches on inputs of shape (5,) and (3, 4).")


def gradient(my_grad, f, x) -> None:
    """Exercise: ``my_grad(x)`` must equal the gradient of scalar ``f`` at ``x`` (checked by
    central differences); reports the worst coordinate when it does not."""
    x = np.asarray(x, dtype=np.float64)
    try:
        mine = my_grad(x.copy())
    except Exception as exc:
        return _report(False, f"my_grad raised {type(exc).__name__}: {exc}")
    numeric = gradcheck.numerical_grad(f, x)
    problem = _compare(mine, numeric, "your gradient")
    if problem:
        return _report(False, problem)
    err = gradcheck.relative_error(np.asarray(mine, dtype=float), numeric)
    _report(True, f"matches central differences (relative error {err:.1e}).")


def numerical_gradient(my_numerical_grad) -> None:
    """Exercise: ``my_numerical_grad(f, x, eps)`` must return central differences of f at x,
    for x of any shape, without changing x."""
    f = lambda v: float(np.sum(np.sin(v) * v**2))
    exact = lambda v: np.cos(v) * v**2 + 2 * v * np.sin(v)
    x = np.array([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
    before = x.copy()
    try:
        mine = np.asarray(my_numerical_grad(f, x, 1e-4), dtype=np.float64)
    except Exception as exc:
        return _report(False, f"my_numerical_grad raised {type(exc).__name__}: {exc}")
    if not np.array_equal(x, before):
        return _report(False, "x was changed: restore each coordinate after nudging it "
                       "(or work on a copy).")
    if mine.shape != x.shape:
        return _report(False, f"returned shape {mine.shape}; expected x's shape {x.shape}.")
    err = gradcheck.relative_error(mine, exact(x))
    if err < 1e-6:
        return _report(True, f"central differences: relative error {err:.1e} at eps = 1e-4.")
    forward = np.empty_like(x)
    for i in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[i] += 1e-4
        forward[i] = (f(bumped) - f(x)) / 1e-4
    if gradcheck.relative_error(mine, forward) < 1e-8:
        return _report(False, "that is the forward difference (f(x+ε) − f(x))/ε, error O(ε): "
                       "use the central one, (f(x+ε) − f(x−ε))/2ε, error O(ε²).")
    _report(False, f"relative error {err:.1e} against the true gradient: "
            f"{_compare(mine, exact(x), 'your result')}")


def stability_limit(x, lr_max) -> None:
    """Exercise: the largest stable learning rate of full-batch GD on linear regression with
    feature ``x`` (MSE loss): 2 / λ_max of the Hessian (2/n) AᵀA, A = [x, 1]."""
    value = _number(lr_max)
    if value is None:
        return _report(False, f"lr_max should be a finite number, got {lr_max!r}")
    right = linreg.stability_limit(x)
    if np.isclose(value, right, rtol=1e-6):
        return _report(True, f"lr_max = {value:.6g} = 2/λ_max(H).")
    A = linreg.design(x)
    lam_gram = np.linalg.eigvalsh(A.T @ A)[-1]
    hints = [(right / 2, "that is 1/λ_max, where the steps start to overshoot; divergence "
              "begins at 2/λ_max"),
             (2 / lam_gram, "the Hessian of the *mean* squared error is (2/n) AᵀA, not AᵀA"),
             (1 / lam_gram, "the Hessian of the *mean* squared error is (2/n) AᵀA, and the "
              "limit is 2/λ_max"),
             (2 / np.linalg.eigvalsh(2 / len(A) * A.T @ A)[0], "that uses the smallest "
              "eigenvalue; the largest curvature sets the limit")]
    for wrong, text in hints:
        if np.isclose(value, wrong, rtol=1e-6):
            return _report(False, f"lr_max = {value:.6g}: {text}.")
    _report(False, f"lr_max = {value:.6g} is {value / right:.3g} × the limit: build A = [x, 1], "
            "H = (2/n) AᵀA, and take 2 / its largest eigenvalue (np.linalg.eigvalsh).")


def linreg_gradient(my_grad) -> None:
    """Exercise: ``my_grad(w, b, x, y) -> (dL/dw, dL/db)`` for L = mean((w·x + b − y)²)."""
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 5, 30), rng.normal(size=30)
    problem = linreg.landscape(x, y)
    for w, b in [(0.5, -1.0), (2.0, 3.0)]:
        try:
            mine = np.asarray(my_grad(w, b, x.copy(), y.copy()), dtype=np.float64).reshape(-1)
        except Exception as exc:
            return _report(False, f"my_grad raised {type(exc).__name__}: {exc}")
        problem_text = _compare(mine, problem.grad(np.array([w, b])),
                                f"your (dL/dw, dL/db) at w={w}, b={b}")
        if problem_text:
            return _report(False, problem_text)
    _report(True, "both partial derivatives match: dL/dw = (2/n) Σ r·x and dL/db = (2/n) Σ r.")


def slow_direction_steps(kappa: float, steps) -> None:
    """Exercise: with lr = 1/L on a quadratic of condition number κ, the slow coordinate shrinks
    by (1 − 1/κ) per step: the first k with (1 − 1/κ)^k <= 1e-3."""
    r = 1.0 - 1.0 / kappa
    expected = int(np.ceil(np.log(1e-3) / np.log(r) - 1e-9))
    if steps == expected:
        return _report(True, f"k = {expected}: (1 − 1/κ)^k = {r**expected:.2e} ≤ 1e-3 — about "
                       f"κ·ln(1000) = {kappa * np.log(1e3):.0f} steps.")
    if isinstance(steps, (int, np.integer)) and abs(steps - expected) == 1:
        return _report(False, f"off by one: (1 − 1/κ)^{steps} = {r**steps:.3e}; you want the "
                       "first k with the product ≤ 1e-3.")
    _report(False, f"not {steps!r}: the slow coordinate is multiplied by r = 1 − 1/κ = {r:.4g} "
            "per step; solve r^k ≤ 1e-3 for the smallest whole k.")


def minibatches(my_iterate) -> None:
    """Exercise: ``my_iterate(n, batch_size, rng)`` yields one epoch of index arrays: every
    index exactly once, in batches of ``batch_size`` (the last may be shorter), shuffled by rng."""
    n, size = 22, 5
    try:
        batches = [np.asarray(b) for b in my_iterate(n, size, np.random.default_rng(0))]
        again = [np.asarray(b) for b in my_iterate(n, size, np.random.default_rng(0))]
        other = [np.asarray(b) for b in my_iterate(n, size, np.random.default_rng(1))]
    except Exception as exc:
        return _report(False, f"my_iterate raised {type(exc).__name__}: {exc}")
    if not batches:
        return _report(False, "my_iterate yielded no batches.")
    sizes = [len(b) for b in batches]
    seen = np.concatenate(batches)
    if sorted(seen.tolist()) != list(range(n)):
        missing = sorted(set(range(n)) - set(seen.tolist()))
        return _report(False, f"an epoch must visit every index 0..{n - 1} exactly once; "
                       f"missing {missing}, {len(seen) - len(set(seen.tolist()))} repeated.")
    if sizes[:-1] != [size] * (len(sizes) - 1) or not 0 < sizes[-1] <= size:
        return _report(False, f"batch sizes {sizes}: all but the last should be {size}.")
    if seen.tolist() == list(range(n)):
        return _report(False, "the indices come in order 0, 1, 2, ...: shuffle them with "
                       "rng.permutation(n) first, or each batch sees neighbours only.")
    if any(not np.array_equal(a, b) for a, b in zip(batches, again)):
        return _report(False, "the same rng seed gave different batches: draw the "
                       "permutation from the rng you are given, not from np.random.")
    if all(np.array_equal(a, b) for a, b in zip(batches, other)):
        return _report(False, "different seeds gave the same batches: use the rng argument.")
    _report(True, f"{len(batches)} batches of sizes {sizes}: every index once, shuffled by rng.")


def cosine_schedule(my_cosine) -> None:
    """Exercise: ``my_cosine(step, total_steps)`` = ½(1 + cos(π·step/total)) until total_steps,
    then 0 — the lr multiplier of ``mmlearn.schedules.cosine(total_steps)``."""
    total = 40
    reference = schedules.cosine(total)
    for step in (0, 10, 20, 33, 40, 55):
        try:
            mine = float(my_cosine(step, total))
        except Exception as exc:
            return _report(False, f"my_cosine raised {type(exc).__name__}: {exc}")
        expected = reference(step)
        if not np.isclose(mine, expected, atol=1e-12):
            where = "after total_steps it should stay at 0" if step > total else (
                "at step 0 it should be 1" if step == 0 else "½(1 + cos(π·step/total))")
            return _report(False, f"at step {step}: yours {mine:.6f}, expected {expected:.6f} "
                           f"— {where}.")
    _report(True, "matches schedules.cosine: 1 at the start, ½ halfway, 0 at the end and after.")


def steps_per_epoch(n: int, batch_size: int, steps) -> None:
    """Exercise: optimizer steps in one epoch of n examples in batches of batch_size."""
    expected = -(-n // batch_size)  # ceil(n / batch_size)
    if isinstance(steps, (int, np.integer)) and steps == expected:
        last = n - (expected - 1) * batch_size
        return _report(True, f"{expected} steps: {expected - 1} full batches of {batch_size} and "
                       f"a last one of {last}.")
    value = _number(steps)
    if value is not None and np.isclose(value, n / batch_size):
        return _report(False, f"{value:g} is n / batch_size; a step needs a whole batch: round up.")
    if value is not None and value == n // batch_size:
        return _report(False, f"{value:g} leaves out the last, shorter batch of "
                       f"{n % batch_size} examples: round up, not down.")
    _report(False, f"not {steps!r}: an epoch visits all {n} examples, {batch_size} per step.")


def optimal_momentum(kappa: float, beta) -> None:
    """Exercise: the momentum β that makes heavy-ball fastest on a quadratic of condition
    number κ: β* = ((√κ − 1)/(√κ + 1))², with lr = (1 + √β*)² / L."""
    value = _number(beta)
    if value is None:
        return _report(False, f"beta should be a finite number, got {beta!r}")
    root = np.sqrt(kappa)
    best = ((root - 1) / (root + 1)) ** 2
    if np.isclose(value, best, rtol=1e-6):
        rate = float(trajectories.heavy_ball_rate((1 + np.sqrt(best)) ** 2, best,
                                                  [1.0, 1.0 / kappa]))
        return _report(True, f"β* = {best:.4f}: the rate is (√κ−1)/(√κ+1) = {rate:.4f} per step, "
                       f"against {(kappa - 1) / (kappa + 1):.4f} for the best plain GD.")
    if np.isclose(value, (root - 1) / (root + 1), rtol=1e-6):
        return _report(False, f"{value:.4f} is the *rate* (√κ−1)/(√κ+1); β* is its square.")
    _report(False, f"β = {value:.4g} is not optimal: β* = ((√κ − 1)/(√κ + 1))² balances the "
            "fastest and slowest curvatures (both critically damped).")


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
        try:
            p, m, v = (np.asarray(a, dtype=np.float64) for a in
                       my_adam_update(p.copy(), g.copy(), m.copy(), v.copy(), t, lr, beta1,
                                      beta2, eps))
        except Exception as exc:
            return _report(False, f"my_adam_update raised {type(exc).__name__} at step {t}: {exc}")
        ref.step(p_ref, g)
        if gradcheck.relative_error(p, p_ref) < 1e-10:
            continue
        m_ref, v_ref = ref.state["param"]["exp_avg"], ref.state["param"]["exp_avg_sq"]
        if not np.allclose(m, m_ref, rtol=1e-10):
            hint = "m differs: m = β₁·m + (1 − β₁)·g"
        elif not np.allclose(v, v_ref, rtol=1e-10):
            hint = "v differs: v = β₂·v + (1 − β₂)·g²"
        else:
            m_hat, v_hat = m_ref / (1 - beta1**t), v_ref / (1 - beta2**t)
            variants = {
                "no bias correction: divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ)":
                    before - lr * m_ref / (np.sqrt(v_ref) + eps),
                "ε belongs outside the square root: √v̂ + ε, not √(v̂ + ε)":
                    before - lr * m_hat / np.sqrt(v_hat + eps),
                "the step subtracts: p − lr·m̂/(√v̂ + ε)": before + lr * m_hat / (np.sqrt(v_hat)
                                                                                 + eps)}
            hint = next((text for text, guess in variants.items()
                         if gradcheck.relative_error(p, guess) < 1e-10),
                        "m and v are right; check the update p − lr·m̂/(√v̂ + ε)")
        return _report(False, f"step {t} is the first that differs (yours {p.round(6)}, "
                       f"expected {p_ref.round(6)}): {hint}.")
    _report(True, "10 steps agree with mmlearn.optim.Adam (and so with torch.optim.Adam).")


def adagrad_effective_lr(answer) -> None:
    """Exercise: AdaGrad's per-coordinate learning rate lr/(√s + ε) after the gradients
    (3, 0.1) and (4, 0.1) with lr = 0.1 (s sums the squared gradients)."""
    s = np.array([3.0, 0.1]) ** 2 + np.array([4.0, 0.1]) ** 2
    expected = 0.1 / (np.sqrt(s) + 1e-10)
    try:
        mine = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return _report(False, f"answer should be two numbers, got {answer!r}")
    if mine.shape != (2,):
        return _report(False, f"answer should have one rate per coordinate, shape (2,), got "
                       f"{mine.shape}")
    if np.allclose(mine, expected, rtol=1e-6):
        return _report(True, f"rates {np.round(expected, 4)}: the coordinate with tiny gradients "
                       f"gets a {expected[1] / expected[0]:.0f}× larger step.")
    if np.allclose(mine, 0.1 / s, rtol=1e-6):
        return _report(False, "that divides by s itself: AdaGrad divides by √s.")
    if np.allclose(mine, 0.1 / np.sqrt(np.array([16.0, 0.01])), rtol=1e-6):
        return _report(False, "s accumulates *all* squared gradients so far, not only the last.")
    _report(False, f"expected lr / (√s + ε) with s = Σ g² per coordinate; got {mine}.")


def blend_delta(my_blend_delta) -> None:
    """Exercise: ``my_blend_delta(deltas, weights)`` combines the members' steps (a list of
    arrays) with non-negative weights normalised to sum to 1: Σ (wᵢ / Σw) Δᵢ."""
    deltas = [np.array([0.1, -0.2]), np.array([-0.4, 0.05]), np.array([0.3, 0.3])]
    weights = [1.0, 2.0, 1.0]
    expected = sum(w * d for w, d in zip(weights, deltas)) / sum(weights)
    try:
        mine = np.asarray(my_blend_delta([d.copy() for d in deltas], list(weights)), dtype=float)
    except Exception as exc:
        return _report(False, f"my_blend_delta raised {type(exc).__name__}: {exc}")
    if mine.shape == expected.shape and np.allclose(mine, expected):
        return _report(True, f"the weighted mean of the steps: {np.round(mine, 4)}.")
    if mine.shape == expected.shape and np.allclose(mine, expected * sum(weights)):
        return _report(False, "the weights are not normalised: divide by their sum (here 4), "
                       "or the blend takes a step 4× too large.")
    if mine.shape == expected.shape and np.allclose(mine, sum(deltas)):
        return _report(False, "that is the plain sum of the steps — the article's recipe — "
                       "with the weights ignored.")
    _report(False, f"expected Σ (wᵢ/Σw)·Δᵢ = {np.round(expected, 4)}, got {mine}.")


def blended_sgd_lr(answer) -> None:
    """Exercise: the single SGD learning rate equivalent to
    Blend([(0.25, SGD(lr=0.2)), (0.75, SGD(lr=0.04))])."""
    value = _number(answer)
    blend = optim.Blend([(0.25, optim.SGD(lr=0.2)), (0.75, optim.SGD(lr=0.04))])
    expected = -float(blend.delta(np.zeros(1), np.ones(1))[0])  # the step for gradient 1
    if value is not None and np.isclose(value, expected):
        return _report(True, f"lr = {expected:g}: a blend of plain SGDs is SGD with the weighted "
                       "mean learning rate — blending only adds something when members differ.")
    if value is not None and np.isclose(value, 0.24):
        return _report(False, "that adds the learning rates; the weights multiply them first.")
    _report(False, f"not {answer!r}: each member's step is −lrᵢ·g; weight and add them.")


def state_floats(answer) -> None:
    """Exercise: floats of optimizer state for Blend(momentum SGD, RMSprop, Adam) on a model
    with 1000 parameters."""
    blend = optim.Blend([(1, optim.SGD(lr=0.1, momentum=0.9)), (1, optim.RMSprop()),
                         (1, optim.Adam())])
    blend.step(np.zeros(1000), np.ones(1000))
    expected = blend.state_size()
    if answer == expected:
        return _report(True, f"{expected}: momentum_buffer (1000) + square_avg (1000) + exp_avg "
                       "and exp_avg_sq (2000) — a blend costs the sum of its members' memory.")
    if answer == 3000:
        return _report(False, "Adam keeps two buffers per parameter (exp_avg and exp_avg_sq).")
    _report(False, f"not {answer!r}: count each member's per-parameter buffers "
            "(see their docstrings' State: lines) and multiply by 1000.")


def optimizer_step(my_optimizer_class, reference: str = "SGD", steps: int = 10, **kwargs) -> None:
    """Exercise: a student's optimizer class, built with ``**kwargs`` and used as
    ``opt.step(params, grads)`` on a dict of arrays, must match ``mmlearn.optim.<reference>``
    for ``steps`` steps of a fixed problem; reports the first step and parameter that differ."""
    ref_class = getattr(optim, reference, None)
    if not (isinstance(ref_class, type) and issubclass(ref_class, optim.Optimizer)):
        raise ValueError(f"reference must name an mmlearn optimizer class, got {reference!r}")
    try:
        mine, ref = my_optimizer_class(**kwargs), ref_class(**kwargs)
    except Exception as exc:
        return _report(False, f"constructing your optimizer with {kwargs} raised "
                       f"{type(exc).__name__}: {exc}")
    rng = np.random.default_rng(7)
    start = {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    params = {k: v.copy() for k, v in start.items()}
    ref_params = {k: v.copy() for k, v in start.items()}
    for t in range(1, steps + 1):
        grads = {k: 0.5 * v + np.sin(t + np.arange(v.size).reshape(v.shape))
                 for k, v in ref_params.items()}
        try:
            mine.step(params, {k: g.copy() for k, g in grads.items()})
        except Exception as exc:
            return _report(False, f"step {t} raised {type(exc).__name__}: {exc}")
        ref.step(ref_params, grads)
        for name in ref_params:
            if gradcheck.relative_error(params[name], ref_params[name]) > 1e-10:
                return _report(False, f"step {t} is the first that differs, in {name!r}: yours "
                               f"{np.round(params[name].ravel()[:3], 6)}…, expected "
                               f"{np.round(ref_params[name].ravel()[:3], 6)}…")
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    _report(True, f"{steps} steps agree with mmlearn.optim.{reference}({args}).")
