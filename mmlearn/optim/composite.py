"""Composites: optimizers made of optimizers (Blend, Switch, Lookahead), so they nest."""

from __future__ import annotations

import numpy as np  # noqa: F401  (the docstring examples use it)

from .._validate import in_range
from .base import Optimizer, _check_optimizer, _check_steps, _copy


class Blend(Optimizer):
    r"""Several optimizers' steps combined into one: :math:`\Delta = \sum_i w_i \Delta_i`.

    Every member sees the same gradient, keeps its own state and proposes its own step
    :math:`\Delta_i`; the blend takes the weighted sum of those *steps*. (Summing the members'
    outputs as if they were gradients, and then applying yet another learning rate, is the
    mistake this class exists to avoid.) Weights must be >= 0; ``normalize=True`` divides them
    by their sum, so the blend is a convex combination.

    >>> from mmlearn.optim import SGD
    >>> blend = Blend([(0.5, SGD(lr=0.1)), (0.5, SGD(lr=0.3))])
    >>> blend.delta(np.array([0.0]), np.array([1.0]))   # the step of SGD(lr=0.2)
    array([-0.2])
    """

    def __init__(self, members, normalize: bool = False):
        super().__init__()
        members = list(members)
        if not members:
            raise ValueError("members must hold at least one (weight, optimizer) pair")
        weights = []
        for i, member in enumerate(members):
            if not isinstance(member, (tuple, list)) or len(member) != 2:
                raise TypeError(f"members[{i}] must be a (weight, optimizer) pair, got {member!r}")
            weights.append(in_range(member[0], f"the weight of members[{i}]"))
            _check_optimizer(member[1], f"the optimizer of members[{i}]")
        if sum(weights) == 0:
            raise ValueError("at least one weight must be > 0")
        total = sum(weights) if normalize else 1.0
        self.weights = [w / total for w in weights]
        self.optimizers = [opt for _, opt in members]

    def _deltas(self, params, grads):
        steps = [(weight, opt._deltas(params, grads))
                 for weight, opt in zip(self.weights, self.optimizers)]
        (weight, first), rest = steps[0], steps[1:]
        blended = {name: d * weight for name, d in first.items()}  # a new array per name
        for weight, deltas in rest:
            for name, d in deltas.items():
                blended[name] += d * weight
        return blended

    def reset(self) -> None:
        for opt in self.optimizers:
            opt.reset()

    def leaves(self) -> list[Optimizer]:
        return [leaf for opt in self.optimizers for leaf in opt.leaves()]

    def __repr__(self) -> str:
        inner = ", ".join(f"({w:g}, {opt!r})" for w, opt in zip(self.weights, self.optimizers))
        return f"Blend([{inner}])"


class Switch(Optimizer):
    """``first`` for the first ``at_step`` steps, then ``second`` (e.g. Adam, then SGD).

    The second optimizer starts with fresh state at the switch. ``state["step"]`` counts steps.
    """

    def __init__(self, first: Optimizer, second: Optimizer, at_step: int):
        super().__init__()
        self.first = _check_optimizer(first, "first")
        self.second = _check_optimizer(second, "second")
        self.at_step = _check_steps(at_step)

    def _deltas(self, params, grads):
        self.state["step"] = self.state.get("step", 0) + 1
        current = self.first if self.state["step"] <= self.at_step else self.second
        return current._deltas(params, grads)

    def reset(self) -> None:
        super().reset()
        self.first.reset()
        self.second.reset()

    def leaves(self) -> list[Optimizer]:
        return self.first.leaves() + self.second.leaves()

    def __repr__(self) -> str:
        return f"Switch({self.first!r}, {self.second!r}, at_step={self.at_step})"


class Lookahead(Optimizer):
    r"""Lookahead (Zhang, Lucas, Hinton & Ba 2019): k fast steps, then pull back.

    The ``inner`` optimizer moves the *fast* weights :math:`\theta`; every ``k`` steps the
    *slow* weights move part of the way towards them and the fast weights restart there:

    .. math:: \phi \leftarrow \phi + \alpha(\theta - \phi), \qquad \theta \leftarrow \phi

    The slow weights start as the parameters at the first step. State: ``step``, ``slow``.
    """

    def __init__(self, inner: Optimizer, k: int = 5, alpha: float = 0.5):
        super().__init__()
        self.inner = _check_optimizer(inner, "inner")
        self.k = _check_steps(k)
        if self.k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        self.alpha = in_range(alpha, "alpha", 0.0, 1.0)

    def _deltas(self, params, grads):
        if not self.state:
            self.state.update(step=0, slow={name: _copy(p) for name, p in params.items()})
        deltas = self.inner._deltas(params, grads)
        self.state["step"] += 1
        if self.state["step"] % self.k == 0:
            slow = self.state["slow"]
            for name in slow:
                fast = params[name] + deltas[name]
                slow[name] = slow[name] + (fast - slow[name]) * self.alpha
                deltas[name] = slow[name] - params[name]
        return deltas

    def reset(self) -> None:
        super().reset()
        self.inner.reset()

    def leaves(self) -> list[Optimizer]:
        return self.inner.leaves()

    def __repr__(self) -> str:
        return f"Lookahead({self.inner!r}, k={self.k}, alpha={self.alpha:g})"
