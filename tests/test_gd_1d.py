"""Gradient descent in one variable and the regimes on f(x) = a x²/2 (notebook 00)."""

import numpy as np
import pytest

from mmlearn import trajectories


@pytest.mark.parametrize("a, lr", [(1.0, 0.3), (2.0, 0.7), (0.5, 3.9), (3.0, 0.1)])
def test_iterates_follow_the_closed_form(a, lr):
    path = trajectories.gd_1d(lambda x: a * x, x0=1.5, lr=lr, steps=15)
    assert path.diverged_at is None
    np.testing.assert_allclose(path.xs, 1.5 * (1 - lr * a) ** np.arange(16), rtol=1e-12)


@pytest.mark.parametrize(
    "a, lr, regime",
    [
        (1.0, 0.5, "monotone"),
        (1.0, 1.0, "one step"),
        (1.0, 1.5, "oscillating"),
        (1.0, 2.0, "bouncing"),
        (1.0, 2.5, "diverging"),
        (1.0, 0.0, "stuck"),
        (4.0, 0.2, "monotone"),
        (4.0, 0.3, "oscillating"),
        (4.0, 0.6, "diverging"),
    ],
)
def test_regime_boundaries_are_one_over_a_and_two_over_a(a, lr, regime):
    assert trajectories.quadratic_regime(a, lr) == regime


def test_regime_agrees_with_the_iterates():
    for a in (0.3, 1.0, 2.7):
        for lr in np.linspace(0.01, 3.0 / a, 37):
            xs = trajectories.gd_1d(lambda x, a=a: a * x, 1.0, lr, 60).xs
            regime = trajectories.quadratic_regime(a, lr)
            if regime in ("monotone", "oscillating", "one step"):
                assert abs(xs[-1]) < abs(xs[0])
            if regime == "monotone":
                assert np.all(np.diff(xs) < 0) and np.all(xs > 0)
            if regime == "oscillating":
                assert np.all(np.sign(xs[:10]) == (-1.0) ** np.arange(10))
            if regime == "diverging":
                assert abs(xs[-1]) > abs(xs[0])


def test_divergence_stops_early_without_warnings():
    with np.errstate(all="raise"):
        path = trajectories.gd_1d(lambda x: x**3, x0=3.0, lr=1.0, steps=100)
    assert path.diverged_at is not None and path.diverged_at < 10
    assert len(path.xs) == path.diverged_at + 1
    overflow = trajectories.gd_1d(lambda x: 1e300 * x, x0=1.0, lr=1e10, steps=5, bound=np.inf)
    assert overflow.diverged_at == 1 and not np.isfinite(overflow.xs[-1])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": -0.1}, "lr must be"),
        ({"lr": float("nan")}, "lr must be"),
        ({"steps": -1}, "steps must be an int >= 0, got -1"),
        ({"steps": 2.5}, "steps must be an int >= 0, got 2.5"),
        ({"bound": 0.0}, "bound must be a number > 0"),
        ({"bound": float("nan")}, "bound must be"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, message):
    args = {"grad": lambda x: x, "x0": 1.0, "lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        trajectories.gd_1d(**args)


@pytest.mark.parametrize("a", [0.0, -1.0, float("inf")])
def test_curvature_must_be_positive(a):
    with pytest.raises(ValueError, match=r"a \(the curvature\) must be"):
        trajectories.quadratic_regime(a, 0.1)
