"""Self-checks of notebook 05 · blending optimizers: a blend's step, a blend of plain SGDs, the
memory a blend costs, and two exercises on Article A's code (which the notebook rebuilds, in our
own code, from the facts in the project's notes on the source articles): how many of its four
"methods" change its result, and the real gradients of the linear model it meant to train."""

from __future__ import annotations

import numpy as np

from .. import optim
from .common import WrongAnswer, call, coerce, compare, report, self_check, unpack


@self_check
def blend_delta(my_blend_delta) -> None:
    """Exercise: ``my_blend_delta(deltas, weights)`` combines the members' steps (a list of
    arrays) with non-negative weights normalised to sum to 1: Σ (wᵢ / Σw) Δᵢ."""
    deltas = [np.array([0.1, -0.2]), np.array([-0.4, 0.05]), np.array([0.3, 0.3])]
    weights = [1.0, 2.0, 1.0]
    expected = sum(w * d for w, d in zip(weights, deltas)) / sum(weights)
    out = call(my_blend_delta, "my_blend_delta", [d.copy() for d in deltas], list(weights))
    mine = coerce(out, "the blended step", shape=expected.shape)
    if np.allclose(mine, expected):
        return report(True, f"the weighted mean of the steps: {np.round(mine, 4)}.")
    if np.allclose(mine, expected * sum(weights)):
        return report(
            False,
            "the weights are not normalised: divide by their sum (here 4), "
            "or the blend takes a step 4× too large.",
        )
    if np.allclose(mine, sum(deltas)):
        return report(
            False,
            "that is the plain sum of the steps — Article A's recipe — with the weights ignored.",
        )
    report(False, f"expected Σ (wᵢ/Σw)·Δᵢ = {np.round(expected, 4)}, got {mine}.")


@self_check
def blended_sgd_lr(answer) -> None:
    """Exercise: the single SGD learning rate equivalent to
    Blend([(0.25, SGD(lr=0.2)), (0.75, SGD(lr=0.04))])."""
    lr = coerce(answer, "equivalent_lr")
    blend = optim.Blend([(0.25, optim.SGD(lr=0.2)), (0.75, optim.SGD(lr=0.04))])
    expected = -float(blend.delta(np.zeros(1), np.ones(1))[0])  # the step for gradient 1
    if np.isclose(lr, expected):
        return report(
            True,
            f"lr = {expected:g}: a blend of plain SGDs is SGD with the weighted "
            "mean learning rate — blending only adds something when members differ.",
        )
    if np.isclose(lr, 0.24):
        return report(False, "that adds the learning rates; the weights multiply them first.")
    report(False, f"not {lr:g}: each member's step is −lrᵢ·g; weight and add them.")


@self_check
def state_floats(answer) -> None:
    """Exercise: floats of optimizer state for Blend(momentum SGD, RMSprop, Adam) on a model
    with 1000 parameters."""
    floats = coerce(answer, "floats")
    blend = optim.Blend(
        [(1, optim.SGD(lr=0.1, momentum=0.9)), (1, optim.RMSprop()), (1, optim.Adam())]
    )
    blend.step(np.zeros(1000), np.ones(1000))
    expected = blend.state_size()
    if floats == expected:
        return report(
            True,
            f"{expected}: momentum_buffer (1000) + square_avg (1000) + exp_avg "
            "and exp_avg_sq (2000) — a blend costs the sum of its members' memory.",
        )
    if floats == 3000:
        return report(False, "Adam keeps two buffers per parameter (exp_avg and exp_avg_sq).")
    report(
        False,
        f"not {floats:.10g}: count each member's buffers per parameter (section 5's table "
        "gives each one's state for a landscape's 2 parameters) and multiply by 1000.",
    )


# --- Article A's code (notebook 05, section 1, rebuilds it) -----------------------------------


