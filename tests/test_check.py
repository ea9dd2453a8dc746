"""Exercise self-checks accept right answers and explain wrong ones.

The checks that take one answer share one table, ``CASES``: (the check, the arguments before
the answer, the answer, accepted?, a phrase its message must contain). Checks that take several
answers, or whose right answer is computed from data, have their own tests below."""

import numpy as np
import pytest
from helpers import assert_verdict, central_difference, gradient_descent

import mmlearn as mm
from mmlearn import check, data, widgets

# --- students' functions: the right ones and typical mistakes -------------------------------


def _gd_frozen_slope(grad, x0, lr, steps):  # the notebook's buggy loop
    xs, slope = [x0], grad(x0)
    for _ in range(steps):
        xs.append(xs[-1] - lr * slope)
    return xs


def _gd_uphill(grad, x0, lr, steps):  # x + lr·f'(x): descent on the negated slope
    return gradient_descent(lambda x: -grad(x), x0, lr, steps)


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


def _ordered(n, b, rng):
    return [np.arange(n)[i : i + b] for i in range(0, n, b)]


def _global_rng(n, b, rng):
    order = np.random.default_rng().permutation(n)
    return [order[i : i + b] for i in range(0, n, b)]


def _with_replacement(n, b, rng):
    return [rng.integers(0, n, b) for _ in range(0, n, b)]


LINREG_XY = widgets.linreg_data("raw")  # notebook 02's data


def _linreg_grads(factor=2.0, times_x=True):
    """Notebook 02's gradient of the MSE of w·x + b: right (factor 2, dL/dw has the factor x),
    or a typical mistake."""

    def grads(w, b, x, y):
        r = w * x + b - y
        return factor * np.mean(r * x if times_x else r), factor * np.mean(r)

    return grads


