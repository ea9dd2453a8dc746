r"""Optimizers: from plain gradient descent to adaptive methods and their blends.

**Gradient descent in one variable** is the first lesson (notebook 00):
:math:`x_{k+1} = x_k - \mathrm{lr}\, f'(x_k)`. On :math:`f(x) = a x^2 / 2` every step multiplies
:math:`x` by :math:`r = 1 - \mathrm{lr}\,a`, so :math:`x_k = r^k x_0`: see :func:`gd_1d` and
:func:`quadratic_regime`.

**The optimizers** :class:`SGD`, :class:`Adagrad`, :class:`RMSprop`, :class:`Adam` and
:class:`AdamW` follow ``torch.optim`` exactly — hyper-parameter names, defaults and the order of
operations of its single-tensor code path — so what a student learns here carries over to
PyTorch. Parameters and gradients are ``dict[str, ndarray]`` (a bare ndarray is one parameter,
stored under the name ``"param"``). Every optimizer has

- ``delta(params, grads) -> dict``: the change it proposes (and it advances its state);
- ``step(params, grads)``: adds that change to ``params`` in place;
- ``reset()``; ``state`` (per-parameter buffers, torch's names: ``opt.state["w"]["exp_avg"]``);
- hyper-parameters as attributes; ``opt.lr`` may be changed between steps (see :class:`LambdaLR`).

**Composites** are optimizers built from optimizers, so they nest: :class:`Blend` (a weighted
sum of several optimizers' steps — *not* of their "gradients"), :class:`Switch` (one optimizer,
then another) and :class:`Lookahead` (Zhang et al. 2019). :func:`run` follows an optimizer on a
2-D :mod:`~mmlearn.landscapes` landscape.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validate import in_range


def _check_steps(steps: int) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an int, got {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return int(steps)


@dataclass(frozen=True)
class Path1D:
    """Iterates of a 1-D optimizer: ``xs`` shape (k+1,), ``k <= steps``.

    ``diverged_at`` is the first step whose iterate left ``[-bound, bound]`` or was not finite
    (the run stopped there, and that iterate is the last one kept), else ``None``.
    """

    xs: np.ndarray
    diverged_at: int | None


def gd_1d(grad: Callable[[float], float], x0: float, lr: float, steps: int,
          bound: float = 1e6) -> Path1D:
    r"""Plain gradient descent in one variable: :math:`x_{k+1} = x_k - \mathrm{lr}\,f'(x_k)`.

    Stops early, without a warning, at the first iterate with :math:`|x| > \text{bound}` or a
    non-finite value: that is divergence, reported in ``Path1D.diverged_at``.

    >>> gd_1d(lambda x: 2.0 * x, x0=1.0, lr=0.25, steps=3).xs
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    lr, steps = in_range(lr, "lr"), _check_steps(steps)
    xs = [float(x0)]
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            x = xs[-1] - lr * grad(xs[-1])
            xs.append(float(x))
            if not np.isfinite(x) or abs(x) > bound:
                diverged_at = k
                break
    return Path1D(np.array(xs), diverged_at)


def quadratic_regime(a: float, lr: float) -> str:
    r"""Name the behaviour of gradient descent on :math:`f(x) = a x^2/2` (curvature ``a > 0``).

    With :math:`r = 1 - \mathrm{lr}\,a` the iterates are :math:`x_k = r^k x_0`:

    - ``"monotone"`` — :math:`0 < r < 1`, i.e. :math:`\mathrm{lr} < 1/a`
    - ``"one step"`` — :math:`r = 0`, :math:`\mathrm{lr} = 1/a`: the minimum in one step
    - ``"oscillating"`` — :math:`-1 < r < 0`, :math:`1/a < \mathrm{lr} < 2/a`
    - ``"bouncing"`` — :math:`r = -1`, :math:`\mathrm{lr} = 2/a`: jumps between :math:`\pm x_0`
    - ``"diverging"`` — :math:`r < -1`, :math:`\mathrm{lr} > 2/a`
    - ``"stuck"`` — :math:`\mathrm{lr} = 0`
    """
    a, lr = float(a), in_range(lr, "lr")
    if not np.isfinite(a) or a <= 0:
        raise ValueError(f"a (the curvature) must be a finite number > 0, got {a}")
    r = 1.0 - lr * a
    if np.isclose(r, 1.0):
        return "stuck"
    if np.isclose(r, 0.0):
        return "one step"
    if np.isclose(r, -1.0):
        return "bouncing"
    if r > 0:
        return "monotone"
    return "oscillating" if r > -1 else "diverging"


