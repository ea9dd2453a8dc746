"""Self-checks of notebook 06 · neural networks from scratch: the backward pass of a linear
layer and of ReLU, how many parameters an MLP has, the output shape of a convolution and a
max-pool, max-pool's backward pass, and a prediction about the boundary dashboard."""

from __future__ import annotations

from functools import lru_cache

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


#: (input shape (n, c, h, w), out_channels, kernel_size, pool) cases of :func:`conv_pool_shape`:
#: notebook 06's digits, Article B's 32x32 images, a non-square image, and sizes the pool does
#: not divide (the division floors).
CONV_POOL_CASES = [
    ((5, 1, 8, 8), 8, 3, 2),
    ((2, 3, 32, 32), 32, 3, 2),
    ((1, 1, 7, 10), 4, 2, 2),
    ((3, 2, 10, 10), 1, 5, 3),
    ((4, 1, 9, 9), 2, 3, 2),
]


@self_check
def conv_pool_shape(my_fn) -> None:
    """Exercise: ``my_fn(shape, out_channels, kernel_size, pool) -> (n, o, h', w')``, the
    shape after Conv2D(c, out_channels, kernel_size) ("valid", stride 1) and MaxPool2D(pool)."""
    for shape, out_channels, k, pool in CONV_POOL_CASES:
        mine = coerce(
            call(my_fn, "my_fn", tuple(shape), out_channels, k, pool),
            "my_fn's result (n, channels, height, width)",
            shape=(4,),
        )
        n, c, h, w = shape
        conv = ((h - k + 1), (w - k + 1))
        ref = (n, out_channels, conv[0] // pool, conv[1] // pool)
        if tuple(mine) == ref:
            continue
        got = "(" + ", ".join(f"{x:g}" for x in mine) + ")"
        case = f"for X of shape {shape}, Conv2D(.., {out_channels}, {k}), MaxPool2D({pool})"
        if tuple(mine) == (n, out_channels, (h - k) // pool, (w - k) // pool):
            hint = "a 'valid' convolution gives h − k + 1 rows, not h − k (count the positions)"
        elif tuple(mine) == (n, c, *ref[2:]):
            hint = "the output has one channel per filter: out_channels, not the input's c"
        elif tuple(mine[2:]) == conv:
            hint = "that is the shape after the convolution; the max-pool divides h and w by pool"
        elif tuple(mine[2:]) == (-(-conv[0] // pool), -(-conv[1] // pool)):
            hint = "the pool's division floors (rows left over belong to no window): use //"
        else:
            hint = "convolution: h − k + 1; then max-pool: (h − k + 1) // pool"
        return report(False, f"{case} expected {ref}, got {got}: {hint}.")
    report(True, "conv: h − k + 1 (and o channels), then pool: // pool — e.g. 8 → 6 → 3.")


@self_check
def maxpool_backward(my_fn) -> None:
    """Exercise: ``my_fn(X (n, c, h, w), dout (n, c, h // s, w // s), size) -> dX``, max-pool's
    backward pass."""
    rng = np.random.default_rng(10)
    size = 2
    X = 0.1 * rng.permutation(2 * 2 * 5 * 4).reshape(2, 2, 5, 4) - 1.0  # no ties, 5 % 2 != 0
    dout = rng.normal(size=(2, 2, 2, 2))
    mine = coerce(call(my_fn, "my_fn", X.copy(), dout.copy(), size), "dX", shape=None)
    pool = nn.MaxPool2D(size)
    pool.forward(X)
    ref = pool.backward(dout)
    why = compare(mine, ref, "dX", "gradient")
    if why is None:
        return report(
            True,
            "each window's gradient goes to its maximum, every other input gets 0 "
            "(and a row no window covers gets 0).",
        )
    if mine.shape != ref.shape:
        return report(False, f"{why}: dX has the shape of X, one number per input pixel.")
    spread = np.kron(dout, np.ones((size, size)))  # dout copied to every position
    padded = np.zeros_like(ref)
    padded[:, :, :4, :4] = spread
    if np.allclose(mine, padded / size**2):
        return report(
            False,
            "you spread dout evenly over the window: that is average pooling's backward. "
            "The max depends only on the winner: all of dout goes there.",
        )
    if np.allclose(mine, padded):
        return report(
            False,
            "you copied dout to every position of the window: only the maximum "
            "moved the output, so only it gets the gradient (the others get 0).",
        )
    report(False, f"{why}. Hint: in each window, dX = dout at the argmax, 0 elsewhere.")


#: The widths :func:`boundary_width` tries, and the training accuracy they must reach.
WIDTHS, TARGET_ACCURACY = tuple(range(1, 17)), 0.95


@lru_cache(maxsize=1)
def smallest_spirals_width() -> tuple[int, tuple[float, ...]]:
    """The smallest hidden width in :data:`WIDTHS` for which the boundary dashboard's defaults
    (spirals, Adam, lr 0.03, 75 epochs, seed 0) reach :data:`TARGET_ACCURACY` training
    accuracy, and the accuracy every width reaches."""
    # The dashboard's own training, so the numbers are the ones its slider shows; imported here
    # so that `import mmlearn` does not load matplotlib.
    from ..widgets.boundary import compute_boundary

    accuracies = tuple(
        float(compute_boundary("spirals", hidden).history.metrics["train_accuracy"][-1])
        for hidden in WIDTHS
    )
    width = next((w for w, acc in zip(WIDTHS, accuracies) if acc >= TARGET_ACCURACY), WIDTHS[-1])
    return width, accuracies


@self_check
def boundary_width(prediction) -> None:
    """Predict-then-check: ``prediction`` = the smallest hidden width (1–16) for which the
    dashboard's network reaches training accuracy 0.95 on the spirals (Adam, lr 0.03)."""
    mine = coerce(prediction, "prediction")
    width, accuracies = smallest_spirals_width()
    table = ", ".join(f"{w}: {acc:.2f}" for w, acc in zip(WIDTHS[: width + 2], accuracies))
    close = abs(mine - width) <= 2
    report(
        close,
        f"you predicted {mine:g}, measured {width} (accuracy by width — {table}). "
        + (
            "Close: a few units are enough to wind the boundary between the spiral arms."
            if close
            else "Move the dashboard's width slider around it and watch the boundary."
        ),
    )
