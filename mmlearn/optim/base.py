"""The base of every optimizer: how parameters and gradients are checked, and the
``Optimizer``/``_Rule`` classes the update rules and composites build on."""

from __future__ import annotations

import math

import numpy as np

from .._validate import in_range


def _check_steps(steps: int) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an int, got {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return int(steps)


BARE = "param"  # the name a bare ndarray parameter is stored under


def _all_finite(g: np.ndarray) -> bool:
    """True when ``g`` has no NaN/inf. A dot product is non-finite whenever an element is, and
    costs one fast call; only then (or on overflow of huge values) do we check element-wise.
    (``np.vdot`` never warns on overflow, so no ``np.errstate`` is needed: it would cost more
    than the check.)"""
    return math.isfinite(np.vdot(g, g)) or bool(np.isfinite(g).all())


# The update rules below are written out of place (``buf = buf * m + g``, not ``buf *= m``), so
# that one rule serves both numpy arrays and plain Python floats: :func:`run` feeds each
# coordinate of a 2-D point as a float, where one arithmetic operation costs tens of
# nanoseconds instead of the microsecond numpy spends on any call. The arithmetic, and so the
# agreement with torch, is the same either way. Products put the array first (``g * lr``, not
# ``lr * g``): Python's float tries ``lr * g`` first and gives up before numpy takes over, which
# costs ~0.7 µs per product on small arrays; ``a * b == b * a`` exactly in floating point.

def _zeros(p):
    return 0.0 if isinstance(p, float) else np.zeros_like(p)


def _copy(x):
    return x if isinstance(x, float) else np.array(x)


def _sqrt(x):
    if isinstance(x, float):  # like np.sqrt: NaN below zero (a rounding error), never an error
        return math.sqrt(x) if x >= 0 else math.nan
    return np.sqrt(x)


def _maximum(a, b):
    return max(a, b) if isinstance(a, float) else np.maximum(a, b)


def _as_dicts(params, grads, writable: bool = False) -> tuple[dict, dict]:
    """Validate ``params``/``grads`` (dicts of arrays, or two bare arrays) and return dicts."""
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
    for name, p in params.items():
        g = grads[name]
        if not _usual_case(p, g, writable):
            # raise a clear error, or convert g (e.g. a numpy scalar) into a copy of the dict:
            # the caller's dict is left alone
            grads = {**grads, name: _checked_grad(name, p, g, writable)}
    return params, grads


def _usual_case(p, g, writable: bool) -> bool:
    """The test every valid gradient passes in one go (a step's fast path). Its finiteness
    test is :func:`_all_finite`'s dot product alone: a huge-but-finite gradient whose dot
    overflows takes the slow path, whose exact check lets it through."""
    return (isinstance(g, np.ndarray) and isinstance(p, np.ndarray) and g.shape == p.shape
            and (p.dtype.kind == "f" or not writable) and math.isfinite(np.vdot(g, g)))


def _checked_grad(name: str, p, g, writable: bool) -> np.ndarray:
    """One gradient, validated against its parameter (types, shape, NaN/inf): returned as an
    ndarray, or a clear error naming what is wrong."""
    if not isinstance(p, np.ndarray):
        raise TypeError(f"params[{name!r}] must be an ndarray, got {type(p).__name__}")
    if writable and p.dtype.kind != "f":
        raise TypeError(f"params[{name!r}] must be a float array to be updated in place, "
                        f"got dtype {p.dtype}")
    if not isinstance(g, np.ndarray):  # e.g. the numpy scalar that 0-d arithmetic returns
        try:
            g = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"grads[{name!r}] must be an ndarray, got "
                            f"{type(g).__name__}") from None
    if g.shape != p.shape:
        raise ValueError(f"grads[{name!r}] has shape {g.shape}, params[{name!r}] has shape "
                         f"{p.shape}")
    if not _all_finite(g):
        raise ValueError(f"grads[{name!r}] contains NaN or inf: the run has diverged or the "
                         "gradient is wrong")
    return g


# --- the base class ----------------------------------------------------------------------------

class Optimizer:
    """Base class. Subclasses implement ``_update(p, g, state) -> delta`` for one parameter
    (leaf optimizers) or ``_deltas(params, grads)`` for all of them (composites)."""

    def __init__(self) -> None:
        self.state: dict = {}

    def delta(self, params, grads):
        """The change this optimizer proposes for ``params`` given ``grads``; advances state."""
        bare = isinstance(params, np.ndarray)
        params, grads = _as_dicts(params, grads)
        deltas = self._deltas(params, grads)
        return deltas[BARE] if bare else deltas

    def step(self, params, grads) -> None:
        """Update ``params`` in place: ``params[name] += delta[name]``."""
        params, grads = _as_dicts(params, grads, writable=True)
        for name, d in self._deltas(params, grads).items():
            params[name] += d

    def reset(self) -> None:
        """Forget all state (moments, step counts), as if newly constructed."""
        self.state.clear()

    def leaves(self) -> list[Optimizer]:
        """The optimizers that own a learning rate (self, or a composite's members)."""
        return [self]

    def state_size(self) -> int:
        """How many floats this optimizer stores (its memory cost), summed over leaves."""
        return sum(int(np.size(v)) for leaf in self.leaves() for st in leaf.state.values()
                   for k, v in st.items() if k != "step")

    def _deltas(self, params: dict, grads: dict) -> dict:
        return {name: self._update(p, grads[name], self.state.setdefault(name, {}))
                for name, p in params.items()}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        raise NotImplementedError


class _Rule(Optimizer):
    """A leaf optimizer: owns ``lr``, ``weight_decay`` and ``maximize`` (torch semantics)."""

    def __init__(self, lr: float, weight_decay: float, maximize: bool) -> None:
        super().__init__()
        self.lr = lr
        self.initial_lr = self.lr
        self.weight_decay = in_range(weight_decay, "weight_decay")
        if not isinstance(maximize, bool):
            raise TypeError(f"maximize must be a bool, got {type(maximize).__name__}")
        self.maximize = maximize

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = in_range(value, "lr")

    def step(self, params, grads) -> None:
        """Update ``params`` in place, as :meth:`Optimizer.step` does, but without first
        collecting the deltas in a dict: a leaf's parameters do not depend on each other."""
        params, grads = _as_dicts(params, grads, writable=True)
        for name, p in params.items():
            p += self._update(p, grads[name], self.state.setdefault(name, {}))

    def _grad(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """torch's first two lines: negate for ``maximize``, add L2 ``weight_decay * p``."""
        if self.maximize:
            g = -g
        if self.weight_decay != 0:
            g = g + p * self.weight_decay
        return g

    def __repr__(self) -> str:
        skip = {"state", "_lr", "initial_lr"}
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in skip)
        return f"{type(self).__name__}(lr={self.lr!r}, {args})"


def _check_optimizer(opt, name: str) -> Optimizer:
    if not isinstance(opt, Optimizer):
        raise TypeError(f"{name} must be an mmlearn optimizer, got {type(opt).__name__}")
    return opt