# --- parameters and gradients ----------------------------------------------------------------

BARE = "param"  # the name a bare ndarray parameter is stored under


def _all_finite(g: np.ndarray) -> bool:
    """True when ``g`` has no NaN/inf. A dot product is non-finite whenever an element is, and
    costs one fast call; only then (or on overflow of huge values) do we check element-wise."""
    return math.isfinite(np.vdot(g, g)) or bool(np.isfinite(g).all())


# The update rules below are written out of place (``buf = buf * m + g``, not ``buf *= m``), so
# that one rule serves both numpy arrays and plain Python floats: :func:`run` feeds each
# coordinate of a 2-D point as a float, where one arithmetic operation costs tens of
# nanoseconds instead of the microsecond numpy spends on any call. The arithmetic, and so the
# agreement with torch, is the same either way.

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
    with np.errstate(over="ignore"):  # _all_finite's dot may overflow: it then checks exactly
        checked = {name: _checked_grad(name, p, grads[name], writable)
                   for name, p in params.items()}
    return params, checked


def _checked_grad(name: str, p, g, writable: bool) -> np.ndarray:
    """One gradient, validated against its parameter (types, shape, NaN/inf)."""
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

    def _grad(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """torch's first two lines: negate for ``maximize``, add L2 ``weight_decay * p``."""
        if self.maximize:
            g = -g
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        return g

    def __repr__(self) -> str:
        skip = {"state", "_lr", "initial_lr"}
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in skip)
        return f"{type(self).__name__}(lr={self.lr!r}, {args})"


# --- the optimizers (torch.optim's update rules) -----------------------------------------------

class SGD(_Rule):
    r"""Stochastic gradient descent with optional (Nesterov) momentum — ``torch.optim.SGD``.

    .. math::
        g &\leftarrow \nabla + \lambda\theta \\
        b &\leftarrow g \text{ (first step)}, \quad b \leftarrow \mu b + (1-\tau) g \\
        \theta &\leftarrow \theta - \mathrm{lr}\,(g + \mu b \text{ if nesterov else } b)

    (no momentum: :math:`\theta \leftarrow \theta - \mathrm{lr}\,g`). State: ``momentum_buffer``.

    >>> opt, w = SGD(lr=0.1, momentum=0.9), np.array([1.0])
    >>> opt.step(w, np.array([1.0])); opt.step(w, np.array([1.0])); w
    array([0.71])
    """

    def __init__(self, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 nesterov: bool = False, weight_decay: float = 0, maximize: bool = False):
        super().__init__(lr, weight_decay, maximize)
        self.momentum = in_range(momentum, "momentum")
        self.dampening = in_range(dampening, "dampening", 0.0, 1.0)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True requires momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def _update(self, p, g, state):
        g = self._grad(p, g)
        if self.momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:  # torch: the buffer starts as the first gradient, undamped
                buf = _copy(g)
            else:
                buf = buf * self.momentum + ((1 - self.dampening) * g if self.dampening else g)
            state["momentum_buffer"] = buf
            g = g + self.momentum * buf if self.nesterov else buf
        return -self.lr * g


class Adagrad(_Rule):
    r"""Per-coordinate steps shrinking with the accumulated squared gradient —
    ``torch.optim.Adagrad``.

    .. math::
        \mathrm{clr} = \frac{\mathrm{lr}}{1 + (t-1)\,\eta}, \quad
        s \leftarrow s + g^2, \quad
        \theta \leftarrow \theta - \mathrm{clr}\,\frac{g}{\sqrt{s} + \epsilon}

    with :math:`\eta` = ``lr_decay`` and :math:`s_0` = ``initial_accumulator_value``.
    State: ``step``, ``sum``.
    """

    def __init__(self, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10,
                 maximize: bool = False):
        super().__init__(lr, weight_decay, maximize)
        self.lr_decay = in_range(lr_decay, "lr_decay")
        self.initial_accumulator_value = in_range(initial_accumulator_value,
                                                  "initial_accumulator_value")
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)

    def _update(self, p, g, state):
        if not state:
            state.update(step=0, sum=_zeros(p) + self.initial_accumulator_value)
        state["step"] += 1
        g = self._grad(p, g)
        clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] = total = state["sum"] + g * g
        return -clr * (g / (_sqrt(total) + self.eps))


