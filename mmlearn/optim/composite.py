"""Composites: optimizers made of optimizers (Blend, Switch, Lookahead), so they nest.

Each asks its members for their proposed changes through the members' public
:meth:`~mmlearn.optim.Optimizer.delta`, and combines them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np  # noqa: F401  (the docstring examples use it)

from ..validate import boolean, in_range, int_at_least
from .base import Optimizer, check_optimizer


class Blend(Optimizer):
    r"""Several optimizers' steps combined into one: :math:`\Delta = \sum_i w_i \Delta_i`.

    Every member sees the same gradient, keeps its own state and proposes its own step
    :math:`\Delta_i`; the blend takes the weighted sum of those *steps*. (Summing the members'
    outputs as if they were gradients, and then applying yet another learning rate, is the
    mistake this class exists to avoid.) Weights must be >= 0; ``normalize=True`` divides them
    by their sum, so the blend is a convex combination.

    >>> from mmlearn.optim import SGD
    >>> blend = Blend([(0.5, SGD(lr=0.1)), (0.5, SGD(lr=0.3))])
    >>> blend.delta(np.array([0.0]), np.array([1.0]))  # the step of SGD(lr=0.2)
    array([-0.2])
    """

    def __init__(self, members, normalize: bool = False):
        super().__init__()
        if isinstance(members, (Optimizer, str, dict)) or not isinstance(members, Iterable):
            raise TypeError(
                f"members must be a list of (weight, optimizer) pairs, e.g. "
                f"Blend([(0.5, SGD(lr=0.1)), (0.5, Adam())]), got "
                f"{type(members).__name__}"
            )
        members = list(members)
        if not members:
            raise ValueError("members must hold at least one (weight, optimizer) pair")
        weights = []
        for i, member in enumerate(members):
            if not isinstance(member, (tuple, list)) or len(member) != 2:
                raise TypeError(f"members[{i}] must be a (weight, optimizer) pair, got {member!r}")
            weights.append(in_range(member[0], f"the weight of members[{i}]"))
            check_optimizer(member[1], f"the optimizer of members[{i}]")
        if sum(weights) == 0:
            raise ValueError("at least one weight must be > 0 (the weights of members are all 0)")
        total = sum(weights) if boolean(normalize, "normalize") else 1.0
        self.weights = [w / total for w in weights]
        self.optimizers = check_distinct([opt for _, opt in members], "members")

    def _deltas(self, params, grads):
        steps = [
            (weight, opt.delta(params, grads)) for weight, opt in zip(self.weights, self.optimizers)
        ]
        return {name: sum(weight * deltas[name] for weight, deltas in steps) for name in params}

    def members(self) -> list[Optimizer]:
        return self.optimizers

    def __repr__(self) -> str:
        inner = ", ".join(f"({w:g}, {opt!r})" for w, opt in zip(self.weights, self.optimizers))
        return f"Blend([{inner}])"


class Switch(Optimizer):
    """``first`` for the first ``at_step`` steps, then ``second`` (e.g. Adam, then SGD).

    The second optimizer starts with fresh state at the switch. ``state["step"]`` counts steps.
    """

    def __init__(self, first: Optimizer, second: Optimizer, at_step: int):
        super().__init__()
        self.first = check_optimizer(first, "first")
        self.second = check_optimizer(second, "second")
        check_distinct([first, second], "first and second")
        self.at_step = int_at_least(at_step, "at_step", 0)

    def _deltas(self, params, grads):
        self.state["step"] = self.state.get("step", 0) + 1
        current = self.first if self.state["step"] <= self.at_step else self.second
        return current.delta(params, grads)

    def members(self) -> list[Optimizer]:
        return [self.first, self.second]

    def __repr__(self) -> str:
        return f"Switch({self.first!r}, {self.second!r}, at_step={self.at_step})"


class Lookahead(Optimizer):
    r"""Lookahead (Zhang, Lucas, Hinton & Ba 2019): k fast steps, then pull back.

    The ``inner`` optimizer moves the *fast* weights :math:`\theta`; every ``k`` steps the
    *slow* weights move part of the way towards them and the fast weights restart there:

    .. math:: \phi \leftarrow \phi + \alpha(\theta - \phi), \qquad \theta \leftarrow \phi

    The slow weights start as the parameters at the first step; they are part of the state
    (one float per parameter float, on top of the inner optimizer's). State: ``step``,
    ``slow``.
    """

    def __init__(self, inner: Optimizer, k: int = 5, alpha: float = 0.5):
        super().__init__()
        self.inner = check_optimizer(inner, "inner")
        self.k = int_at_least(k, "k")
        self.alpha = in_range(alpha, "alpha", 0.0, 1.0)

    def _deltas(self, params, grads):
        if not self.state:
            self.state.update(step=0, slow={name: p.copy() for name, p in params.items()})
        deltas = self.inner.delta(params, grads)
        self.state["step"] += 1
        if self.state["step"] % self.k == 0:
            slow = self.state["slow"]
            for name in slow:
                fast = params[name] + deltas[name]
                slow[name] = slow[name] + self.alpha * (fast - slow[name])
                deltas[name] = slow[name] - params[name]  # the fast weights restart at φ
        return deltas

    def members(self) -> list[Optimizer]:
        return [self.inner]

    def __repr__(self) -> str:
        return f"Lookahead({self.inner!r}, k={self.k}, alpha={self.alpha:g})"


def check_distinct(optimizers: list[Optimizer], name: str) -> list[Optimizer]:
    """``optimizers`` if no optimizer object appears twice among them and their members, at any
    depth: one object used twice would advance its state twice per step (and share it)."""
    seen: list[Optimizer] = []
    pending = list(optimizers)
    while pending:
        opt = pending.pop()
        if any(opt is other for other in seen):
            raise ValueError(
                f"{name} use the same optimizer object twice ({opt!r}): each one "
                "keeps its own state, so give each place a new optimizer"
            )
        seen.append(opt)
        pending.extend(opt.members())
    return optimizers
