"""Linear regression as a landscape over (w, b), and its synthetic data."""

import numpy as np
import pytest
from helpers import assert_grad_close

from mmlearn import data, linreg, losses, optim, trajectories


def test_make_linear_regression_is_seeded_and_follows_the_line():
    x, y = data.make_linear_regression(200, noise=0.5, seed=3)
    x2, y2 = data.make_linear_regression(200, noise=0.5, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert x.min() >= 0 and x.max() <= 10
    assert np.std(y - (2 * x + 3)) == pytest.approx(0.5, rel=0.15)
    x0, y0 = data.make_linear_regression(5, noise=0.0, w=-1.0, b=0.5, x_range=(-2.0, 2.0))
    np.testing.assert_allclose(y0, -x0 + 0.5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 1}, "n must be an int >= 2"),
        ({"noise": -1.0}, "noise must be"),
        ({"x_range": (3.0, 1.0)}, "x_range must be"),
    ],
)
def test_make_linear_regression_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_linear_regression(**kwargs)


X, Y = data.make_linear_regression(50, noise=1.0, seed=1)
PROBLEM = linreg.landscape(X, Y)


@pytest.mark.parametrize("theta", [(0.0, 0.0), (1.5, -2.0), (2.0, 3.0)])
def test_gradient_is_the_chain_rule_through_mse(theta):
    theta = np.array(theta)
    A = linreg.design(X)
    value, dpred = losses.mse(A @ theta, Y)
    assert PROBLEM.value(theta) == pytest.approx(value)
    np.testing.assert_allclose(PROBLEM.grad(theta), A.T @ dpred)
    assert_grad_close(lambda t: float(PROBLEM.value(t)), PROBLEM.grad, theta)


def test_hessian_limit_and_condition_number():
    A = linreg.design(X)
    np.testing.assert_allclose(linreg.hessian(X), 2 / 50 * A.T @ A)
    H = PROBLEM.grad(np.eye(2)) - PROBLEM.grad(np.zeros(2))  # rows of the constant Hessian
    np.testing.assert_allclose(H, linreg.hessian(X))
    eig = np.linalg.eigvalsh(H)
    assert linreg.stability_limit(X) == pytest.approx(2 / eig[-1])
    assert linreg.condition_number(X) == pytest.approx(eig[-1] / eig[0])
    assert linreg.condition_number((X - X.mean()) / X.std()) == pytest.approx(1.0)


def test_gradient_descent_reaches_the_closed_form_and_diverges_past_the_limit():
    best = linreg.closed_form(X, Y)
    np.testing.assert_allclose(PROBLEM.minima[0], best)
    limit = linreg.stability_limit(X)
    good = trajectories.run(optim.SGD(lr=0.9 * limit), PROBLEM, steps=20_000)
    np.testing.assert_allclose(good.xs[-1], best, atol=1e-6)
    bad = trajectories.run(optim.SGD(lr=1.05 * limit), PROBLEM, steps=2000)
    assert bad.diverged_at is not None


def test_landscape_bounds_contain_start_and_solution():
    (w_lo, w_hi), (b_lo, b_hi) = PROBLEM.bounds
    for w, b in (PROBLEM.start, PROBLEM.minima[0]):
        assert w_lo < w < w_hi and b_lo < b < b_hi


@pytest.mark.parametrize(
    "x, y, message",
    [
        (np.ones((3, 2)), np.ones(3), r"x must have shape \(n,\)"),
        (np.ones(3), np.ones(4), "same shape"),
        (np.array([1.0, np.nan]), np.ones(2), "x contains NaN"),
    ],
)
def test_bad_input(x, y, message):
    with pytest.raises(ValueError, match=message):
        linreg.landscape(x, y)
