"""Self-checks of notebook 05 · blending optimizers: a blend's step, a blend of plain SGDs, and
the memory a blend costs."""

from __future__ import annotations

import numpy as np

from .. import optim
from .common import call, coerce, report, self_check


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
        return report(False, "the weights are not normalised: divide by their sum (here 4), "
                      "or the blend takes a step 4× too large.")
    if np.allclose(mine, sum(deltas)):
        return report(False, "that is the plain sum of the steps — the article's recipe — "
                      "with the weights ignored.")
    report(False, f"expected Σ (wᵢ/Σw)·Δᵢ = {np.round(expected, 4)}, got {mine}.")


@self_check
def blended_sgd_lr(answer) -> None:
    """Exercise: the single SGD learning rate equivalent to
    Blend([(0.25, SGD(lr=0.2)), (0.75, SGD(lr=0.04))])."""
    lr = coerce(answer, "answer")
    blend = optim.Blend([(0.25, optim.SGD(lr=0.2)), (0.75, optim.SGD(lr=0.04))])
    expected = -float(blend.delta(np.zeros(1), np.ones(1))[0])  # the step for gradient 1
    if np.isclose(lr, expected):
        return report(True, f"lr = {expected:g}: a blend of plain SGDs is SGD with the weighted "
                      "mean learning rate — blending only adds something when members differ.")
    if np.isclose(lr, 0.24):
        return report(False, "that adds the learning rates; the weights multiply them first.")
    report(False, f"not {lr:g}: each member's step is −lrᵢ·g; weight and add them.")


@self_check
def state_floats(answer) -> None:
    """Exercise: floats of optimizer state for Blend(momentum SGD, RMSprop, Adam) on a model
    with 1000 parameters."""
    floats = coerce(answer, "answer")
    blend = optim.Blend([(1, optim.SGD(lr=0.1, momentum=0.9)), (1, optim.RMSprop()),
                         (1, optim.Adam())])
    blend.step(np.zeros(1000), np.ones(1000))
    expected = blend.state_size()
    if floats == expected:
        return report(True, f"{expected}: momentum_buffer (1000) + square_avg (1000) + exp_avg "
                      "and exp_avg_sq (2000) — a blend costs the sum of its members' memory.")
    if floats == 3000:
        return report(False, "Adam keeps two buffers per parameter (exp_avg and exp_avg_sq).")
    report(False, f"not {floats:.10g}: count each member's per-parameter buffers "
           "(see their docstrings' State: lines) and multiply by 1000.")