class RMSprop(_Rule):
    r"""Steps divided by a running RMS of the gradient — ``torch.optim.RMSprop``.

    .. math::
        v &\leftarrow \alpha v + (1-\alpha) g^2, \qquad
        \bar g \leftarrow \alpha \bar g + (1-\alpha) g \text{ (centered)} \\
        d &= \sqrt{v} + \epsilon \quad\text{or}\quad \sqrt{v - \bar g^2} + \epsilon
        \text{ (centered)} \\
        b &\leftarrow \mu b + g/d, \quad \theta \leftarrow \theta - \mathrm{lr}\,b
        \quad\text{(momentum; else } \theta \leftarrow \theta - \mathrm{lr}\,g/d)

    ``eps`` is added outside the square root; ``b`` starts at zero.
    State: ``step``, ``square_avg``, ``momentum_buffer``, ``grad_avg``.
    """

    def __init__(self, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 maximize: bool = False):
        super().__init__(lr, weight_decay, maximize)
        self.alpha = in_range(alpha, "alpha", 0.0, 1.0)
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)
        self.momentum = in_range(momentum, "momentum")
        self.centered = bool(centered)

    def _update(self, p, g, state):
        if not state:
            state.update(step=0, square_avg=_zeros(p))
            if self.momentum > 0:
                state["momentum_buffer"] = _zeros(p)
            if self.centered:
                state["grad_avg"] = _zeros(p)
        state["step"] += 1
        g = self._grad(p, g)
        state["square_avg"] = square_avg = (state["square_avg"] * self.alpha
                                            + (1 - self.alpha) * (g * g))
        if self.centered:
            grad_avg = state["grad_avg"]  # torch: grad_avg.lerp_(g, 1 - alpha)
            state["grad_avg"] = grad_avg = grad_avg + (1 - self.alpha) * (g - grad_avg)
            avg = _sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            avg = _sqrt(square_avg) + self.eps
        if self.momentum > 0:
            state["momentum_buffer"] = buf = state["momentum_buffer"] * self.momentum + g / avg
            return -self.lr * buf
        return -self.lr * (g / avg)


class Adam(_Rule):
    r"""Momentum on the gradient, divided by an RMS of the gradient, both bias-corrected —
    ``torch.optim.Adam``.

    .. math::
        m &\leftarrow \beta_1 m + (1-\beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2 \\
        \theta &\leftarrow \theta - \frac{\mathrm{lr}}{1-\beta_1^t}\,
        \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}

    ``eps`` is added after dividing by the bias correction; with ``amsgrad`` the running
    maximum of the (uncorrected) :math:`v` replaces :math:`v`. ``weight_decay`` here is L2
    (added to the gradient); :class:`AdamW` decouples it. State: ``step``, ``exp_avg``,
    ``exp_avg_sq``, ``max_exp_avg_sq``.
    """

    decoupled_weight_decay = False

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False,
                 maximize: bool = False):
        super().__init__(lr, weight_decay, maximize)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (in_range(betas[0], "betas[0]", 0.0, 1.0, hi_open=True),
                      in_range(betas[1], "betas[1]", 0.0, 1.0, hi_open=True))
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)
        self.amsgrad = bool(amsgrad)

    def _grad(self, p, g):
        if self.decoupled_weight_decay:  # AdamW decays the weights, not the gradient
            return -g if self.maximize else g
        return super()._grad(p, g)

    def _update(self, p, g, state):
        if not state:
            state.update(step=0, exp_avg=_zeros(p), exp_avg_sq=_zeros(p))
            if self.amsgrad:
                state["max_exp_avg_sq"] = _zeros(p)
        beta1, beta2 = self.betas
        state["step"] += 1
        t = state["step"]
        g = self._grad(p, g)
        exp_avg = state["exp_avg"]  # torch: exp_avg.lerp_(g, 1 - beta1)
        state["exp_avg"] = exp_avg = exp_avg + (1 - beta1) * (g - exp_avg)
        state["exp_avg_sq"] = exp_avg_sq = state["exp_avg_sq"] * beta2 + (1 - beta2) * (g * g)
        step_size = self.lr / (1 - beta1**t)
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        if self.amsgrad:
            state["max_exp_avg_sq"] = exp_avg_sq = _maximum(state["max_exp_avg_sq"], exp_avg_sq)
        denom = _sqrt(exp_avg_sq) / bias_correction2_sqrt + self.eps
        delta = -step_size * (exp_avg / denom)
        if self.decoupled_weight_decay and self.weight_decay != 0:
            delta = delta - self.lr * self.weight_decay * p  # torch: p *= 1 - lr*wd first
        return delta


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019) — ``torch.optim.AdamW``.

    Before the moment updates the weights shrink, :math:`\theta \leftarrow (1 - \mathrm{lr}\,
    \lambda)\,\theta`, instead of :math:`\lambda\theta` being added to the gradient, so the decay
    is not rescaled by Adam's denominator. Default ``weight_decay=1e-2``.
    """

    decoupled_weight_decay = True

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False,
                 maximize: bool = False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad, maximize)


# --- composites: optimizers made of optimizers ------------------------------------------------

def _check_optimizer(opt, name: str) -> Optimizer:
    if not isinstance(opt, Optimizer):
        raise TypeError(f"{name} must be an mmlearn optimizer, got {type(opt).__name__}")
    return opt


class Blend(Optimizer):
    r"""Several optimizers' steps combined into one: :math:`\Delta = \sum_i w_i \Delta_i`.

    Every member sees the same gradient, keeps its own state and proposes its own step
    :math:`\Delta_i`; the blend takes the weighted sum of those *steps*. (Summing the members'
    outputs as if they were gradients, and then applying yet another learning rate, is the
    mistake this class exists to avoid.) Weights must be >= 0; ``normalize=True`` divides them
    by their sum, so the blend is a convex combination.

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
        blended = {name: weight * d for name, d in first.items()}  # a new array per name
        for weight, deltas in rest:
            for name, d in deltas.items():
                blended[name] += weight * d
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
                slow[name] = slow[name] + self.alpha * (fast - slow[name])
                deltas[name] = slow[name] - params[name]
        return deltas

    def reset(self) -> None:
        super().reset()
        self.inner.reset()

    def leaves(self) -> list[Optimizer]:
        return self.inner.leaves()

    def __repr__(self) -> str:
        return f"Lookahead({self.inner!r}, k={self.k}, alpha={self.alpha:g})"


