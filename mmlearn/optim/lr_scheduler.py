"""Applying a learning-rate schedule to an optimizer: :class:`LambdaLR` (torch's name), and
:func:`lr_schedule` for loops whose ``schedule`` argument may be ``None``.

Both are context managers that put the base learning rates back on exit, whatever happens in
the loop (divergence, an exception, ``break``)::

    with lr_schedule(optimizer, schedule) as scheduler:  # schedule(0) applied
        for step in range(steps):
            optimizer.step(params, grads)
            scheduler.step()  # schedule(step + 1) applied
    # every lr is its base lr again
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validate import function
from .base import Optimizer, check_optimizer


class LambdaLR:
    """Sets every leaf optimizer's ``lr`` to ``base_lr * schedule(step)``, like
    ``torch.optim.lr_scheduler.LambdaLR``; ``base_lr`` is each leaf's lr when the scheduler is
    made. A composite's leaves (e.g. a Blend's members) all follow the same schedule.

    The constructor applies ``schedule(0)``; each :meth:`step` advances one step;
    :meth:`restore` (or leaving a ``with`` block) puts the base learning rates back.

    >>> from mmlearn.optim import SGD
    >>> opt = SGD(lr=0.1)
    >>> with LambdaLR(opt, lambda step: 0.5**step) as scheduler:
    ...     scheduler.step()
    ...     print(opt.lr)
    0.05
    >>> opt.lr
    0.1
    """

    def __init__(self, optimizer: Optimizer, schedule: Callable[[int], float]):
        self.schedule = function(schedule, "schedule")
        self.leaves = check_optimizer(optimizer, "optimizer").leaves()
        self.base_lrs = [leaf.lr for leaf in self.leaves]
        self.last_step = 0
        self._apply()

    def _apply(self) -> None:
        factor = self.factor(self.last_step)
        for leaf, lr in zip(self.leaves, self.base_lrs):
            leaf.lr = lr * factor

    def factor(self, step: int) -> float:
        """``schedule(step)``, or an error naming the schedule and the step if it is not a
        finite number >= 0 (a multiplier of the base learning rates)."""
        factor = np.asarray(self.schedule(step))
        problem = (
            f"the schedule {getattr(self.schedule, '__qualname__', 'given')} returned "
            f"{factor.tolist()!r} for step {step}: a schedule must return a finite "
            "number >= 0 (the factor multiplying the base learning rate)"
        )
        if factor.shape != () or factor.dtype.kind not in "iuf":
            raise TypeError(problem)
        if not (np.isfinite(factor) and factor >= 0):
            raise ValueError(problem)
        return float(factor)

    def step(self) -> None:
        """Advance one step: ``lr = base_lr * schedule(last_step + 1)``."""
        self.last_step += 1
        self._apply()

    def restore(self) -> None:
        """Put every leaf's base learning rate back."""
        for leaf, lr in zip(self.leaves, self.base_lrs):
            leaf.lr = lr

    def __enter__(self) -> LambdaLR:
        return self

    def __exit__(self, *exc_info) -> None:
        self.restore()


def lr_schedule(optimizer: Optimizer, schedule: Callable[[int], float] | None) -> LambdaLR:
    """A :class:`LambdaLR` for ``schedule``; for ``schedule=None``, one whose factor is always
    1 (its ``step()`` leaves every lr as it is). For loops with a ``schedule=None`` argument:
    ``with lr_schedule(optimizer, schedule) as scheduler: ...``."""
    return LambdaLR(optimizer, _unchanged if schedule is None else schedule)


def _unchanged(step: int) -> float:
    """The factor of "no schedule": 1 at every step."""
    return 1.0