CASES = [
    # 00: regimes of gradient descent on (a/2)·x²
    (check.predicted_regime, (3.0, 0.6), "oscillating", True, "r = 1 − lr·a = -0.80"),
    (check.predicted_regime, (3.0, 0.6), "diverging", False, "2/a = 0.667"),
    (check.predicted_regime, (1.0, 2.0), "Bouncing", True, "bouncing"),
    (check.predicted_regime, (3.0, 0.6), "fast", False, "should be one of"),
    (check.predicted_regime, (3.0, 0.6), ..., False, "not answered yet"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 11, True, "k = 11"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 10, False, "off by one"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 20, False, "smallest whole k"),
    (check.gd_loop, (), gradient_descent, True, "matches gradient descent"),
    (
        check.gd_loop,
        (),
        lambda g, x0, lr, n: np.array(gradient_descent(g, x0, lr, n)),
        True,
        "x_0 included",
    ),
    (check.gd_loop, (), _gd_frozen_slope, False, "the slope is computed once, at x_0"),
    (check.gd_loop, (), _gd_uphill, False, "the iterates climb"),
    (
        check.gd_loop,
        (),
        lambda g, x0, lr, n: gradient_descent(g, x0, lr, n)[1:],
        False,
        "returned shape (6,)",
    ),
    (
        check.gd_loop,
        (),
        lambda g, x0, lr, n: gradient_descent(g, x0, lr / 2, n),
        False,
        "worst coordinate",
    ),
    # 01: loss gradients and finite differences
    (check.loss_gradient, ("mse",), lambda p, t: 2 * (p - t) / p.size, True, "matches"),
    (check.loss_gradient, ("mse",), lambda p, t: 2 * (p - t), False, "forget to divide by N"),
    (check.loss_gradient, ("mse",), lambda p, t: (p - t) / p.size, False, "factor 2 is missing"),
    (check.loss_gradient, ("mse",), lambda p, t: 2 * (t - p) / p.size, False, "sign is flipped"),
    (check.loss_gradient, ("mse",), lambda p, t: (p - t)[:2], False, "(2,); expected (5,)"),
    (check.loss_gradient, ("mse",), lambda p, t: 1 / 0, False, "raised ZeroDivisionError"),
    (check.loss_gradient, ("mae",), lambda p, t: np.sign(p - t) / p.size, True, "matches"),
    (check.loss_gradient, ("huber",), lambda p, t: np.clip(p - t, -1, 1) / p.size, True, "matches"),
    (check.loss_gradient, ("huber",), lambda p, t: (p - t) / p.size, False, "worst coordinate"),
    (
        check.loss_gradient,
        ("binary_cross_entropy_with_logits",),
        lambda z, t: (1 / (1 + np.exp(-z)) - t) / z.size,
        True,
        "matches",
    ),
    (check.numerical_gradient, (), central_difference, True, "central differences"),
    (check.numerical_gradient, (), _forward, False, "forward difference"),
    (check.numerical_gradient, (), _mutating, False, "x was changed"),
    (check.numerical_gradient, (), lambda f, x, eps: np.zeros(3), False, "returned shape (3,)"),
    (
        check.numerical_gradient,
        (),
        lambda f, x, eps: central_difference(f, x, eps) * 1.5,
        False,
        "1.5 × the right central difference",
    ),
    # 02: linear regression
    (check.linreg_gradient, (), _linreg_grads(), True, "both partial derivatives match"),
    (check.linreg_gradient, (), _linreg_grads(factor=1.0), False, "a factor 2 is missing"),
    (check.linreg_gradient, (), _linreg_grads(times_x=False), False, "worst coordinate is (0,)"),
    (check.lowest_loss_setting, LINREG_XY, 1.9, True, "above the minimum"),
    (check.lowest_loss_setting, LINREG_XY, 1.0, False, "solves the stiff direction in one step"),
    (check.lowest_loss_setting, LINREG_XY, 1.95, False, "slightly smaller value does better"),
    (check.lowest_loss_setting, LINREG_XY, 0.5, False, "larger value does better"),
    (check.lowest_loss_setting, LINREG_XY, 2.0, False, "grows every step"),
    (check.lowest_loss_setting, LINREG_XY, 1.93, False, "not on the slider"),
    # 03: stochastic gradient descent and schedules
    (check.steps_per_epoch, (1000, 64), 16, True, "a last one of 40"),
    (check.steps_per_epoch, (1000, 64), 15, False, "round up, not down"),
    (check.steps_per_epoch, (1000, 64), 15.625, False, "round up"),
    (check.steps_per_epoch, (1000, 64), 64, False, "not 64"),
    (check.robbins_monro, (), {"1/t", "1/t**0.75"}, True, "1/t, 1/t**0.75"),
    (check.robbins_monro, (), ["1 / t", "1/t ** 0.75"], True, "1/t, 1/t**0.75"),
    (check.robbins_monro, (), {"1/t"}, False, "1 more schedule(s)"),
    (check.robbins_monro, (), {"1/t", "1/t**0.75", "1/sqrt(t)"}, False, "1/sqrt(t) fails"),
    (check.robbins_monro, (), {"constant"}, False, "constant fails: Σ η_t² = ∞"),
    (check.robbins_monro, (), {"1/t", "exp"}, False, "'exp' (str) is not one of the schedules"),
    (check.robbins_monro, (), "1/t", False, "should be a set of schedule names"),
    (
        check.minibatches,
        (),
        lambda n, b, rng: list(mm.train.iterate_minibatches(n, b, rng)),
        True,
        "every index once",
    ),
    (check.minibatches, (), _ordered, False, "shuffle them"),
    (check.minibatches, (), _global_rng, False, "draw the permutation from the rng"),
    (check.minibatches, (), _with_replacement, False, "exactly once"),
    (
        check.minibatches,
        (),
        lambda n, b, rng: [np.random.default_rng(0).permutation(n)],
        False,
        "batch sizes",
    ),
    (
        check.cosine_schedule,
        (),
        lambda s, T: 0.5 * (1 + np.cos(np.pi * min(s, T) / T)),
        True,
        "matches",
    ),
    (check.cosine_schedule, (), lambda s, T: 0.5 * (1 + np.cos(np.pi * s / T)), False, "stay at 0"),
    (check.cosine_schedule, (), lambda s, T: np.cos(np.pi * min(s, T) / (2 * T)), False, "step 10"),
    # 04: momentum and Adam
    (check.momentum_prediction, (), "converges", True, "rate 0.949"),
    (check.momentum_prediction, (), " Diverges", False, "it converges"),
    (check.momentum_prediction, (), "maybe", False, "one of ['converges', 'diverges']"),
    (check.momentum_prediction, (), ..., False, "not answered yet"),
    (check.heavy_ball_limit, (), 3.8, True, "2(1 + β)/L = 3.8"),
    (check.heavy_ball_limit, (), 2, False, "plain GD's limit"),
    (check.heavy_ball_limit, (), 20, False, "z = −1"),
    (check.heavy_ball_limit, (), 1.9, False, "a factor 2 is missing"),
    (check.heavy_ball_limit, (), 3.0, False, "solve that for lr"),
    (check.bias_correction, (), lambda b, t: 1 / (1 - b**t), True, "1/(1 − βᵗ)"),
    (check.bias_correction, (), lambda b, t: 1 - b**t, False, "divides by it"),
    (check.bias_correction, (), lambda b, t: 1 / (1 - b), False, "has no t"),
    (check.bias_correction, (), lambda b, t: 1 / b**t, False, "geometric series"),
    # 05: blending
    (
        check.blend_delta,
        (),
        lambda d, w: sum(wi * di for wi, di in zip(w, d)) / sum(w),
        True,
        "weighted mean",
    ),
    (
        check.blend_delta,
        (),
        lambda d, w: sum(wi * di for wi, di in zip(w, d)),
        False,
        "not normalised",
    ),
    (check.blend_delta, (), lambda d, w: sum(d), False, "plain sum"),
    (check.blended_sgd_lr, (), 0.08, True, "lr = 0.08"),
    (check.blended_sgd_lr, (), 0.24, False, "adds the learning rates"),
    (check.blended_sgd_lr, (), ..., False, "not answered yet: equivalent_lr is still"),
    (check.state_floats, (), 4000, True, "sum of its members' memory"),
    (check.state_floats, (), 3000, False, "two buffers"),
    (check.state_floats, (), ..., False, "not answered yet: floats is still"),
]