def _article_a_data(n: int, seed: int) -> tuple:
    """A linear problem of Article A's shapes: X (n, 10), W (10, 1), b (1,), y (n, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 10))
    W, b = rng.normal(size=(10, 1)), rng.normal(size=1)
    y = X @ rng.normal(size=(10, 1)) + 0.5 + 0.1 * rng.normal(size=(n, 1))
    return W, b, X, y


@self_check
def article_a_methods(answer) -> None:
    """Exercise: how many of Article A's four methods change the result of its fused update?
    One: its loop *assigns* grad_W = method(...) on every pass, so only the last method's result
    survives (fact 4 of the project's notes on the sources). The notebook's own rebuild of the
    code is the one place it lives; the notebook measures this by knocking out one method at a
    time, and this check explains the answer."""
    count = coerce(answer, "methods_that_count")
    if not count.is_integer() or not 0 <= count <= 4:
        return report(
            False,
            f"methods_that_count is a count of methods: a whole number from 0 to 4, not {count:g}.",
        )
    if count == 1:
        return report(
            True,
            "1 — only the last one, (iv): the loop *assigns* grad_W = "
            "method(...) on every pass, so each result overwrites the one before and "
            "nothing is added up.",
        )
    if count == 4:
        return report(
            False,
            "the prose promises a sum, but read the loop body: is anything "
            "added to grad_W, or is it replaced?",
        )
    if count == 0:
        return report(
            False, "something survives the loop: knock out the last method and compare the updates."
        )
    report(
        False,
        f"not {count:g}: test it — replace one method at a time by "
        "`lambda W, b, X, y: 0 * W` and see which ones change the update.",
    )


def _linear_model_grads(W, b, X, y) -> tuple:
    """The real gradients of L = mean((XW + b − y)²): dW (10, 1) and db (1,)."""
    r = X @ W + b - y
    return 2 / len(y) * X.T @ r, 2 / len(y) * r.sum(axis=0)


GRADS_FUNCTION = "linear_model_grads"  # its name in notebook 05, for the messages


def _read_grads(my_grads, W, b, X, y) -> tuple:
    """What ``my_grads`` returns for one problem, as the arrays (dW, db)."""
    try:
        out = call(my_grads, GRADS_FUNCTION, W.copy(), b.copy(), X.copy(), y.copy())
    except WrongAnswer as why:
        if "broadcast" in str(why):
            raise WrongAnswer(
                f"{why} — X * W is element-wise, as in Article A's methods (ii)–(iv): with "
                f"{len(X)} rows it cannot even be computed; the prediction is X @ W."
            ) from None
        raise
    dW, db = unpack(out, GRADS_FUNCTION, ("dW", "db"))
    return coerce(dW, "dW", shape=None), coerce(db, "db", shape=None)


@self_check
def article_a_gradients(my_grads) -> None:
    """Exercise: ``my_grads(W, b, X, y) -> (dW, db)``, the gradients of the linear model's loss
    L = mean((XW + b − y)²) for X (n, 10), W (10, 1), b (1,), y (n, 1): dW of W's shape (10, 1),
    db of b's (a single number is accepted). Tried with n = 30, where X * W raises, and n = 10,
    where it silently broadcasts; the first mistake found is named."""
    for n in (30, 10):
        W, b, X, y = _article_a_data(n, seed=5)
        dW, db = _read_grads(my_grads, W, b, X, y)
        ref_dW, ref_db = _linear_model_grads(W, b, X, y)
        if dW.shape == ():
            return report(
                False,
                "dW is one number: np.sum collapsed it, as in Article A's update. dW has "
                "W's shape (10, 1), one entry per weight.",
            )
        if dW.shape == (10, n) or dW.shape == (n, n):
            return report(
                False,
                f"dW has shape {dW.shape}: X * W is element-wise; X @ W has shape (n, 1).",
            )
        if db.shape == W.shape or (
            db.size == 1 and np.isclose(float(db.ravel()[0]), float(np.sum(dW)))
        ):
            return report(
                False,
                "db looks like W's gradient again, as Article A's grad_b does: b has its "
                "own gradient, ∂L/∂b = (2/n)·Σ residuals.",
            )
        if db.size != 1:
            return report(False, f"db has shape {db.shape}; b has shape (1,): one number.")
        db = db.reshape(1)
        no_b_dW, no_b_db = _linear_model_grads(W, np.zeros(1), X, y)
        if dW.shape == ref_dW.shape and (np.allclose(dW, no_b_dW) or np.allclose(db, no_b_db)):
            return report(
                False, "the residual must include b: r = XW + b − y (b is part of the prediction)."
            )
        if np.allclose(dW, n * ref_dW) and np.allclose(db, n * ref_db):
            return report(
                False,
                f"dW and db are n = {n} times too large: the loss is a mean "
                "over the n examples, so its gradient carries the factor 1/n.",
            )
        why = compare(dW, ref_dW, "dW") or compare(db, ref_db, "db")
        if why:
            return report(False, f"with n = {n}: {why}.")
    report(
        True,
        "dW (10, 1) and db (1,) match for n = 30 and n = 10: a matrix product, b's own "
        "gradient, no collapsing sum.",
    )
