"""Exercise self-checks accept right answers and explain wrong ones."""

import numpy as np
import pytest
from helpers import assert_verdict, central_difference

import mmlearn as mm
from mmlearn import check


@pytest.mark.parametrize(
    "fn, args, answer, ok, says",
    [
        (check.predicted_regime, (3.0, 0.6), "oscillating", True, "r = 1 − lr·a = -0.80"),
        (check.predicted_regime, (3.0, 0.6), "diverging", False, "2/a = 0.667"),
        (check.predicted_regime, (1.0, 2.0), "Bouncing", True, "bouncing"),
        (check.predicted_regime, (3.0, 0.6), "fast", False, "should be one of"),
        (check.predicted_regime, (3.0, 0.6), ..., False, "not answered yet"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 11, True, "k = 11"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 10, False, "off by one"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 20, False, "smallest whole k"),
        (check.steps_per_epoch, (1000, 64), 16, True, "a last one of 40"),
        (check.steps_per_epoch, (1000, 64), 15, False, "round up, not down"),
        (check.steps_per_epoch, (1000, 64), 15.625, False, "round up"),
        (check.steps_per_epoch, (1000, 64), 64, False, "not 64"),
    ],
)
def test_check_messages(capsys, fn, args, answer, ok, says):
    assert fn(*args, answer) is None
    assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "one_step, lr_max, ok, says",
    [
        (1 / 6, 1 / 3, True, "f'(x) = 2c·x"),
        (1 / 3, 2 / 3, False, "multiplies x by -1.000; 1/c is the rule for (c/2)·x²"),
        (0.1, 1 / 3, False, "multiplies x by +0.400, not by 0"),
        (1 / 6, 2 / 3, False, "multiplies x by -3.000; 2/c is the limit for (c/2)·x²"),
        (1 / 6, 1 / 6, False, "one step (factor 0)"),
        (1 / 6, 0.5, False, "multiplies x by -2.000; too large: it diverges"),
        (1 / 6, 0.25, False, "too small: it converges"),
        (..., 1 / 3, False, "not answered yet: lr_one_step"),
    ],
)
def test_parabola_without_half_check(capsys, one_step, lr_max, ok, says):
    check.parabola_without_half(3.0, one_step, lr_max)
    assert_verdict(capsys, ok, says)


def _gd(grad, x0, lr, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return xs


def _gd_frozen_slope(grad, x0, lr, steps):  # the notebook's buggy loop
    xs, slope = [x0], grad(x0)
    for _ in range(steps):
        xs.append(xs[-1] - lr * slope)
    return xs


def _gd_uphill(grad, x0, lr, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] + lr * grad(xs[-1]))
    return xs


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (_gd, True, "matches gradient descent"),
        (lambda g, x0, lr, steps: np.array(_gd(g, x0, lr, steps)), True, "x_0 included"),
        (_gd_frozen_slope, False, "the slope is computed once, at x_0"),
        (_gd_uphill, False, "the iterates climb"),
        (lambda g, x0, lr, steps: _gd(g, x0, lr, steps)[1:], False, "returned shape (6,)"),
        (lambda g, x0, lr, steps: _gd(g, x0, lr / 2, steps), False, "worst coordinate"),
    ],
)
def test_gd_loop_check(capsys, fn, ok, says):
    check.gd_loop(fn)
    assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "forward, central, ok, says",
    [
        (10**0.5, 10, True, "÷3.2, central ÷10.0"),
        (3, 10.0, True, "O(h) and O(h²)"),
        (10, 100, False, "forward and central off"),  # the table's h ÷ 10, not the slider's
        (10, 3.16, False, "forward and central off"),
        (3.16, 3.16, False, "central off"),
        (0.316, 0.1, False, "÷2, not ×0.5"),
        (-3, 10, False, "is > 0"),
    ],
)
def test_error_shrink_factors_check(capsys, forward, central, ok, says):
    check.error_shrink_factors(forward, central)
    assert_verdict(capsys, ok, says)


def test_show_versions_lists_the_libraries(capsys):
    mm.show_versions()
    out = capsys.readouterr().out
    for name in ("python", "numpy", "matplotlib", "ipywidgets", "mmlearn"):
        assert name in out


