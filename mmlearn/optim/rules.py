"""The update rules of ``torch.optim``: SGD (momentum, Nesterov), Adagrad, RMSprop, Adam,
AdamW, on their common base ``_Rule`` (``lr``, ``weight_decay``, ``maximize``).

Each ``_update`` is its docstring's formula for one parameter ``p`` with gradient ``g``,
returning the change of ``p``. The operations come in torch's order (its single-tensor code
path), so that 300 steps agree with ``torch.optim`` to 1e-12; where that order differs from the
formula as written (``lerp``), a comment says so.
"""

from __future__ import annotations

import numpy as np

from ..validate import boolean, in_range
from .base import Optimizer


class _Rule(Optimizer):
    """A leaf optimizer: owns ``lr``, ``weight_decay`` and ``maximize`` (torch semantics)."""

    def __init__(self, lr: float, weight_decay: float, maximize: bool) -> None:
        super().__init__()
        self.lr = lr
        self.weight_decay = in_range(weight_decay, "weight_decay")
        self.maximize = boolean(maximize, "maximize")

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:  # checked whenever it changes (e.g. by LambdaLR)
        self._lr = in_range(value, "lr")

    def _grad(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """torch's first two lines: negate for ``maximize``, add L2 ``weight_decay * p``."""
        if self.maximize:
            g = -g
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        return g

    def __repr__(self) -> str:
        args = ", ".join(
            f"{k}={v!r}" for k, v in vars(self).items() if k not in {"state", "bound", "_lr"}
        )
        return f"{type(self).__name__}(lr={self.lr!r}, {args})"


class SGD(_Rule):
    r"""Stochastic gradient descent with optional (Nesterov) momentum — ``torch.optim.SGD``.

    .. math::
        g &\leftarrow \nabla + \mathrm{weight\_decay}\;\theta \\
        b &\leftarrow g \text{ (first step)}, \quad
        b \leftarrow \mathrm{momentum}\; b + (1-\mathrm{dampening})\, g \\
        \theta &\leftarrow \theta - \mathrm{lr}\,(g + \mathrm{momentum}\; b
        \text{ if nesterov else } b)

    (no momentum: :math:`\theta \leftarrow \theta - \mathrm{lr}\,g`). The names are torch's;
    notebook 04 writes ``momentum`` as :math:`\beta` and calls :math:`b` the velocity.
    State: ``momentum_buffer`` (:math:`b`).

    >>> opt, w = SGD(lr=0.1, momentum=0.9), np.array([1.0])
    >>> opt.step(w, np.array([1.0])); opt.step(w, np.array([1.0])); w
    array([0.71])
    """

    def __init__(
        self,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        nesterov: bool = False,
        weight_decay: float = 0,
        maximize: bool = False,
    ):
        super().__init__(lr, weight_decay, maximize)
        self.momentum = in_range(momentum, "momentum")
        self.dampening = in_range(dampening, "dampening", 0.0, 1.0)
        self.nesterov = boolean(nesterov, "nesterov")
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True requires momentum > 0 and dampening = 0")

    def _update(self, p, g, state):
        g = self._grad(p, g)
        if self.momentum != 0:
            if "momentum_buffer" not in state:  # torch: the buffer starts as g, undamped
                buf = g.copy()
            else:
                buf = self.momentum * state["momentum_buffer"] + (1 - self.dampening) * g
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

    def __init__(
        self,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        maximize: bool = False,
    ):
        super().__init__(lr, weight_decay, maximize)
        self.lr_decay = in_range(lr_decay, "lr_decay")
        self.initial_accumulator_value = in_range(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)

    def _update(self, p, g, state):
        if not state:
            state.update(step=0, sum=np.full(p.shape, self.initial_accumulator_value))
        state["step"] += 1
        g = self._grad(p, g)
        clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] = state["sum"] + g**2
        return -clr * g / (np.sqrt(state["sum"]) + self.eps)


