"""Exercise self-checks accept right answers and explain wrong ones."""

import numpy as np
import pytest

import mmlearn as mm
from mmlearn import check


@pytest.mark.parametrize(
    "fn, args, answer, ok, says",
    [
        (check.gd_fastest_lr, (3.0,), 1 / 3, True, "one step"),
        (check.gd_fastest_lr, (3.0,), 0.5, False, "oscillating"),
        (check.gd_fastest_lr, (3.0,), "fast", False, "lr should be one number"),
        (check.gd_stability_limit, (3.0,), 2 / 3, True, "lr < 2/a"),
        (check.gd_stability_limit, (3.0,), 1 / 3, False, "still converge"),
        (check.gd_stability_limit, (3.0,), 1.0, False, "too large"),
        (check.gd_stability_limit, (3.0,), 0.5, False, "too small"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 11, True, "k = 11"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 10, False, "off by one"),
        (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 20, False, "smallest whole k"),
    ],
)
def test_check_messages(capsys, fn, args, answer, ok, says):
    assert fn(*args, answer) is None
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out


def test_show_versions_lists_the_libraries(capsys):
    mm.show_versions()
    out = capsys.readouterr().out
    for name in ("python", "numpy", "matplotlib", "ipywidgets", "mmlearn"):
        assert name in out


def _central(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def _forward(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus = x.copy()
        plus[i] += eps
        grad[i] = (f(plus) - f(x)) / eps
    return grad


def _mutating(f, x, eps):
    x += 1.0
    return _central(f, x - 1.0, eps)


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
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


def test_loss_gradient_check_rejects_unknown_losses():
    with pytest.raises(ValueError, match="name must be one of"):
        check.loss_gradient("hinge", lambda p, t: p)


@pytest.mark.parametrize(
    "fn, ok, says",
    [
        (_central, True, "central differences"),
        (_forward, False, "forward difference"),
        (_mutating, False, "x was changed"),
        (lambda f, x, eps: np.zeros(3), False, "returned shape (3,)"),
        (lambda f, x, eps: _central(f, x, eps) * 1.5, False, "1.5 × the right gradient"),
    ],
)
def test_numerical_gradient_check(capsys, fn, ok, says):
    check.numerical_gradient(fn)
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


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
        out = capsys.readouterr().out
        assert out.startswith("✓" if ok else "✗") and says in out, out


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
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


def test_slow_direction_steps_check_agrees_with_a_simulation(capsys):
    from mmlearn import landscapes, optim, trajectories

    traj = trajectories.run(
        optim.SGD(lr=1.0), landscapes.quadratic(50.0), start=[0.0, 1.0], steps=500
    )
    simulated = int(np.argmax(np.abs(traj.xs[:, 1]) <= 1e-3))
    check.slow_direction_steps(50, simulated)
    assert capsys.readouterr().out.startswith(f"✓ k = {simulated}")
    check.slow_direction_steps(50, simulated - 1)
    assert "off by one" in capsys.readouterr().out
    check.slow_direction_steps(50, 7)
    assert "smallest whole k" in capsys.readouterr().out


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
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


@pytest.mark.parametrize(
    "steps, ok, says",
    [
        (16, True, "a last one of 40"),
        (15, False, "round up, not down"),
        (15.625, False, "round up"),
        (64, False, "not 64"),
    ],
)
def test_steps_per_epoch_check(capsys, steps, ok, says):
    check.steps_per_epoch(1000, 64, steps)
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


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
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


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
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


@pytest.mark.parametrize(
    "check_name, answer, ok, says",
    [
        ("momentum_prediction", "converges", True, "rate 0.949"),
        ("momentum_prediction", " Diverges", False, "it converges"),
        ("momentum_prediction", "maybe", False, '"converges" or "diverges"'),
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
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("✓" if ok else "✗") and says in out, out


def test_adagrad_check(capsys):
    s = np.array([25.0, 0.02])
    for answer, ok, says in [
        (0.1 / np.sqrt(s), True, "35× larger"),
        (0.1 / s, False, "√s"),
        (0.1 / np.array([4.0, 0.1]), False, "*all* squared gradients"),
        ([1.0], False, "expected (2,)"),
    ]:
        check.adagrad_effective_lr(answer)
        out = capsys.readouterr().out
        assert out.startswith("✓" if ok else "✗") and says in out, out


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
        out = capsys.readouterr().out
        assert out.startswith("✓" if ok else "✗") and says in out, out
