r"""Training loops: mini-batches and the descent that follows their gradients.

Full-batch, stochastic and mini-batch gradient descent differ only in how many examples each
step averages over, the batch :math:`B`:

.. math:: \theta \leftarrow \theta - \mathrm{lr}\;\frac{1}{|B|}\sum_{i\in B} \nabla \ell_i(\theta)

:math:`|B| = n` is batch gradient descent, :math:`|B| = 1` is SGD. Each *epoch* shuffles the
examples and visits every one once, in :math:`\lceil n/|B| \rceil` steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .optim import LambdaLR, Optimizer, Trajectory


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def iterate_minibatches(n: int, batch_size: int, rng: np.random.Generator,
                        shuffle: bool = True) -> Iterator[np.ndarray]:
    """One epoch of index arrays: a permutation of ``range(n)`` (drawn from ``rng``) cut into
    batches of ``batch_size``; the last batch is shorter when ``batch_size`` does not divide n.

    >>> [b.tolist() for b in iterate_minibatches(5, 2, np.random.default_rng(0), shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    n, batch_size = _positive_int(n, "n"), _positive_int(batch_size, "batch_size")
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


@dataclass(frozen=True)
class MinibatchTrajectory(Trajectory):
    """A :class:`~mmlearn.optim.Trajectory` of parameters (k+1, d) with the *full-data* loss
    at each point and ``examples`` (k+1,): how many examples' gradients were computed so far."""

    examples: np.ndarray


def minibatch_descent(loss_and_grad: Callable[[np.ndarray, np.ndarray | None], tuple],
                      n: int, theta0, optimizer: Optimizer, batch_size: int, epochs: int,
                      seed: int = 0, schedule: Callable[[int], float] | None = None,
                      bound: float = 1e6) -> MinibatchTrajectory:
    """Follow mini-batch gradients of ``loss_and_grad(theta, idx) -> (loss, grad)`` (``idx``:
    the examples of the batch, or ``None`` for all n) for ``epochs`` epochs.

    Records the full-data loss after every step. Stops early, without a warning, when the
    parameters stop being finite or leave ``[-bound, bound]``. A ``schedule`` multiplies the
    learning rate per step (restored afterwards).
    """
    epochs = _positive_int(epochs, "epochs")
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=np.float64)
    params = {"theta": theta}
    thetas, full_losses, examples = [theta.copy()], [loss_and_grad(theta, None)[0]], [0]
    scheduler = LambdaLR(optimizer, schedule) if schedule is not None else None
    diverged_at = None
    try:
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                for idx in iterate_minibatches(n, batch_size, rng):
                    # _deltas skips step()'s input checks: a NaN or inf gradient makes theta
                    # non-finite, which the bound check below reports as divergence.
                    theta += optimizer._deltas(params, {"theta": loss_and_grad(theta, idx)[1]})[
                        "theta"]
                    thetas.append(theta.copy())
                    full_losses.append(loss_and_grad(theta, None)[0])
                    examples.append(examples[-1] + len(idx))
                    if not np.max(np.abs(theta)) <= bound:  # also catches NaN
                        diverged_at = len(thetas) - 1
                        break
                    if scheduler is not None:
                        scheduler.step()
                if diverged_at is not None:
                    break
    finally:
        if scheduler is not None:
            scheduler.restore()
    return MinibatchTrajectory(np.array(thetas), np.array(full_losses), diverged_at,
                               np.array(examples))