class RMSprop(_Rule):
    r"""Steps divided by a running RMS of the gradient — ``torch.optim.RMSprop``.

    .. math::
        v &\leftarrow \alpha v + (1-\alpha) g^2, \qquad
        \bar g \leftarrow \alpha \bar g + (1-\alpha) g \text{ (centered)} \\
        d &= \sqrt{v} + \epsilon \quad\text{or}\quad \sqrt{v - \bar g^2} + \epsilon
        \text{ (centered)} \\
        b &\leftarrow \mathrm{momentum}\; b + g/d, \quad \theta \leftarrow \theta - \mathrm{lr}\,b
        \quad\text{(momentum; else } \theta \leftarrow \theta - \mathrm{lr}\,g/d)

    with :math:`\alpha` = ``alpha`` and :math:`g = \nabla + \mathrm{weight\_decay}\;\theta`
    (torch's names; notebook 04 writes ``momentum`` as :math:`\beta`). ``eps`` is added outside
    the square root; ``b`` starts at zero.
    State: ``step``, ``square_avg``, ``momentum_buffer``, ``grad_avg``.
    """

    def __init__(
        self,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        maximize: bool = False,
    ):
        super().__init__(lr, weight_decay, maximize)
        self.alpha = in_range(alpha, "alpha", 0.0, 1.0)
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)
        self.momentum = in_range(momentum, "momentum")
        self.centered = boolean(centered, "centered")

    def _update(self, p, g, state):
        alpha = self.alpha
        if not state:
            state.update(step=0, square_avg=np.zeros_like(p))
            if self.momentum > 0:
                state["momentum_buffer"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        state["step"] += 1
        g = self._grad(p, g)
        state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * g**2
        if self.centered:
            # ḡ ← αḡ + (1-α)g, computed as torch's grad_avg.lerp_(g, 1 - alpha) does
            state["grad_avg"] = state["grad_avg"] + (1 - alpha) * (g - state["grad_avg"])
            avg = np.sqrt(state["square_avg"] - state["grad_avg"] ** 2) + self.eps
        else:
            avg = np.sqrt(state["square_avg"]) + self.eps
        if self.momentum > 0:
            state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg
            return -self.lr * state["momentum_buffer"]
        return -self.lr * g / avg


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
    (added to the gradient; None: ``default_weight_decay``, torch's 0); :class:`AdamW`
    decouples it. State: ``step``, ``exp_avg``,
    ``exp_avg_sq``, ``max_exp_avg_sq``.
    """

    default_weight_decay = 0.0  # torch's default; AdamW's is 1e-2

    def __init__(
        self,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float | None = None,
        amsgrad: bool = False,
        maximize: bool = False,
    ):
        if weight_decay is None:  # torch's default for this class: 0 (Adam), 1e-2 (AdamW)
            weight_decay = self.default_weight_decay
        super().__init__(lr, weight_decay, maximize)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (
            in_range(betas[0], "betas[0]", 0.0, 1.0, hi_open=True),
            in_range(betas[1], "betas[1]", 0.0, 1.0, hi_open=True),
        )
        self.eps = in_range(eps, "eps", 0.0, lo_open=True)
        self.amsgrad = boolean(amsgrad, "amsgrad")

    def _update(self, p, g, state):
        beta1, beta2 = self.betas
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(p), exp_avg_sq=np.zeros_like(p))
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(p)
        state["step"] += 1
        t = state["step"]
        g = self._grad(p, g)
        # m ← β₁m + (1-β₁)g, computed as torch's exp_avg.lerp_(g, 1 - beta1) does
        state["exp_avg"] = state["exp_avg"] + (1 - beta1) * (g - state["exp_avg"])
        state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g**2
        v = state["exp_avg_sq"]
        if self.amsgrad:
            state["max_exp_avg_sq"] = v = np.maximum(state["max_exp_avg_sq"], v)
        step_size = self.lr / (1 - beta1**t)
        denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + self.eps
        return -step_size * state["exp_avg"] / denom


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019) — ``torch.optim.AdamW``.

    The weights shrink, :math:`\theta \leftarrow (1 - \mathrm{lr}\;\mathrm{weight\_decay})\,
    \theta` (notebook 04's :math:`(1 - \mathrm{lr}\,\lambda)\,\theta`), then take Adam's step
    on the bare gradient: the decay is not added to the gradient, so Adam's denominator does
    not rescale it. Default ``weight_decay=1e-2`` (torch's).
    """

    default_weight_decay = 1e-2

    def _grad(self, p, g):
        """Only ``maximize``'s sign: the weight decay is not added to the gradient."""
        return -g if self.maximize else g

    def _update(self, p, g, state):
        delta = super()._update(p, g, state)  # Adam's step on the bare gradient
        if self.weight_decay != 0:
            # torch shrinks p by (1 - lr·weight_decay) before the step; as a change, -lr·wd·p
            delta = delta - self.lr * self.weight_decay * p
        return delta