# --- learning-rate schedules and trajectories on a landscape -----------------------------------

class LambdaLR:
    """Sets every leaf optimizer's ``lr`` to ``initial_lr * schedule(step)`` (torch's LambdaLR).

    The constructor applies ``schedule(0)``; each :meth:`step` advances one step. ``restore()``
    puts the initial learning rates back.
    """

    def __init__(self, optimizer: Optimizer, schedule: Callable[[int], float]):
        self.leaves = _check_optimizer(optimizer, "optimizer").leaves()
        self.base_lrs = [leaf.lr for leaf in self.leaves]
        self.schedule = schedule
        self.last_step = 0
        self._apply()

    def _apply(self) -> None:
        factor = float(self.schedule(self.last_step))
        for leaf, lr in zip(self.leaves, self.base_lrs):
            leaf.lr = lr * factor

    def step(self) -> None:
        self.last_step += 1
        self._apply()

    def restore(self) -> None:
        for leaf, lr in zip(self.leaves, self.base_lrs):
            leaf.lr = lr


@dataclass(frozen=True)
class Trajectory:
    """An optimizer's path on a landscape: ``xs`` (k+1, 2), ``losses`` (k+1,), k <= steps.

    ``diverged_at`` is the step whose point left ``[-bound, bound]`` or was not finite (the run
    stopped there; that point is the last one kept), else ``None``.
    """

    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None

    @property
    def message(self) -> str:
        if self.diverged_at is None:
            return f"{len(self.xs) - 1} steps, final loss {self.losses[-1]:.4g}"
        return f"diverged at step {self.diverged_at}"