@pytest.mark.parametrize(
    "fn, args, answer, ok, says", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_check_messages(capsys, fn, args, answer, ok, says):
    assert fn(*args, answer) is None
    assert_verdict(capsys, ok, says)


def test_lowest_loss_setting_check_quotes_the_dashboard(capsys):
    res = widgets.compute_linreg_gd(1.9, "raw")  # what the dashboard shows at that setting
    check.lowest_loss_setting(*LINREG_XY, 1.9)
    assert f"{res.trajectory.losses[-1] - res.best_loss:.3f} above the minimum" in (
        capsys.readouterr().out
    )


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


def test_a_check_explains_a_problem_argument_it_cannot_use_and_does_not_raise(capsys):
    check.loss_gradient("hinge", lambda p, t: p)  # the loss's name is the notebook's, not an answer
    out = capsys.readouterr().out
    assert out.startswith("✗ loss_gradient(name, my_grad) could not use its arguments"), out
    assert "name must be one of ['binary_cross_entropy_with_logits'" in out, out
    assert "re-run them" in out, out


def test_gradient_check_names_the_worst_coordinate(capsys):
    f = lambda v: float(v[0] ** 2 + 3 * v[1])
    check.gradient(lambda v: np.array([2 * v[0], 3.0]), f, np.array([1.0, 2.0]))
    assert capsys.readouterr().out.startswith("✓")
    check.gradient(lambda v: np.array([2 * v[0], 2.0]), f, np.array([1.0, 2.0]))
    out = capsys.readouterr().out
    assert "worst coordinate is (1,): yours +2.000000, expected +3.000000" in out


def test_stability_limit_check(capsys):
    from mmlearn import linreg

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


def test_best_constant_step_check(capsys):
    from mmlearn import linreg

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


def test_sgd_stability_check_agrees_with_the_dashboard(capsys):
    x, y = widgets.linreg_data("standardised")
    check.sgd_stability(x, y, " Smaller")
    out = capsys.readouterr().out
    assert out.startswith("✓ smaller: with batch 1, lr = 0.5 already diverges (at step 453)"), out
    assert widgets.compute_sgd(1, 0.5).trajectory.diverged_at == 453
    assert widgets.compute_sgd(1, 0.45).trajectory.diverged_at is None
    check.sgd_stability(x, y, "same")
    assert capsys.readouterr().out.startswith("✗ not 'same'")


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
