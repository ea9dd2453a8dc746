r"""Learning-rate schedules: each factory returns ``schedule(step) -> multiplier`` of the base lr.

``step`` counts from 0 and may be an int or a numpy array of ints (for plotting a whole
schedule at once). The optimizers apply them through :class:`mmlearn.optim.LambdaLR`, which
sets ``lr = base_lr * schedule(step)`` like ``torch.optim.lr_scheduler.LambdaLR``.

======================================  ====================================================
``constant()``                          :math:`1`
``step_decay(step_size, gamma=0.1)``    :math:`\gamma^{\lfloor t / \text{step\_size} \rfloor}`
``exponential(gamma)``                  :math:`\gamma^t`
``cosine(total_steps, min_factor=0)``   :math:`m + (1 - m)\,\tfrac12(1 + \cos(\pi t/T))`, then m
``warmup_cosine(warmup_steps, total)``  linear :math:`(t+1)/W` for :math:`t < W`, then cosine
``inverse_time(decay)``                 :math:`1 / (1 + \text{decay}\cdot t)` (Robbins–Monro)
======================================  ====================================================
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .validate import in_range, int_at_least

Schedule = Callable[[int], float]


def _steps(step) -> np.ndarray:
    """``step`` (an int or an array of ints, all >= 0) as an integer array."""
    t = np.asarray(step)
    if not np.issubdtype(t.dtype, np.integer) or np.any(t < 0):
        raise ValueError(f"step must be an int (or ints) >= 0, got {step!r}")
    return t


def _out(values):
    """A float for a single step, the array for an array of steps."""
    return float(values) if np.ndim(values) == 0 else values


def constant() -> Schedule:
    """Always 1: the base learning rate throughout."""
    return lambda step: _out(np.ones(np.shape(_steps(step))))


def step_decay(step_size: int, gamma: float = 0.1) -> Schedule:
    """Multiply by ``gamma`` every ``step_size`` steps (torch's StepLR).

    >>> step_decay(10, 0.5)(np.array([0, 9, 10, 25]))
    array([1.  , 1.  , 0.5 , 0.25])
    """
    step_size = int_at_least(step_size, "step_size")
    gamma = in_range(gamma, "gamma", 0.0, 1.0, lo_open=True)
    return lambda step: _out(gamma ** (_steps(step) // step_size))


def exponential(gamma: float) -> Schedule:
    """Multiply by ``gamma`` every step (torch's ExponentialLR)."""
    gamma = in_range(gamma, "gamma", 0.0, 1.0, lo_open=True)
    return lambda step: _out(gamma ** np.asarray(_steps(step), dtype=np.float64))


def cosine(total_steps: int, min_factor: float = 0.0) -> Schedule:
    """Half a cosine from 1 at step 0 down to ``min_factor`` at ``total_steps``, flat after
    (torch's CosineAnnealingLR with ``eta_min = min_factor * lr``).

    >>> cosine(100)(np.array([0, 50, 100, 150]))
    array([1. , 0.5, 0. , 0. ])
    """
    total = int_at_least(total_steps, "total_steps")
    m = in_range(min_factor, "min_factor", 0.0, 1.0)

    def schedule(step):
        t = np.minimum(_steps(step), total)
        return _out(m + (1 - m) * 0.5 * (1 + np.cos(np.pi * t / total)))

    return schedule


def warmup_cosine(warmup_steps: int, total_steps: int, min_factor: float = 0.0) -> Schedule:
    """Linear warm-up (t+1)/W over the first W steps — so step 0 already moves — reaching 1 at
    step W−1, then a cosine from 1 (step W) to ``min_factor`` (step ``total_steps``).

    >>> warmup_cosine(4, 12)(np.array([0, 3, 4, 8, 12]))
    array([0.25, 1.  , 1.  , 0.5 , 0.  ])
    """
    warmup = int_at_least(warmup_steps, "warmup_steps")
    total = int_at_least(total_steps, "total_steps", warmup + 1)
    decay = cosine(total - warmup, min_factor)

    def schedule(step):
        t = _steps(step)
        return _out(np.where(t < warmup, (t + 1) / warmup, decay(np.maximum(t - warmup, 0))))

    return schedule


def inverse_time(decay: float) -> Schedule:
    """1 / (1 + decay·t): decays slowly enough that SGD's steps sum to infinity while their
    squares stay finite — the Robbins–Monro conditions for SGD to converge.

    >>> inverse_time(0.5)(np.array([0, 2, 6]))
    array([1.  , 0.5 , 0.25])
    """
    decay = in_range(decay, "decay")
    return lambda step: _out(1.0 / (1.0 + decay * _steps(step)))
