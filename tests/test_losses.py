"""Losses: values, finite-difference-checked gradients, numerical stability, bad input."""

import warnings

import numpy as np
import pytest
from helpers import assert_grad_close
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlearn import losses

FLOATS = st.floats(-5, 5, allow_nan=False)
SHAPES = st.tuples(st.integers(1, 4), st.integers(1, 3))


def _pair(draw, shape):
    return draw(arrays(np.float64, shape, elements=FLOATS)), draw(
        arrays(np.float64, shape, elements=FLOATS)
    )


@st.composite
def pred_target(draw):
    return _pair(draw, draw(SHAPES))


@settings(max_examples=40, deadline=None)
@given(pred_target())
def test_mse_gradient(pt):
    pred, target = pt
    assert_grad_close(lambda p: losses.mse(p, target)[0], lambda p: losses.mse(p, target)[1], pred)


@settings(max_examples=40, deadline=None)
@given(pred_target(), st.floats(0.1, 3))
def test_huber_gradient_away_from_the_kinks(pt, delta):
    pred, target = pt
    d = np.abs(pred - target)
    if np.any(np.abs(d - delta) < 1e-4):  # the kink between quadratic and linear
        return
    f = lambda p: losses.huber(p, target, delta)[0]
    assert_grad_close(f, lambda p: losses.huber(p, target, delta)[1], pred)


@settings(max_examples=40, deadline=None)
@given(pred_target())
def test_mae_gradient_away_from_zero(pt):
    pred, target = pt
    if np.any(np.abs(pred - target) < 1e-4):  # |d| has a kink at 0
        return
    assert_grad_close(lambda p: losses.mae(p, target)[0], lambda p: losses.mae(p, target)[1], pred)


@st.composite
def logits_labels(draw):
    n, k = draw(st.integers(1, 5)), draw(st.integers(2, 5))
    logits = draw(arrays(np.float64, (n, k), elements=st.floats(-8, 8)))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return logits, labels


@settings(max_examples=40, deadline=None)
@given(logits_labels())
def test_softmax_cross_entropy_gradient(zy):
    z, y = zy
    f = lambda q: losses.softmax_cross_entropy(q, y)[0]
    assert_grad_close(f, lambda q: losses.softmax_cross_entropy(q, y)[1], z)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n,), elements=st.floats(-8, 8)),
            arrays(np.float64, (n,), elements=st.floats(0, 1)),
        )
    )
)
def test_binary_cross_entropy_gradient(zt):
    z, t = zt
    f = lambda q: losses.binary_cross_entropy_with_logits(q, t)[0]
    g = lambda q: losses.binary_cross_entropy_with_logits(q, t)[1]
    assert_grad_close(f, g, z)


def test_known_values():
    assert losses.mse(np.array([3.0]), np.array([1.0])) == (4.0, pytest.approx(np.array([4.0])))
    assert losses.mae(np.array([3.0, 1.0]), np.array([1.0, 1.0]))[0] == 1.0
    assert losses.huber(np.array([3.0]), np.array([0.0]), delta=1.0)[0] == 2.5
    uniform = losses.softmax_cross_entropy(np.zeros((3, 5)), np.array([0, 1, 4]))
    assert uniform[0] == pytest.approx(np.log(5))
    assert losses.binary_cross_entropy_with_logits(np.zeros(4), np.full(4, 0.5))[
        0
    ] == pytest.approx(np.log(2))


def test_cross_entropy_matches_its_definition():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    y = np.array([2, 1])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert losses.softmax_cross_entropy(z, y)[0] == pytest.approx(-np.log(p[[0, 1], y]).mean())
    np.testing.assert_allclose(losses.softmax(z), p)
    np.testing.assert_allclose(losses.softmax(z).sum(axis=1), 1.0)


def test_stable_at_huge_logits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
        value, grad = losses.softmax_cross_entropy(z, np.array([1, 2]))
        assert value == pytest.approx((2000.0 + 1.0 + np.log1p(np.exp(-1.0))) / 2)
        assert np.all(np.isfinite(grad))
        value, grad = losses.binary_cross_entropy_with_logits(
            np.array([1000.0, -1000.0]), np.array([0.0, 0.0])
        )
        assert value == pytest.approx(500.0) and np.all(np.isfinite(grad))
        np.testing.assert_array_equal(losses.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
        assert np.all(np.isfinite(losses.log_softmax(z)))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: losses.mse(np.ones(3), np.ones(2)), ValueError, "same shape"),
        (lambda: losses.mae(np.array([1.0, np.nan]), np.ones(2)), ValueError, "pred contains NaN"),
        (lambda: losses.mse(np.ones(2), np.array([np.inf, 0])), ValueError, "target contains"),
        (lambda: losses.mse(np.array([]), np.array([])), ValueError, "must not be empty"),
        (lambda: losses.mse("ab", np.ones(2)), TypeError, "pred must be numeric"),
        (lambda: losses.huber(np.ones(2), np.ones(2), delta=0.0), ValueError, "delta must be"),
        (lambda: losses.softmax_cross_entropy(np.ones(3), np.array([0])), ValueError, r"\(n, k\)"),
        (
            lambda: losses.softmax_cross_entropy(np.ones((2, 3)), np.array([0])),
            ValueError,
            r"labels must have shape \(2,\)",
        ),
        (
            lambda: losses.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 3])),
            ValueError,
            r"labels must be in \[0, 2\]",
        ),
        (
            lambda: losses.softmax_cross_entropy(np.ones((2, 3)), np.array([0.0, 1.0])),
            TypeError,
            "labels must be integers",
        ),
        (
            lambda: losses.binary_cross_entropy_with_logits(np.ones(2), np.array([0.5, 2.0])),
            ValueError,
            r"targets must be in \[0, 1\]",
        ),
        (
            lambda: losses.binary_cross_entropy_with_logits(np.ones(2), np.ones(3)),
            ValueError,
            "same shape",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