def run(optimizer: Optimizer, landscape, start=None, steps: int = 200,
        schedule: Callable[[int], float] | None = None, bound: float = 1e6) -> Trajectory:
    """Follow ``optimizer`` on a 2-D ``landscape`` from ``start`` (default: its own start).

    Each step uses the exact gradient ``landscape.grad``. Stops early, without a warning, at
    the first non-finite point or one with a coordinate beyond ``bound`` (divergence). A
    ``schedule`` multiplies the learning rates (restored afterwards).
    """
    _check_optimizer(optimizer, "optimizer")
    steps = _check_steps(steps)
    x = np.array(landscape.start if start is None else start, dtype=np.float64)
    if x.shape != (2,) or not np.isfinite(x).all():
        raise ValueError(f"start must be a finite point of shape (2,), got {x!r}")
    # Each coordinate is its own parameter, a Python float (the rules are element-wise, so
    # this is the same computation as on a (2,) array, and several times faster).
    a, b = x.tolist()
    path, params = [(a, b)], {"x": a, "y": b}
    limit = min(float(bound), sys.float_info.max)  # bound=inf still stops at an infinite point
    scheduler = LambdaLR(optimizer, schedule) if schedule is not None else None
    diverged_at = None
    try:
        with np.errstate(all="ignore"):
            for k in range(1, steps + 1):
                try:
                    gx, gy = landscape.grad(np.array(path[-1])).tolist()
                except OverflowError:  # float powers beyond ~1e308 (only with bound=inf)
                    diverged_at = k - 1
                    break
                deltas = optimizer._deltas(params, {"x": gx, "y": gy})
                a, b = params["x"], params["y"] = a + deltas["x"], b + deltas["y"]
                path.append((a, b))
                if not (abs(a) <= limit and abs(b) <= limit):  # also catches NaN and inf
                    diverged_at = k
                    break
                if scheduler is not None:
                    scheduler.step()
    finally:
        if scheduler is not None:
            scheduler.restore()
    xs = np.array(path, dtype=np.float64)
    with np.errstate(all="ignore"):
        losses = landscape.value(xs)
    return Trajectory(xs, losses, diverged_at)


def heavy_ball_rate(lr, momentum, curvatures) -> np.ndarray:
    r"""Convergence rate of :class:`SGD` with ``momentum`` β on a quadratic with the given
    curvatures (Hessian eigenvalues): the factor the error shrinks by per step, asymptotically.

    On a curvature λ torch's update :math:`b \leftarrow \beta b + g,\ \theta \leftarrow
    \theta - \mathrm{lr}\,b` is the linear recurrence :math:`\theta_{k+1} = (1 + \beta -
    \mathrm{lr}\,\lambda)\theta_k - \beta\theta_{k-1}`, whose rate is the larger root modulus of
    :math:`z^2 - (1 + \beta - \mathrm{lr}\,\lambda) z + \beta = 0`; the worst curvature decides.
    Rates >= 1 diverge. ``lr`` and ``momentum`` broadcast (e.g. grids for a rate map).

    >>> float(heavy_ball_rate(1.0, 0.0, [1.0, 0.1]))  # plain GD: max |1 - lr λ|
    0.9
    """
    lr, beta = np.asarray(lr, dtype=np.float64), np.asarray(momentum, dtype=np.float64)
    worst = np.zeros(np.broadcast(lr, beta).shape)
    for lam in np.asarray(curvatures, dtype=np.float64).reshape(-1):
        trace = 1.0 + beta - lr * lam
        disc = trace**2 - 4.0 * beta
        root = np.sqrt(np.abs(disc))
        # real roots: (trace ± root)/2; complex pair: modulus sqrt(beta)
        rate = np.where(disc >= 0, (np.abs(trace) + root) / 2.0, np.sqrt(beta))
        worst = np.maximum(worst, rate)
    return worst


@dataclass(frozen=True)
class Comparison:
    """One optimizer on one landscape over several starts: ``gaps`` (final loss − minimum, one
    per start; inf when diverged), ``steps_to_tol`` (first step with gap < tol, or None),
    ``state_floats`` (memory) and ``grads_per_step`` (gradient evaluations per step)."""

    optimizer: str
    landscape: str
    gaps: np.ndarray
    steps_to_tol: list
    state_floats: int
    grads_per_step: int


def compare(make_optimizers: dict[str, Callable[[], Optimizer]], landscapes: dict, starts: int = 3,
            steps: int = 300, tol: float = 1e-6, seed: int = 0) -> list[Comparison]:
    """Run every optimizer (a fresh one from each factory) from the same ``starts`` random points
    of every landscape (uniform in its bounds, from ``seed``) for ``steps`` steps."""
    rng = np.random.default_rng(seed)
    rows = []
    for land_name, land in landscapes.items():
        (x_lo, x_hi), (y_lo, y_hi) = land.bounds
        points = np.column_stack([rng.uniform(x_lo, x_hi, starts), rng.uniform(y_lo, y_hi, starts)])
        for opt_name, make in make_optimizers.items():
            gaps, hits, size = [], [], 0
            for start in points:
                opt = make()
                traj = run(opt, land, start=start, steps=steps)
                gap = traj.losses - land.min_value()
                gaps.append(np.inf if traj.diverged_at is not None else float(gap[-1]))
                below = np.flatnonzero(gap < tol)
                hits.append(int(below[0]) if below.size and traj.diverged_at is None else None)
                size = opt.state_size()
            rows.append(Comparison(opt_name, land_name, np.array(gaps), hits, size, 1))
    return rows