def _forward(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus = x.copy()
        plus[i] += eps
        grad[i] = (f(plus) - f(x)) / eps
    return grad


def _mutating(f, x, eps):
    x += 1.0
    return central_difference(f, x - 1.0, eps)


@pytest.mark.parametrize(
    "name, fn, ok, says",
    [
        ("mse", lambda p, t: 2 * (p - t) / p.size, True, "matches"),
        ("mse", lambda p, t: 2 * (p - t), False, "forget to divide by N"),
        ("mse", lambda p, t: (p - t) / p.size, False, "a factor 2 is missing"),
        ("mse", lambda p, t: 2 * (t - p) / p.size, False, "sign is flipped"),
        ("mse", lambda p, t: (p - t)[:2], False, "has shape (2,); expected (5,)"),
        ("mse", lambda p, t: 1 / 0, False, "raised ZeroDivisionError"),
        ("mae", lambda p, t: np.sign(p - t) / p.size, True, "matches"),
        ("huber", lambda p, t: np.clip(p - t, -1, 1) / p.size, True, "matches"),
        ("huber", lambda p, t: (p - t) / p.size, False, "worst coordinate"),
        (
            "binary_cross_entropy_with_logits",
            lambda z, t: (1 / (1 + np.exp(-z)) - t) / z.size,
            True,
            "matches",
        ),
    ],
)
def test_loss_gradient_check(capsys, name, fn, ok, says):
    check.loss_gradient(name, fn)
    assert_verdict(capsys, ok, says)


def test_loss_gradient_check_rejects_unknown_losses():
    with pytest.raises(ValueError, match="name must be one of"):
        check.loss_gradient("hinge", lambda p, t: p)


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (central_difference, True, "central differences"),
        (_forward, False, "forward difference"),
        (_mutating, False, "x was changed"),
        (lambda f, x, eps: np.zeros(3), False, "returned shape (3,)"),
        (
            lambda f, x, eps: central_difference(f, x, eps) * 1.5,
            False,
            "1.5 × the right central difference",
        ),
    ],
)
def test_numerical_gradient_check(capsys, fn, ok, says):
    check.numerical_gradient(fn)
    assert_verdict(capsys, ok, says)


def test_gradient_check_names_the_worst_coordinate(capsys):
    f = lambda v: float(v[0] ** 2 + 3 * v[1])
    check.gradient(lambda v: np.array([2 * v[0], 3.0]), f, np.array([1.0, 2.0]))
    assert capsys.readouterr().out.startswith("✓")
    check.gradient(lambda v: np.array([2 * v[0], 2.0]), f, np.array([1.0, 2.0]))
    out = capsys.readouterr().out
    assert "worst coordinate is (1,): yours +2.000000, expected +3.000000" in out


def test_stability_limit_check(capsys):
    from mmlearn import data, linreg

    x, _ = data.make_linear_regression(100, seed=0)
    A = linreg.design(x)
    lam = np.linalg.eigvalsh(2 / len(x) * A.T @ A)[-1]
    for answer, ok, says in [
        (2 / lam, True, "2/λ_max(H)"),
        (1 / lam, False, "1/λ_max"),
        (2 / np.linalg.eigvalsh(A.T @ A)[-1], False, "(2/n) AᵀA"),
        (0.1, False, "× the limit"),
        ("big", False, "one number"),
    ]:
        check.stability_limit(x, answer)
        assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (
            lambda w, b, x, y: (2 * np.mean((w * x + b - y) * x), 2 * np.mean(w * x + b - y)),
            True,
            "both partial derivatives match",
        ),
        (
            lambda w, b, x, y: (np.mean((w * x + b - y) * x), np.mean(w * x + b - y)),
            False,
            "a factor 2 is missing",
        ),
        (
            lambda w, b, x, y: (2 * np.mean(w * x + b - y), 2 * np.mean(w * x + b - y)),
            False,
            "worst coordinate is (0,)",
        ),
    ],
)
def test_linreg_gradient_check(capsys, fn, ok, says):
    check.linreg_gradient(fn)
    assert_verdict(capsys, ok, says)


