"""The self-checks of notebook 05's "debug Article A" exercises: right answers pass, and each
typical mistake — one per bug of Article A's code — is named."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_verdict

from mmlearn import check, gradcheck


def _right(W, b, X, y):
    r = X @ W + b - y
    return 2 / len(y) * X.T @ r, 2 / len(y) * r.sum(axis=0)


def test_the_right_gradients_agree_with_finite_differences():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(30, 10)), rng.normal(size=(30, 1))
    W, b = rng.normal(size=(10, 1)), rng.normal(size=1)

    def loss_of_W(W_):
        return float(np.mean((X @ W_ + b - y) ** 2))

    def loss_of_b(b_):
        return float(np.mean((X @ W + b_ - y) ** 2))

    dW, db = _right(W, b, X, y)
    assert gradcheck.relative_error(dW, gradcheck.numerical_grad(loss_of_W, W)) < 1e-6
    assert gradcheck.relative_error(db, gradcheck.numerical_grad(loss_of_b, b)) < 1e-6


@pytest.mark.parametrize(
    "answer, ok, says",
    [
        (1, True, "only the last one, (iv)"),
        (1.0, True, "overwrites"),
        (4, False, "is anything added"),
        (0, False, "something survives the loop"),
        (2, False, "replace one method at a time"),
        (3, False, "replace one method at a time"),
        (5, False, "from 0 to 4"),
        (1.5, False, "whole number"),
        (..., False, "not answered yet"),
    ],
)
def test_article_a_methods(capsys, answer, ok, says):
    check.article_a_methods(answer)
    assert_verdict(capsys, ok, says)


def _elementwise(W, b, X, y):  # bug 2: X * W
    r = X * W + b - y
    return 2 / len(y) * X.T @ r, 2 / len(y) * r.sum(axis=0)


def _collapsed(W, b, X, y):  # bug 6: np.sum of the gradient
    dW, db = _right(W, b, X, y)
    return np.sum(dW), db


def _b_like_W(W, b, X, y):  # bug 5: b's "gradient" is W's
    dW, _ = _right(W, b, X, y)
    return dW, dW


def _b_is_sum_of_W(W, b, X, y):  # bugs 5 and 6 together, as the article's last lines do
    dW, _ = _right(W, b, X, y)
    return dW, np.sum(dW)


def _without_b(W, b, X, y):
    return _right(W, np.zeros(1), X, y)


def _without_the_mean(W, b, X, y):
    dW, db = _right(W, b, X, y)
    return dW * len(y), db * len(y)


def _half(W, b, X, y):
    dW, db = _right(W, b, X, y)
    return dW / 2, db / 2


def _scalar_db(W, b, X, y):
    dW, db = _right(W, b, X, y)
    return dW, float(db[0])


def _stub(W, b, X, y): ...


@pytest.mark.parametrize(
    "my_grads, ok, says",
    [
        (_right, True, "match for n = 30 and n = 10"),
        (_scalar_db, True, "match"),
        (_elementwise, False, "X * W is element-wise, as in Article A's methods"),
        (_collapsed, False, "np.sum collapsed it, as in Article A's update"),
        (_b_like_W, False, "as Article A's grad_b does"),
        (_b_is_sum_of_W, False, "as Article A's grad_b does"),
        (_without_b, False, "the residual must include b"),
        (_without_the_mean, False, "factor 1/n"),
        (_half, False, "a factor 2 is missing"),
        (_stub, False, "the body of linear_model_grads is still"),
        (None, False, "should be a function"),
    ],
)
def test_article_a_gradients(capsys, my_grads, ok, says):
    check.article_a_gradients(my_grads)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("✓" if ok else "✗") and says in out, out


def test_an_elementwise_prediction_is_caught_even_where_numpy_broadcasts_silently(capsys):
    def elementwise_only_with_ten_rows(W, b, X, y):
        if len(X) != 10:
            return _right(W, b, X, y)
        return _elementwise(W, b, X, y)

    check.article_a_gradients(elementwise_only_with_ten_rows)
    out = capsys.readouterr().out
    assert out.startswith("✗") and "shape (10, 10)" in out, out
