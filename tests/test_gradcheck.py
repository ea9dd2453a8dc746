"""Finite differences: accurate on smooth functions, and able to catch a wrong gradient."""

import numpy as np
import pytest

from mmlearn import gradcheck, losses, nn
from mmlearn.gradcheck import check_grad, numerical_grad, relative_error


def test_numerical_grad_of_known_functions_in_any_shape():
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    np.testing.assert_allclose(
        numerical_grad(lambda v: float(np.sum(np.sin(v))), x), np.cos(x), rtol=1e-8
    )
    np.testing.assert_allclose(
        numerical_grad(lambda v: float(np.prod(v)), np.array([2.0, 3.0])), [3.0, 2.0], rtol=1e-8
    )


def test_numerical_grad_leaves_x_unchanged():
    x = np.array([1.0, 2.0])
    numerical_grad(lambda v: float(v @ v), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error_definition():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    # max|a-b| / max(|a|+|b|) = 0.5 / 4.5
    assert relative_error([1.0, 2.0], [1.5, 2.5]) == pytest.approx(0.5 / 4.5)
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1e-20], [0.0]) == pytest.approx(1e-8)  # the 1e-12 floor


def test_check_grad_accepts_a_right_gradient_and_catches_a_planted_bug():
    f = lambda w: float(np.sum(w**3) + w[0] * w[1])
    right = lambda w: 3 * w**2 + np.array([w[1], w[0], 0.0])
    wrong = lambda w: 3 * w**2 + np.array([w[0], w[1], 0.0])  # swapped the cross term
    x = np.array([0.3, -1.2, 0.7])
    assert check_grad(f, right, x) < 1e-8
    assert check_grad(f, wrong, x) > 1e-2


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: numerical_grad(lambda v: 0.0, np.ones(2), eps=0.0), ValueError, "eps must be"),
        (lambda: numerical_grad(lambda v: 0.0, np.array([np.nan])), ValueError, "x contains NaN"),
        (lambda: relative_error(np.ones(2), np.ones(3)), ValueError, "same shape"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_check_model_finds_a_wrong_backward_and_restores_the_parameters():
    class Wrong(nn.Linear):
        def backward(self, dout):
            dX = super().backward(dout)
            self.grads["W"] *= 2.0  # a factor-2 bug
            return dX

    X, y = np.random.default_rng(0).normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    for layer, bad in ((nn.Linear(3, 2, seed=1), False), (Wrong(3, 2, seed=1), True)):
        before = layer.get_params()
        errors = gradcheck.check_model(
            layer, lambda layer=layer: losses.softmax_cross_entropy(layer.forward(X), y)
        )
        assert (errors["W"] > 0.1) == bad and errors["b"] < 1e-7
        assert all(np.array_equal(before[k], layer.params[k]) for k in before)


def test_difference_quotients_have_errors_of_order_h_and_h_squared():
    hs = np.array([1e-2, 1e-3])
    forward, central = gradcheck.difference_quotients(np.exp, 0.0, hs)  # exp' = exp, 1 at 0
    np.testing.assert_allclose(forward - 1, hs / 2, rtol=1e-2)  # f''(0)/2 · h
    np.testing.assert_allclose(central - 1, hs**2 / 6, rtol=1e-2)  # f'''(0)/6 · h²
    with pytest.raises(ValueError, match="hs must hold steps h > 0"):
        gradcheck.difference_quotients(np.exp, 0.0, [0.0])
