r"""Optimizers: from plain gradient descent to adaptive methods and their blends.

The code is in four files:

- ``base.py`` — the :class:`Optimizer` base class (``delta``, ``step``, ``reset``, ``state``),
  how it checks parameters and gradients, and :func:`check_optimizer`;
- ``rules.py`` — the update rules :class:`SGD`, :class:`Adagrad`, :class:`RMSprop`,
  :class:`Adam`, :class:`AdamW`;
- ``composite.py`` — optimizers built from optimizers: :class:`Blend`, :class:`Switch`,
  :class:`Lookahead`;
- ``lr_scheduler.py`` — :class:`LambdaLR` and :func:`lr_schedule`, which apply a learning-rate
  schedule (:mod:`mmlearn.schedules`) and restore the learning rates afterwards.

**The optimizers** follow ``torch.optim`` exactly — hyper-parameter names, defaults and the
order of operations of its single-tensor code path — so what a student learns here carries over
to PyTorch. Parameters and gradients are ``dict[str, ndarray]`` (a bare ndarray is one
parameter, stored under the name ``"param"``). Every optimizer has

- ``delta(params, grads) -> dict``: the change it proposes (and it advances its state);
- ``step(params, grads)``: adds that change to ``params`` in place;
- ``reset()``; ``state`` (per-parameter buffers, torch's names: ``opt.state["w"]["exp_avg"]``);
  ``state_size()``, the floats it stores; ``leaves()``, the optimizers that own an ``lr``;
- hyper-parameters as attributes; ``opt.lr`` may be changed between steps (see :class:`LambdaLR`).

An optimizer's state belongs to the parameters it stepped: given other ones (another model, a
new parameter) it raises before changing anything — call ``reset()`` to reuse it. Every
function that trains afresh (:func:`mmlearn.trajectories.run`, :func:`mmlearn.train.fit` and
the models' ``fit``, ...) calls ``reset()`` first, so a used optimizer gives the same results as
a new one.

**Composites** are optimizers built from optimizers, so they nest: :class:`Blend` (a weighted
sum of several optimizers' steps — *not* of their "gradients"), :class:`Switch` (one optimizer,
then another) and :class:`Lookahead` (Zhang et al. 2019).

Following an optimizer on a 2-D landscape, and gradient descent in one variable, are in
:mod:`mmlearn.trajectories`.
"""

from .base import BARE, Optimizer, check_optimizer
from .composite import Blend, Lookahead, Switch
from .lr_scheduler import LambdaLR, lr_schedule
from .rules import SGD, Adagrad, Adam, AdamW, RMSprop

__all__ = [
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "Blend",
    "Switch",
    "Lookahead",
    "Optimizer",
    "check_optimizer",
    "LambdaLR",
    "lr_schedule",
    "BARE",
]