def test_best_constant_step_check(capsys):
    from mmlearn import data, linreg

    x, _ = data.make_linear_regression(100, seed=0)
    lam_min, lam_max = np.linalg.eigvalsh(linreg.hessian(x))
    kappa = lam_max / lam_min
    for answer, ok, says in [
        (2 / (lam_min + lam_max), True, f"(κ − 1)/(κ + 1) = {(kappa - 1) / (kappa + 1):.4f}"),
        (1 / lam_max, False, "that is 1/λ_max"),
        (2 / lam_max, False, "stability limit"),
        (1 / (lam_min + lam_max), False, "a factor 2 is missing"),
        (0.03, False, "does not converge"),
        (0.02, False, "a better constant step exists"),
    ]:
        check.best_constant_step(x, answer)
        assert_verdict(capsys, ok, says)
    check.best_constant_step(x, 2 / (lam_min + lam_max))
    measured = capsys.readouterr().out.split("measured over 100 steps: ")[1][:6]
    assert measured == f"{(kappa - 1) / (kappa + 1):.4f}"  # the simulation agrees


@pytest.mark.parametrize(
    "answer, ok, says",
    [
        (1.9, True, "0.560 above the minimum"),
        (1.0, False, "solves the stiff direction in one step"),
        (1.95, False, "slightly smaller value does better"),
        (0.5, False, "larger value does better"),
        (2.0, False, "grows every step"),
        (1.93, False, "not on the slider"),
    ],
)
def test_lowest_loss_setting_check_agrees_with_the_dashboard(capsys, answer, ok, says):
    from mmlearn import data, widgets

    x, y = data.make_linear_regression(100, noise=1.0, seed=0)
    if answer == 1.9:  # the number the dashboard shows at that setting
        res = widgets.compute_linreg_gd(1.9, "raw")
        says = f"{res.trajectory.losses[-1] - res.best_loss:.3f} above the minimum"
    check.lowest_loss_setting(x, y, answer)
    assert_verdict(capsys, ok, says)


def test_sgd_stability_check_agrees_with_the_dashboard(capsys):
    from mmlearn import widgets

    x, y = widgets.linreg_data("standardised")
    check.sgd_stability(x, y, " Smaller")
    out = capsys.readouterr().out
    assert out.startswith("✓ smaller: with batch 1, lr = 0.5 already diverges (at step 453)"), out
    assert widgets.compute_sgd(1, 0.5).trajectory.diverged_at == 453
    assert widgets.compute_sgd(1, 0.45).trajectory.diverged_at is None
    check.sgd_stability(x, y, "same")
    assert capsys.readouterr().out.startswith("✗ not 'same'")


@pytest.mark.parametrize(
    "answer, ok, says",
    [
        ({"1/t", "1/t**0.75"}, True, "1/t, 1/t**0.75"),
        (["1 / t", "1/t ** 0.75"], True, "1/t, 1/t**0.75"),
        ({"1/t"}, False, "1 more schedule(s)"),
        ({"1/t", "1/t**0.75", "1/sqrt(t)"}, False, "1/sqrt(t) fails"),
        ({"constant"}, False, "constant fails: Σ η_t² = ∞"),
        ({"1/t", "exp"}, False, "'exp' (str) is not one of the schedules"),
        ("1/t", False, "should be a set of schedule names"),
    ],
)
def test_robbins_monro_check(capsys, answer, ok, says):
    check.robbins_monro(answer)
    assert_verdict(capsys, ok, says)


def _ordered(n, b, rng):
    return [np.arange(n)[i : i + b] for i in range(0, n, b)]


def _global_rng(n, b, rng):
    order = np.random.default_rng().permutation(n)
    return [order[i : i + b] for i in range(0, n, b)]


