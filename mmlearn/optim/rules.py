"""The update rules of ``torch.optim``: SGD (momentum, Nesterov), Adagrad, RMSprop, Adam,
AdamW."""

from __future__ import annotations

import numpy as np  # noqa: F401  (the docstring examples use it)

from .._validate import in_range
from .base import _copy, _maximum, _Rule, _sqrt, _zeros


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
                buf = buf * self.momentum + (g * (1 - self.dampening) if self.dampening else g)
            state["momentum_buffer"] = buf
            g = g + buf * self.momentum if self.nesterov else buf
        return g * -self.lr


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
        return g / (_sqrt(total) + self.eps) * -clr


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
                                            + g * g * (1 - self.alpha))
        if self.centered:
            grad_avg = state["grad_avg"]  # torch: grad_avg.lerp_(g, 1 - alpha)
            state["grad_avg"] = grad_avg = grad_avg + (g - grad_avg) * (1 - self.alpha)
            avg = _sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            avg = _sqrt(square_avg) + self.eps
        if self.momentum > 0:
            state["momentum_buffer"] = buf = state["momentum_buffer"] * self.momentum + g / avg
            return buf * -self.lr
        return g / avg * -self.lr


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
        state["exp_avg"] = exp_avg = exp_avg + (g - exp_avg) * (1 - beta1)
        state["exp_avg_sq"] = exp_avg_sq = state["exp_avg_sq"] * beta2 + g * g * (1 - beta2)
        step_size = self.lr / (1 - beta1**t)
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        if self.amsgrad:
            state["max_exp_avg_sq"] = exp_avg_sq = _maximum(state["max_exp_avg_sq"], exp_avg_sq)
        denom = _sqrt(exp_avg_sq) / bias_correction2_sqrt + self.eps
        delta = exp_avg / denom * -step_size
        if self.decoupled_weight_decay and self.weight_decay != 0:
            delta = delta - p * (self.lr * self.weight_decay)  # torch: p *= 1 - lr*wd first
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
