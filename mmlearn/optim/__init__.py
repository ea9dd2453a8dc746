r"""Optimizers: from plain gradient descent to adaptive methods and their blends.

**Gradient descent in one variable** is the first lesson (notebook 00):
:math:`x_{k+1} = x_k - \mathrm{lr}\, f'(x_k)`. On :math:`f(x) = a x^2 / 2` every step multiplies
:math:`x` by :math:`r = 1 - \mathrm{lr}\,a`, so :math:`x_k = r^k x_0`: see :func:`gd_1d` and
:func:`quadratic_regime`.

The code is in four files: ``base.py`` (checks, the ``Optimizer`` base class), ``rules.py``
(the torch update rules), ``composite.py`` and ``trajectories.py`` (1-D descent, :func:`run`).

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

from .base import BARE, Optimizer, _all_finite, _as_dicts, _check_optimizer, _check_steps, _sqrt
from .composite import Blend, Lookahead, Switch
from .rules import SGD, Adagrad, Adam, AdamW, RMSprop
from .trajectories import (
    Comparison,
    LambdaLR,
    Path1D,
    Trajectory,
    compare,
    gd_1d,
    heavy_ball_rate,
    quadratic_regime,
    run,
)

__all__ = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Blend", "Switch", "Lookahead",
           "Optimizer", "LambdaLR", "run", "Trajectory", "compare", "Comparison", "gd_1d", "Path1D",
           "quadratic_regime", "heavy_ball_rate", "BARE",
           # shared with mmlearn.train and the tests
           "_all_finite", "_as_dicts", "_check_optimizer", "_check_steps", "_sqrt"]
