"""Landscapes: gradients against finite differences, minima, vectorisation, bad input."""

import numpy as np
import pytest
from helpers import assert_grad_close
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlearn import landscapes

ALL = [landscapes.quadratic(), landscapes.quadratic(25.0, 40.0), *landscapes.LANDSCAPES.values()]
IDS = [ls.name for ls in ALL]


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_gradient_matches_finite_differences(landscape, unit):
    (x_lo, x_hi), (y_lo, y_hi) = landscape.bounds
    point = np.array([x_lo + unit[0] * (x_hi - x_lo), y_lo + unit[1] * (y_hi - y_lo)])
    assert_grad_close(lambda p: float(landscape.value(p)), landscape.grad, point)


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_minima_are_stationary_and_lowest_on_a_grid(landscape):
    np.testing.assert_allclose(landscape.grad(landscape.minima), 0.0, atol=1e-6)
    X, Y, Z = landscapes.grid(landscape, 201)
    assert landscape.min_value() <= Z.min() + 1e-9
    (x_lo, x_hi), (y_lo, y_hi) = landscape.bounds
    assert x_lo <= landscape.start[0] <= x_hi and y_lo <= landscape.start[1] <= y_hi


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_value_and_grad_are_vectorised(landscape):
    points = np.random.default_rng(0).uniform(-2, 2, size=(3, 4, 2))
    values, grads = landscape.value(points), landscape.grad(points)
    assert values.shape == (3, 4) and grads.shape == (3, 4, 2)
    for idx in [(0, 0), (2, 3), (1, 2)]:
        assert values[idx] == pytest.approx(float(landscape.value(points[idx])))
        np.testing.assert_allclose(grads[idx], landscape.grad(points[idx]))


def test_quadratic_has_curvatures_one_and_one_over_kappa():
    ls = landscapes.quadratic(condition_number=20.0, angle=30.0)
    hessian = np.stack([ls.grad(np.array([1.0, 0.0])), ls.grad(np.array([0.0, 1.0]))])
    np.testing.assert_allclose(np.linalg.eigvalsh(hessian), [1 / 20, 1.0])
    theta = np.deg2rad(30.0)  # the stiff direction is the rotated x axis
    stiff = np.array([np.cos(theta), np.sin(theta)])
    np.testing.assert_allclose(ls.grad(stiff), stiff)


def test_himmelblau_has_four_minima_at_zero():
    np.testing.assert_allclose(
        landscapes.HIMMELBLAU.value(landscapes.HIMMELBLAU.minima), 0.0, atol=1e-20
    )


def test_grid_shapes_and_bounds():
    X, Y, Z = landscapes.grid(landscapes.BEALE, 11)
    assert X.shape == Y.shape == Z.shape == (11, 11)
    assert X[0, 0] == -4.5 and Y[-1, -1] == 4.5


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: landscapes.ROSENBROCK.value(np.ones(3)), r"shape \(\.\.\., 2\)"),
        (lambda: landscapes.RASTRIGIN.grad(np.ones((2, 3))), r"shape \(\.\.\., 2\)"),
        (lambda: landscapes.quadratic(condition_number=0.5), "condition_number must be"),
        (lambda: landscapes.quadratic(angle=float("nan")), "angle must be"),
        (lambda: landscapes.grid(landscapes.SADDLE, 1), "n must be an int >= 2"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
