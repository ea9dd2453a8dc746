"""The protocol every trainable model of the package follows: :class:`Module` (``params`` and
``grads``), :class:`Model` (forward, backward, ``fit`` through four hooks, predict, score) and
:class:`Classifier` (a model of class logits, trained with softmax cross-entropy)."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod

import numpy as np

from .. import train, validate
from ..losses import softmax, softmax_cross_entropy
from ..optim import Optimizer
from ..validate import float_array, labels


class Module:
    """Anything with ``params``/``grads`` dicts (same keys, same shapes) and forward/backward."""

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]

    def parameter_count(self) -> int:
        """How many numbers the model learns."""
        return sum(p.size for p in self.params.values())

    def get_params(self) -> dict[str, np.ndarray]:
        """A copy of every parameter (e.g. to restore the best epoch later)."""
        return {name: p.copy() for name, p in self.params.items()}

    def set_params(self, values: dict[str, np.ndarray]) -> None:
        """Copy ``values`` into the parameters, in place (optimizers keep their references).
        Every value must be finite and have its parameter's shape (no broadcasting); all are
        checked before any parameter changes."""
        if not isinstance(values, dict):
            raise TypeError(
                f"values must be a dict name -> array (as get_params returns), "
                f"got {type(values).__name__}"
            )
        if values.keys() != self.params.keys():
            raise ValueError(
                f"values must have the keys {sorted(self.params)}, got {sorted(values)}"
            )
        checked = {name: float_array(values[name], f"values[{name!r}]") for name in values}
        for name, p in self.params.items():
            validate.same_shape(checked[name], p, f"values[{name!r}]", f"the parameter {name}")
        for name, p in self.params.items():
            p[...] = checked[name]


class Model(Module, ABC):
    """The protocol every trainable model follows: :class:`MLP`, the models of
    :mod:`mmlearn.fusion` and :class:`~mmlearn.multitask.MultiTaskNet`.

    - ``params``, ``grads``: dicts name -> array with the same keys and shapes; ``backward``
      fills ``grads`` in place (an optimizer keeps references to both dicts' arrays).
    - ``forward(*inputs) -> outputs``: one input array, or several (a fusion model's
      ``forward(images, texts)``).
    - ``backward(dout) -> dinputs``: from ``dout`` = dL/d(outputs), fill ``grads`` and return
      dL/d(input) (a tuple, one per input, for several inputs).
    - ``fit(X, y, optimizer=None, *, epochs=10, batch_size=32, seed=0, schedule=None, val=None,
      patience=None) -> History``: train with :func:`mmlearn.train.train_loop` (optimizer None:
      ``Adam(lr=3e-3)``; ``seed`` shuffles the batches; ``schedule(step)`` multiplies the
      learning rate; ``val=(X_val, y_val)`` is evaluated after every epoch; ``patience``: stop
      when the validation loss has not improved for that many epochs, restoring the best).
    - ``predict(X)``, ``score(X, y)``: predictions, and how good they are (higher is better).

    ``X`` is an array, or a tuple of arrays for a model with several inputs (``(images,
    texts)``); ``val`` takes ``X_val`` in the same form. A model may add keywords to ``fit``
    (``MultiTaskNet``'s ``weighting=``, a fusion model's ``modality_dropout=``), never change
    these: the constructor says what the model is, ``fit`` how it is trained.

    ``fit`` is written once, here; a model says how it trains through four hooks:
    :meth:`check_examples` (its data), :meth:`start_fit` (which model trains, its own ``fit``
    keywords), :meth:`fit_step` (one optimizer step) and :meth:`fit_evaluate` (the metrics
    recorded after every epoch).
    """

    @abstractmethod
    def forward(self, *inputs):
        """Outputs of a batch; caches what ``backward`` needs."""

    @abstractmethod
    def backward(self, dout):
        """Fill ``grads`` from dL/d(outputs); return dL/d(inputs)."""

    @abstractmethod
    def predict(self, X):
        """Predictions for X."""

    @abstractmethod
    def score(self, X, y):
        """How good the predictions for X are against y (higher is better)."""

    def fit(
        self,
        X,
        y,
        optimizer: Optimizer | None = None,
        *,
        epochs: int = 10,
        batch_size: int = 32,
        seed: int = 0,
        schedule=None,
        val: tuple | None = None,
        patience: int | None = None,
        **options,
    ) -> train.History:
        """Train on (X, y); the arguments are described in :class:`Model`. ``options``: the
        keywords this model adds (:meth:`fit_keywords`: ``MultiTaskNet``'s ``weighting``, a
        fusion model's ``modality_dropout``); any other keyword is refused by name. Every
        argument is checked before the model changes, and training starts from a fresh
        optimizer state (see :func:`mmlearn.train.train_loop`)."""
        optimizer = train.check_fit_arguments(
            optimizer, epochs, batch_size, val, patience, seed, schedule
        )
        train.check_fit_keywords(type(self).__name__, options, self.fit_keywords())
        sets = {"train": self.check_examples(X, y, "X", "y")}
        if val is not None:
            sets["val"] = self.check_examples(*val, "val[0]", "val[1]")
        model, sets = self.start_fit(sets, seed, **options)
        inputs, targets = sets["train"]
        history = train.train_loop(
            model.fit_step(optimizer, inputs, targets, seed),
            len(inputs[0]),
            optimizer,
            epochs,
            batch_size,
            seed,
            schedule,
            model.fit_evaluate(sets),
            patience,
            model.params,
        )
        if model is not self:  # a trained copy (a fusion model): adopt it now training is done
            vars(self).update(vars(model))
        return history

    # --- the hooks fit calls ------------------------------------------------------------------
    @abstractmethod
    def check_examples(self, X, y, x_name: str, y_name: str) -> tuple[tuple, object]:
        """``(inputs, y)``: ``X`` as a tuple of input arrays, and ``y``, checked (errors name
        ``x_name``/``y_name``) without changing the model."""

    def fit_keywords(self) -> list[str]:
        """The keywords this model adds to ``fit``: those of its :meth:`start_fit` after
        ``sets`` and ``seed`` (none here)."""
        parameters = inspect.signature(self.start_fit).parameters.values()
        return [
            p.name
            for p in parameters
            if p.name not in ("sets", "seed") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def start_fit(self, sets: dict[str, tuple], seed: int) -> tuple[Model, dict[str, tuple]]:
        """``(model, sets)``: the model to train and the data sets ``{"train": (inputs, y),
        "val": ...}`` as it reads them. Here: this model, the sets unchanged. A model that adds
        keywords to ``fit`` receives them here (and checks them)."""
        return self, sets

    @abstractmethod
    def fit_step(self, optimizer: Optimizer, inputs: tuple, y, seed: int):
        """``step(idx) -> (loss, extras)`` for :func:`mmlearn.train.train_loop`: one optimizer
        step on the examples ``idx``."""

    @abstractmethod
    def fit_evaluate(self, sets: dict[str, tuple]):
        """``evaluate() -> {metric: value}``, called after every epoch (and before the first):
        at least ``"train_loss"`` (and ``"val_loss"`` with a validation set)."""


class Classifier(Model):
    """A :class:`Model` whose outputs are class logits (n, classes), trained with softmax
    cross-entropy on integer labels y (n,), as :func:`mmlearn.train.fit` trains with
    :meth:`loss` (metrics: loss and accuracy on the training set, and on ``val``, after every
    epoch):
    ``predict_proba`` = softmax of the logits, ``predict`` = the most probable class,
    ``score`` = accuracy."""

    def loss(self, logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Softmax cross-entropy and its gradient with respect to the logits."""
        return softmax_cross_entropy(logits, y)

    def check_examples(self, X, y, x_name: str, y_name: str) -> tuple[tuple, np.ndarray]:
        return train.check_examples(X, y, x_name, y_name)

    def fit_step(self, optimizer: Optimizer, inputs: tuple, y: np.ndarray, seed: int):
        return train.minibatch_step(self, self.loss, optimizer, inputs, y, seed=seed)

    def fit_evaluate(self, sets: dict[str, tuple]):
        return train.evaluator(self, self.loss, sets)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (n, classes)."""
        return softmax(self.forward(*(float_array(x, "X") for x in train.as_inputs(X))))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each example (n,)."""
        return self.predict_proba(X).argmax(axis=1)

    def score(self, X, y) -> float:
        """Accuracy: the share of examples whose predicted class is y (integer labels, one
        per example of X)."""
        predictions = self.predict(X)
        return float(np.mean(predictions == labels(y, "y", len(predictions))))