def _with_replacement(n, b, rng):
    return [rng.integers(0, n, b) for _ in range(0, n, b)]


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (
            lambda n, b, rng: list(__import__("mmlearn").train.iterate_minibatches(n, b, rng)),
            True,
            "every index once",
        ),
        (_ordered, False, "shuffle them"),
        (_global_rng, False, "draw the permutation from the rng"),
        (_with_replacement, False, "exactly once"),
        (lambda n, b, rng: [np.random.default_rng(0).permutation(n)], False, "batch sizes"),
    ],
)
def test_minibatches_check(capsys, fn, ok, says):
    check.minibatches(fn)
    assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (lambda s, T: 0.5 * (1 + np.cos(np.pi * min(s, T) / T)), True, "matches"),
        (lambda s, T: 0.5 * (1 + np.cos(np.pi * s / T)), False, "stay at 0"),
        (lambda s, T: np.cos(np.pi * min(s, T) / (2 * T)), False, "at step 10"),
    ],
)
def test_cosine_schedule_check(capsys, fn, ok, says):
    check.cosine_schedule(fn)
    assert_verdict(capsys, ok, says)


def _adam(p, g, m, v, t, lr, b1, b2, eps, bias=True, eps_inside=False, sign=-1, m_rule=None):
    m = m_rule(m, g, b1) if m_rule else b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if bias else (m, v)
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return p + sign * lr * m_hat / denom, m, v


@pytest.mark.parametrize(
    "kwargs, ok, says",
    [
        ({}, True, "10 steps agree"),
        ({"bias": False}, False, "no bias correction"),
        ({"eps_inside": True}, False, "ε belongs outside the square root"),
        ({"sign": 1}, False, "the step subtracts"),
        ({"m_rule": lambda m, g, b1: b1 * m + g}, False, "m differs"),
    ],
)
def test_adam_step_check_names_the_mistake(capsys, kwargs, ok, says):
    check.adam_step(lambda *a: _adam(*a, **kwargs))
    assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "check_name, answer, ok, says",
    [
        ("momentum_prediction", "converges", True, "rate 0.949"),
        ("momentum_prediction", " Diverges", False, "it converges"),
        ("momentum_prediction", "maybe", False, "one of ['converges', 'diverges']"),
        ("momentum_prediction", ..., False, "not answered yet"),
        ("heavy_ball_limit", 3.8, True, "2(1 + β)/L = 3.8"),
        ("heavy_ball_limit", 2, False, "plain GD's limit"),
        ("heavy_ball_limit", 20, False, "z = −1"),
        ("heavy_ball_limit", 1.9, False, "a factor 2 is missing"),
        ("heavy_ball_limit", 3.0, False, "solve that for lr"),
        ("bias_correction", lambda b, t: 1 / (1 - b**t), True, "1/(1 − βᵗ)"),
        ("bias_correction", lambda b, t: 1 - b**t, False, "divides by it"),
        ("bias_correction", lambda b, t: 1 / (1 - b), False, "has no t"),
        ("bias_correction", lambda b, t: 1 / b**t, False, "geometric series"),
    ],
)
def test_momentum_and_adam_derivation_checks(capsys, check_name, answer, ok, says):
    getattr(check, check_name)(answer)
    assert_verdict(capsys, ok, says)


def test_adagrad_check(capsys):
    s = np.array([25.0, 0.02])
    for answer, ok, says in [
        (0.1 / np.sqrt(s), True, "35× larger"),
        (0.1 / s, False, "√s"),
        (0.1 / np.array([4.0, 0.1]), False, "*all* squared gradients"),
        ([1.0], False, "expected (2,)"),
    ]:
        check.adagrad_effective_lr(answer)
        assert_verdict(capsys, ok, says)


def test_blending_checks(capsys):
    cases = [
        (
            check.blend_delta,
            lambda d, w: sum(wi * di for wi, di in zip(w, d)) / sum(w),
            True,
            "weighted mean",
        ),
        (
            check.blend_delta,
            lambda d, w: sum(wi * di for wi, di in zip(w, d)),
            False,
            "not normalised",
        ),
        (check.blend_delta, lambda d, w: sum(d), False, "plain sum"),
        (check.blended_sgd_lr, 0.08, True, "lr = 0.08"),
        (check.blended_sgd_lr, 0.24, False, "adds the learning rates"),
        (check.state_floats, 4000, True, "sum of its members' memory"),
        (check.state_floats, 3000, False, "two buffers"),
    ]
    for fn, answer, ok, says in cases:
        fn(answer)
        assert_verdict(capsys, ok, says)
