"""The base of every optimizer: the ``Optimizer`` class (``delta``, ``step``, ``reset``,
``state``), how it checks parameters and gradients, and :func:`check_optimizer` for functions
that take an optimizer argument.

**State belongs to parameters.** An optimizer's state (moments, step counts) is kept per
parameter name, and it is only meaningful for the parameters it was built on. So an optimizer
remembers them (``bound``: name -> the array it last saw) and every call checks, before
anything changes, that it is given the same parameters again: the same names and shapes, and
for :meth:`~Optimizer.step`, which updates arrays in place, the very same arrays. Anything else
(another model, a model of another size, a new parameter) raises "this optimizer was used with
other parameters — call reset()". A step is all-or-nothing: every parameter, gradient and
binding is checked first, so an error leaves the parameters and the state as they were.
"""

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
        self.bound: dict[str, np.ndarray] = {}  # the parameters the state belongs to

    def delta(self, params, grads):
        """The change this optimizer proposes for ``params`` given ``grads``, without applying
        it (its state does advance, as after a step). ``params`` and ``grads`` are dicts of
        arrays with the same keys and shapes, or two ndarrays; the result has the same form.
        ``params`` may be new arrays at every call (``x = x + opt.delta(x, g)``), but with the
        names and shapes of the first call."""
        checked_params, grads = _checked(params, grads)
        self.check_bound(checked_params, same_arrays=False)
        self.bound = dict(checked_params)
        deltas = self._deltas(checked_params, grads)
        return deltas[BARE] if isinstance(params, np.ndarray) else deltas

    def step(self, params, grads) -> None:
        """Update ``params`` in place: ``params[name] += delta[name]``. Everything is checked
        first — every gradient, and that ``params`` are the arrays this optimizer stepped
        before (see :meth:`check_bound`) — so an error changes no parameter and no state."""
        params, grads = _checked(params, grads, writable=True)
        self.check_bound(params, same_arrays=True)
        self.bound = dict(params)
        for name, d in self._deltas(params, grads).items():
            params[name] += d

    def check_bound(self, params: dict, same_arrays: bool) -> None:
        """A ValueError, naming the parameter, unless this optimizer and its members have no
        state yet or were used with these ``params``: the same names and shapes, and (if
        ``same_arrays``, for a step in place) the same array objects."""
        if self.bound:
            _check_same_parameters(self, self.bound, params, same_arrays)
        for member in self.members():
            member.check_bound(params, same_arrays)

    def reset(self) -> None:
        """Forget all state (moments, step counts) and the parameters it belonged to, as if
        newly constructed; the hyper-parameters (``lr``, ...) stay."""
        self.state.clear()
        self.bound = {}
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
        return {
            name: self._update(p, grads[name], self.state.setdefault(name, {}))
            for name, p in params.items()
        }

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        raise NotImplementedError


def check_optimizer(opt, name: str) -> Optimizer:
    """``opt`` itself, or a TypeError naming the argument ``name`` if it is not an
    :class:`Optimizer`."""
    if not isinstance(opt, Optimizer):
        raise TypeError(f"{name} must be an mmlearn optimizer, got {type(opt).__name__}")
    return opt


def _check_same_parameters(opt: Optimizer, bound: dict, params: dict, same_arrays: bool) -> None:
    """The check behind :meth:`Optimizer.check_bound`, for one optimizer: names, then shapes,
    then (``same_arrays``) identity; the first difference is named."""
    new, missing = sorted(params.keys() - bound.keys()), sorted(bound.keys() - params.keys())
    reshaped = [
        name
        for name in sorted(params.keys() & bound.keys())
        if params[name].shape != bound[name].shape
    ]
    replaced = [
        name
        for name in sorted(params.keys() & bound.keys())
        if same_arrays and params[name] is not bound[name]
    ]
    if new or missing:
        problem = "; ".join(
            [f"params[{name!r}] is new" for name in new]
            + [f"params has no {name!r}" for name in missing]
        )
    elif reshaped:
        name = reshaped[0]
        problem = f"params[{name!r}] has shape {params[name].shape}, not {bound[name].shape}"
    elif replaced:
        problem = f"params[{replaced[0]!r}] is another array than the one it stepped before"
    else:
        return
    raise ValueError(
        f"{problem}: this {type(opt).__name__} was used with other parameters — "
        "call reset() to start afresh on these (or use a new optimizer)"
    )


def _count_floats(state: dict) -> int:
    """Floats in a state dict, nested dicts included (the ``"step"`` counters are ints)."""
    return sum(
        _count_floats(value) if isinstance(value, dict) else int(np.size(value))
        for key, value in state.items()
        if key != "step"
    )


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
        raise TypeError(
            f"params and grads must be dicts of ndarrays (or two ndarrays), got "
            f"{type(params).__name__} and {type(grads).__name__}"
        )
    if params.keys() != grads.keys():
        missing, extra = params.keys() - grads.keys(), grads.keys() - params.keys()
        raise ValueError(
            f"grads must have the same keys as params: missing {sorted(missing)}, "
            f"unexpected {sorted(extra)}"
        )
    return params, {
        name: _checked_grad(name, p, grads[name], writable) for name, p in params.items()
    }


def _checked_grad(name: str, p, g, writable: bool) -> np.ndarray:
    """One gradient, checked against its parameter: an ndarray, or a clear error."""
    if not isinstance(p, np.ndarray):
        raise TypeError(f"params[{name!r}] must be an ndarray, got {type(p).__name__}")
    if writable and p.dtype.kind != "f":
        raise TypeError(
            f"params[{name!r}] must be a float array to be updated in place, got dtype {p.dtype}"
        )
    if writable and not p.flags.writeable:
        raise ValueError(f"params[{name!r}] is read-only, so it cannot be updated in place")
    if g is None or np.iscomplexobj(g):
        raise TypeError(
            f"grads[{name!r}] must be real numbers (an ndarray of floats), got "
            f"{'None' if g is None else 'complex numbers'}"
        )
    try:  # e.g. the numpy scalar that 0-d arithmetic returns
        g = np.asarray(g, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"grads[{name!r}] must be an ndarray, got {type(g).__name__}") from None
    if g.shape != p.shape:
        raise ValueError(
            f"grads[{name!r}] has shape {g.shape}, params[{name!r}] has shape {p.shape}"
        )
    if not all_finite(g):
        raise ValueError(
            f"grads[{name!r}] contains NaN or inf: the run has diverged or the gradient is wrong"
        )
    return g
