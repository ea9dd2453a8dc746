"""Self-checks of notebook 06 · neural networks from scratch: the backward pass of a linear
layer and of ReLU, and how many parameters an MLP has."""

from __future__ import annotations

import numpy as np

from .. import nn
from .common import call, coerce, compare, report, self_check, unpack


@self_check
def linear_backward(my_fn) -> None:
    """Exercise: ``my_fn(X, W, dout) -> (dW, db, dX)`` for Y = X W + b."""
    rng = np.random.default_rng(6)
    X, W, dout = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
    out = unpack(call(my_fn, "my_fn", X.copy(), W.copy(), dout.copy()), "my_fn", ("dW", "db", "dX"))
    layer = nn.Linear(3, 2)
    layer.params["W"][...] = W
    layer.forward(X)
    dX_ref = layer.backward(dout)
    refs = {"dW": layer.grads["W"], "db": layer.grads["b"], "dX": dX_ref}
    hints = {
        "dW": "dW = Xᵀ · dout, shape (fan_in, fan_out) like W",
        "db": "db sums dout over the batch (axis 0): every example adds to the same b",
        "dX": "dX = dout · Wᵀ, shape (n, fan_in) like X",
    }
    for (name, ref), mine in zip(refs.items(), out):
        why = compare(mine, ref, name, "gradient")
        if why:
            return report(False, f"{why}. Hint: {hints[name]}.")
    report(True, "dW = XᵀG, db = Σₙ G, dX = GWᵀ: all three agree with mmlearn.nn.Linear.")


@self_check
def relu_backward(my_fn) -> None:
    """Exercise: ``my_fn(X, dout) -> dX`` for ReLU(X)."""
    rng = np.random.default_rng(7)
    X, dout = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    X[0, 0] = 0.0  # torch's convention at the kink: gradient 0
    mine = coerce(call(my_fn, "my_fn", X.copy(), dout.copy()), "dX", shape=None)
    ref = dout * (X > 0)
    why = compare(mine, ref, "dX", "gradient")
    if why is None:
        return report(True, "dX = dout ⊙ [X > 0]: the gradient passes where the unit was on.")
    if mine.shape == ref.shape and np.allclose(mine, (X > 0)):
        return report(
            False, "you returned the mask [X > 0] alone: multiply it by dout (chain rule)."
        )
    if mine.shape == ref.shape and np.allclose(mine, dout * np.maximum(X, 0)):
        return report(
            False, "that is dout ⊙ ReLU(X); the derivative of ReLU is 1 or 0, not ReLU itself."
        )
    report(False, why)


@self_check
def parameter_count(my_fn) -> None:
    """Exercise: ``my_fn(sizes) -> int``, the number of learnable numbers of MLP(sizes)."""
    for sizes in ([2, 16, 2], [64, 32, 10], [64, 128, 64, 10], [3, 1]):
        mine = coerce(call(my_fn, "my_fn", list(sizes)), f"my_fn({sizes})")
        ref = nn.MLP(sizes).parameter_count()
        if mine != ref:
            weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
            hint = (
                "you counted the weights but not the biases (one per output unit)"
                if mine == weights
                else "each layer has fan_in·fan_out weights and fan_out biases"
            )
            return report(
                False, f"MLP({sizes}) has {ref} parameters, you said {mine:.10g}: {hint}."
            )
    report(True, "Σ (fan_in + 1)·fan_out, e.g. MLP([64, 32, 10]) has 2 410 parameters.")
