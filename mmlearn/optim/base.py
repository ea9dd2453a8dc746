"""The base of every optimizer: the ``Optimizer`` class (``delta``, ``step``, ``reset``,
``state``), how it checks parameters and gradients, and :func:`check_optimizer` for functions
that take an optimizer argument."""

from __future__ import annotations

import numpy as np

from ..validate import all_finite

BARE = "param"  # the name a bare ndarray parameter is stored under


class Optimizer:
    """Base class of every optimizer.

    A subclass implements one of two methods (the public ones below check the input first):

    - ``_update(p, g, state) -> delta`` for one parameter ``p`` with gradient ``g`` (the update
      rules of ``rules.py``; ``state`` is that parameter's own dict), or
    - ``_deltas(params, grads) -> dict of deltas`` for all parameters at once (the composites
      of ``composite.py``, which ask their members through the members' public :meth:`delta`).
    """

    def __init__(self) -> None:
        self.state: dict = {}

    def delta(self, params, grads):
        """The change this optimizer proposes for ``params`` given ``grads``, without applying
        it (its state does advance, as after a step). ``params`` and ``grads`` are dicts of
        arrays with the same keys and shapes, or two ndarrays; the result has the same form."""
        deltas = self._deltas(*_checked(params, grads))
        return deltas[BARE] if isinstance(params, np.ndarray) else deltas

    def step(self, params, grads) -> None:
        """Update ``params`` in place: ``params[name] += delta[name]``. A bad gradient in any
        parameter raises before any parameter or state changes."""
        params, grads = _checked(params, grads, writable=True)
        for name, d in self._deltas(params, grads).items():
            params[name] += d

    def reset(self) -> None:
        """Forget all state (moments, step counts), as if newly constructed."""
        self.state.clear()
        for member in self.members():
            member.reset()

    def members(self) -> list[Optimizer]:
        """The optimizers this one is built from (none for an update rule)."""
        return []

    def leaves(self) -> list[Optimizer]:
        """The optimizers that own a learning rate: ``[self]`` for an update rule, the members'
        leaves for a composite."""
        if not self.members():
            return [self]
        return [leaf for member in self.members() for leaf in member.leaves()]

    def state_size(self) -> int:
        """How many floats this optimizer stores (its memory cost), its members' included;
        step counters are not counted."""
        return _count_floats(self.state) + sum(m.state_size() for m in self.members())

    def _deltas(self, params: dict, grads: dict) -> dict:
        return {name: self._update(p, grads[name], self.state.setdefault(name, {}))
                for name, p in params.items()}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        raise NotImplementedError


def check_optimizer(opt, name: str) -> Optimizer:
    """``opt`` itself, or a TypeError naming the argument ``name`` if it is not an
    :class:`Optimizer`."""
    if not isinstance(opt, Optimizer):
        raise TypeError(f"{name} must be an mmlearn optimizer, got {type(opt).__name__}")
    return opt


def _count_floats(state: dict) -> int:
    """Floats in a state dict, nested dicts included (the ``"step"`` counters are ints)."""
    return sum(_count_floats(value) if isinstance(value, dict) else int(np.size(value))
               for key, value in state.items() if key != "step")


def _checked(params, grads, writable: bool = False) -> tuple[dict, dict]:
    """``params`` and ``grads`` (dicts of arrays, or two bare ndarrays) as two dicts, checked:
    same keys, ndarray parameters (float ones if ``writable``, to be updated in place), and
    for each a finite gradient of the same shape. The gradients come back in a new dict (a
    number converted to an array), so the caller's dict is left alone."""
    if isinstance(params, np.ndarray):
        if isinstance(grads, dict):
            raise TypeError("params is an ndarray, so grads must be one too, got a dict")
        params, grads = {BARE: params}, {BARE: grads}
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(f"params and grads must be dicts of ndarrays (or two ndarrays), got "
                        f"{type(params).__name__} and {type(grads).__name__}")
    if params.keys() != grads.keys():
        missing, extra = params.keys() - grads.keys(), grads.keys() - params.keys()
        raise ValueError(f"grads must have the same keys as params: missing {sorted(missing)}, "
                         f"unexpected {sorted(extra)}")
    return params, {name: _checked_grad(name, p, grads[name], writable)
                    for name, p in params.items()}


def _checked_grad(name: str, p, g, writable: bool) -> np.ndarray:
    """One gradient, checked against its parameter: an ndarray, or a clear error."""
    if not isinstance(p, np.ndarray):
        raise TypeError(f"params[{name!r}] must be an ndarray, got {type(p).__name__}")
    if writable and p.dtype.kind != "f":
        raise TypeError(f"params[{name!r}] must be a float array to be updated in place, "
                        f"got dtype {p.dtype}")
    try:  # e.g. the numpy scalar that 0-d arithmetic returns
        g = np.asarray(g, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"grads[{name!r}] must be an ndarray, got {type(g).__name__}") from None
    if g.shape != p.shape:
        raise ValueError(f"grads[{name!r}] has shape {g.shape}, params[{name!r}] has shape "
                         f"{p.shape}")
    if not all_finite(g):
        raise ValueError(f"grads[{name!r}] contains NaN or inf: the run has diverged or the "
                         "gradient is wrong")
    return g
