r"""Neural networks from scratch: layers with a forward and a hand-written backward pass, and
the protocol every trainable model of the package follows (:class:`Model`).

A layer maps a batch ``X`` (n, fan_in) to outputs (n, fan_out). ``backward(dout)`` receives
:math:`\partial L/\partial \text{out}` (same shape as the output), stores the gradients of the
layer's parameters in ``grads`` (same keys and shapes as ``params``) and returns
:math:`\partial L/\partial X`. That is backpropagation: the chain rule, applied layer by layer
from the loss back to the input.

A multi-layer perceptron is a *composition* of layers,

.. math:: h_0 = X, \qquad h_i = \sigma(h_{i-1} W_i + b_i), \qquad
          \text{logits} = h_{L-1} W_L + b_L

with an activation :math:`\sigma` (ReLU, tanh or sigmoid) between layers and none after the last.
Article B writes the MLP as :math:`y = \sigma(\sum_{l=1}^{L-1} W^l \sigma(W^{l-1}x + b^{l-1})
+ b^L)`: a *sum* over layers in which every term applies a layer to the raw input :math:`x`
instead of to the previous layer's output (the shapes only agree if every layer is as wide as
the input). That is not the network it describes; the composition above is the corrected
formula, and it is what :class:`MLP` computes.

Parameters are ``params[f"W{i}"]`` (fan_in, fan_out) and ``params[f"b{i}"]`` (fan_out,), ``i``
counting linear layers from 1. An optimizer updates them in place; every gradient is checked
against finite differences in ``tests/test_nn.py``.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod

import numpy as np

from . import train, validate
from .losses import sigmoid, softmax, softmax_cross_entropy
from .optim import Optimizer
from .validate import float_array, int_at_least, labels, real_array

INITS = ("he", "xavier")


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


class Linear(Module):
    r"""Affine layer :math:`Y = XW + b`.

    Backward, with :math:`G = \partial L/\partial Y` (n, fan_out):
    :math:`\partial L/\partial W = X^\top G`, :math:`\partial L/\partial b = \sum_n G`,
    :math:`\partial L/\partial X = G W^\top`.

    ``init="he"`` draws :math:`W \sim N(0, 2/n_{in})` (keeps ReLU activations' scale,
    He et al. 2015); ``"xavier"`` draws :math:`W \sim U(\pm\sqrt{6/(n_{in}+n_{out})})`
    (Glorot & Bengio 2010, for tanh/sigmoid). Biases start at zero. ``seed``: an int, or a
    ``np.random.Generator`` to draw from (several layers from one stream).

    >>> layer = Linear(3, 2, seed=0)
    >>> layer.forward(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(
        self,
        fan_in: int,
        fan_out: int,
        init: str = "he",
        seed: int | np.random.Generator = 0,
    ) -> None:
        fan_in, fan_out = int_at_least(fan_in, "fan_in"), int_at_least(fan_out, "fan_out")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        rng = validate.generator(seed)
        if init == "he":
            W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        else:
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        self.params = {"W": W, "b": np.zeros(fan_out)}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros(fan_out)}
        self._X: np.ndarray | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        X, W = real_array(X, "X"), self.params["W"]
        if X.ndim != 2 or X.shape[1] != W.shape[0]:
            raise ValueError(f"X must have shape (n, {W.shape[0]}), got {X.shape}")
        self._X = X
        return X @ W + self.params["b"]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._X is None:
            raise RuntimeError("call forward before backward")
        dout = check_dout(dout, (len(self._X), self.params["W"].shape[1]))
        np.matmul(self._X.T, dout, out=self.grads["W"])  # in place: dicts keep their arrays
        np.sum(dout, axis=0, out=self.grads["b"])
        return dout @ self.params["W"].T


def check_dout(dout, shape: tuple) -> np.ndarray:
    """``dout`` as a float array of ``shape``, the shape of the last forward pass's output (a
    gradient has the shape of what it differentiates), or a ValueError saying both shapes."""
    dout = real_array(dout, "dout")
    if dout.shape != shape:
        raise ValueError(
            f"dout must have the shape of the last forward's output, {shape}, got {dout.shape}"
        )
    return dout


class _Activation(Module):
    """An element-wise function with no parameters."""

    def __init__(self) -> None:
        self.params, self.grads = {}, {}
        self._cache: np.ndarray | None = None

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        return check_dout(dout, self._cache.shape) * self._local_grad(self._cache)


class ReLU(_Activation):
    r""":math:`\max(0, x)`; derivative 1 where :math:`x > 0`, else 0 (0 at the kink, like torch)."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        self._cache = X > 0
        return np.maximum(X, 0.0)

    @staticmethod
    def _local_grad(mask):
        return mask


class Tanh(_Activation):
    r""":math:`\tanh x`; derivative :math:`1 - \tanh^2 x`."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        self._cache = np.tanh(X)
        return self._cache

    @staticmethod
    def _local_grad(out):
        return 1.0 - out * out


class Sigmoid(_Activation):
    r""":math:`\sigma(x) = 1/(1+e^{-x})` (stable); derivative :math:`\sigma(x)(1-\sigma(x))`."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        self._cache = sigmoid(X)
        return self._cache

    @staticmethod
    def _local_grad(out):
        return out * (1.0 - out)


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


class Sequential(Module):
    """Layers applied in order; backward runs them in reverse.

    ``params``/``grads`` hold every layer's arrays (the same objects, not copies), renamed
    ``W1, b1, W2, b2, ...`` by the order of the layers that have parameters.
    """

    def __init__(self, layers: list[Module]) -> None:
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("layers must not be empty")
        self.params, self.grads = {}, {}
        i = 0
        for layer in self.layers:
            if not isinstance(layer, Module):
                raise TypeError(f"every layer must be an mmlearn.nn Module, got {layer!r}")
            if layer.params:
                i += 1
                for key in layer.params:
                    self.params[f"{key}{i}"] = layer.params[key]
                    self.grads[f"{key}{i}"] = layer.grads[key]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs (n, d_out) of the batch ``X`` (n, d_in); caches what backward needs."""
        X = real_array(X, "X")
        for layer in self.layers:
            X = layer.forward(X)
        return X

    __call__ = forward

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Fill ``grads`` from ``dout`` = dL/d(outputs); return dL/dX."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def dense(
    fan_in: int,
    fan_out: int,
    activation: str = "relu",
    seed: int | np.random.Generator = 0,
) -> Sequential:
    """One hidden layer as a block, ``activation(X W + b)``: an encoder for fusion models
    (``seed`` as :class:`Linear`'s)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    init = "he" if activation == "relu" else "xavier"
    return Sequential([Linear(fan_in, fan_out, init=init, seed=seed), ACTIVATIONS[activation]()])


def merge(parts: dict[str, Module]) -> tuple[dict, dict]:
    """``params``/``grads`` of a model built from named parts: ``{"image": enc}`` contributes
    ``"image.W1"``, ``"image.b1"``, ... (the parts' own arrays, not copies)."""
    params, grads = {}, {}
    for prefix, part in parts.items():
        for key in part.params:
            params[f"{prefix}.{key}"] = part.params[key]
            grads[f"{prefix}.{key}"] = part.grads[key]
    return params, grads


class MLP(Sequential, Classifier):
    """``MLP([64, 32, 10])``: Linear(64→32), activation, Linear(32→10) — a :class:`Classifier`
    (``net.fit(X, y)``, ``net.predict(X)``, ``net.score(X, y)``). To train it with another loss,
    call :func:`mmlearn.train.fit` with that loss.

    ``init`` defaults to He for ReLU and Xavier for tanh/sigmoid; all weights come from one
    ``numpy.random.default_rng(seed)``, so the same seed gives the same network.

    >>> net = MLP([2, 8, 3], seed=0)
    >>> sorted(net.params), net.forward(np.zeros((5, 2))).shape
    (['W1', 'W2', 'b1', 'b2'], (5, 3))
    """

    def __init__(
        self, sizes: list[int], activation: str = "relu", seed: int = 0, init: str | None = None
    ) -> None:
        if not isinstance(sizes, (list, tuple)):
            raise TypeError(
                f"sizes must be a list of layer sizes, e.g. [64, 32, 10], got {sizes!r}"
            )
        sizes = [int_at_least(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        init = init or ("he" if activation == "relu" else "xavier")
        rng = validate.generator(seed)  # one stream for every layer
        layers: list[Module] = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i:
                layers.append(ACTIVATIONS[activation]())
            layers.append(Linear(fan_in, fan_out, init=init, seed=rng))
        super().__init__(layers)
        self.sizes, self.activation = sizes, activation

    def __repr__(self) -> str:
        return f"MLP({self.sizes}, activation={self.activation!r})"


# --- Convolutional layers: images (n, channels, h, w), as in Article B's Keras model ------------


def _kernel_size(kernel_size) -> tuple[int, int]:
    """``3`` or ``(3, 3)`` as ``(kh, kw)``; a ValueError naming ``kernel_size`` otherwise."""
    pair = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
    if len(pair) != 2:
        raise ValueError(
            f"kernel_size must be an int or a pair of ints (kh, kw), got {kernel_size!r}"
        )
    return int_at_least(pair[0], "kernel_size (kh)"), int_at_least(pair[1], "kernel_size (kw)")


def _images(X, channels: int | None) -> np.ndarray:
    """``X`` as a float array (n, channels, h, w) (any number of channels if ``channels`` is
    None), or a ValueError saying what is wrong."""
    X = real_array(X, "X")
    wanted = "channels" if channels is None else channels
    if X.ndim != 4 or (channels is not None and X.shape[1] != channels):
        raise ValueError(
            f"X must have shape (n, {wanted}, h, w) (4 axes: batch, channels, "
            f"height, width), got {X.shape}"
        )
    return X


class Conv2D(Module):
    r"""2-D convolution (cross-correlation, like torch and Keras), "valid" padding, stride 1.

    Shapes: input ``X`` (n, c, h, w); weights ``W`` (o, c, kh, kw) and bias ``b`` (o,), torch's
    layout; output (n, o, h - kh + 1, w - kw + 1). Each output pixel is a dot product of one
    filter with the patch of the input under it:

    .. math:: \text{out}[n, o, i, j] = b[o] + \sum_{c, u, v} W[o, c, u, v]\, X[n, c, i+u, j+v]

    Backward, with :math:`G = \partial L/\partial \text{out}` (n, o, oh, ow):

    .. math:: \frac{\partial L}{\partial W[o, c, u, v]} = \sum_{n, i, j} G[n, o, i, j]\,
              X[n, c, i+u, j+v], \qquad
              \frac{\partial L}{\partial b[o]} = \sum_{n, i, j} G[n, o, i, j],

    .. math:: \frac{\partial L}{\partial X[n, c, i+u, j+v]} \mathrel{+}=
              \sum_o G[n, o, i, j]\, W[o, c, u, v]

    (every input pixel collects from every output pixel whose patch covers it).

    **How it is computed: a loop over the kh·kw kernel offsets.** For a fixed offset (u, v) the
    sum over c is a matrix product between the input slice ``X[:, :, u:u+oh, v:v+ow]`` — the
    input pixels that offset touches, already aligned with the output grid — and the
    (o, c) matrix ``W[:, :, u, v]``. Forward adds the kh·kw products; backward runs the same
    loop, and each line is the formula above with (u, v) fixed. Only kh·kw (9 for a 3×3 kernel)
    numpy calls run per pass; the loops over n, i, j and c are inside ``np.einsum``. (The other
    classic way, *im2col*, copies every patch into a row of a big matrix: one matrix product,
    but kh·kw times the memory and a scatter-add back for ∂L/∂X.)

    Initialisation: He, :math:`W \sim N(0, 2/\text{fan\_in})` with
    :math:`\text{fan\_in} = c \cdot kh \cdot kw` (the inputs one output pixel sees); ``b = 0``.
    Weights come from ``numpy.random.default_rng(seed)``, or from ``seed`` itself if it is a
    ``np.random.Generator`` (as :class:`Linear`).

    >>> conv = Conv2D(1, 8, 3, seed=0)
    >>> conv.params["W"].shape, conv.forward(np.zeros((5, 1, 8, 8))).shape
    ((8, 1, 3, 3), (5, 8, 6, 6))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        seed: int | np.random.Generator = 0,
    ) -> None:
        in_channels = int_at_least(in_channels, "in_channels")
        out_channels = int_at_least(out_channels, "out_channels")
        kh, kw = _kernel_size(kernel_size)
        rng = validate.generator(seed)
        fan_in = in_channels * kh * kw
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(out_channels, in_channels, kh, kw))
        self.params = {"W": W, "b": np.zeros(out_channels)}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros(out_channels)}
        self._X: np.ndarray | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs (n, o, h - kh + 1, w - kw + 1) of the images ``X`` (n, c, h, w)."""
        W, b = self.params["W"], self.params["b"]
        out_channels, in_channels, kh, kw = W.shape
        X = _images(X, in_channels)
        n, _, h, w = X.shape
        if kh > h or kw > w:
            raise ValueError(
                f"X's height and width must be >= the kernel's (kh, kw) = "
                f"{(kh, kw)}, got (h, w) = {(h, w)}"
            )
        oh, ow = h - kh + 1, w - kw + 1
        self._X = X
        out = np.zeros((n, out_channels, oh, ow))
        for u in range(kh):
            for v in range(kw):
                out += np.einsum("nchw,oc->nohw", X[:, :, u : u + oh, v : v + ow], W[:, :, u, v])
        return out + b[:, None, None]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Fill ``grads`` from ``dout`` = dL/d(outputs) (n, o, oh, ow); return dL/dX."""
        if self._X is None:
            raise RuntimeError("call forward before backward")
        X, W, dW = self._X, self.params["W"], self.grads["W"]
        (n, _, h, w), (out_channels, _, kh, kw) = X.shape, W.shape
        oh, ow = h - kh + 1, w - kw + 1
        dout = check_dout(dout, (n, out_channels, oh, ow))
        dX = np.zeros_like(X)
        for u in range(kh):
            for v in range(kw):
                dW[:, :, u, v] = np.einsum("nohw,nchw->oc", dout, X[:, :, u : u + oh, v : v + ow])
                dX[:, :, u : u + oh, v : v + ow] += np.einsum("nohw,oc->nchw", dout, W[:, :, u, v])
        np.sum(dout, axis=(0, 2, 3), out=self.grads["b"])  # in place: dicts keep their arrays
        return dX


class MaxPool2D(Module):
    r"""Max pooling over non-overlapping ``size`` × ``size`` windows (stride = size).

    Input (n, c, h, w), output (n, c, h // size, w // size):
    :math:`\text{out}[n, c, i, j] = \max_{0 \le u, v < s} X[n, c, s i + u, s j + v]`.
    Like torch's ``MaxPool2d`` and Keras' ``MaxPooling2D`` (Article B's 2×2 pool), the division
    floors: when ``size`` does not divide h (or w), the last ``h % size`` rows (``w % size``
    columns) belong to no window, are ignored, and get zero gradient.

    Backward: the max passes on only the winner's value, so each window's gradient goes entirely
    to the position of its maximum (``argmax``); every other input gets 0. On ties the first
    maximum in row-major order within the window wins (what ``argmax`` of the flattened window
    returns; torch's CPU kernel picks the same one).

    Computed by a reshape: (n, c, oh·s, ow·s) → (n, c, oh, ow, s·s), one window per last axis.

    >>> MaxPool2D(2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    def __init__(self, size: int) -> None:
        self.size = int_at_least(size, "size")
        self.params, self.grads = {}, {}
        self._argmax: np.ndarray | None = None
        self._X_shape: tuple[int, ...] | None = None

    def _windows(self, X: np.ndarray) -> np.ndarray:
        """(n, c, h, w) → (n, c, oh, ow, s·s): the s×s window of each output pixel, flattened."""
        n, c, h, w = X.shape
        s, oh, ow = self.size, h // self.size, w // self.size
        rows = X[:, :, : oh * s, : ow * s].reshape(n, c, oh, s, ow, s)
        return rows.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh, ow, s * s)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs (n, c, h // size, w // size) of the images ``X`` (n, c, h, w)."""
        X = _images(X, None)
        h, w = X.shape[2:]
        if self.size > h or self.size > w:
            raise ValueError(
                f"X's height and width must be >= size = {self.size}, got (h, w) = {(h, w)}"
            )
        windows = self._windows(X)
        self._argmax, self._X_shape = windows.argmax(axis=-1), X.shape
        return windows.max(axis=-1)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dL/dX (n, c, h, w): each window's ``dout`` at its argmax, 0 elsewhere."""
        if self._argmax is None:
            raise RuntimeError("call forward before backward")
        n, c, h, w = self._X_shape
        s, (oh, ow) = self.size, self._argmax.shape[2:]
        dout = check_dout(dout, self._argmax.shape)
        dwindows = np.zeros((n, c, oh, ow, s * s))
        np.put_along_axis(dwindows, self._argmax[..., None], dout[..., None], axis=-1)
        dX = np.zeros((n, c, h, w))
        dX[:, :, : oh * s, : ow * s] = (
            dwindows.reshape(n, c, oh, ow, s, s)
            .transpose(0, 1, 2, 4, 3, 5)
            .reshape(n, c, oh * s, ow * s)
        )
        return dX


class Flatten(Module):
    """(n, c, h, w) → (n, c·h·w), row-major (channel first, then rows), like ``torch.flatten(X,
    1)``; any (n, ...) works. Backward reshapes ``dout`` back to the input's shape.

    >>> Flatten().forward(np.zeros((5, 8, 3, 3))).shape
    (5, 72)
    """

    def __init__(self) -> None:
        self.params, self.grads = {}, {}
        self._X_shape: tuple[int, ...] | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        X = real_array(X, "X")
        if X.ndim < 2:
            raise ValueError(
                f"X must have a batch axis and at least one more, (n, ...), got shape {X.shape}"
            )
        self._X_shape = X.shape
        return X.reshape(X.shape[0], -1)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._X_shape is None:
            raise RuntimeError("call forward before backward")
        n = self._X_shape[0]
        return check_dout(dout, (n, int(np.prod(self._X_shape[1:])))).reshape(self._X_shape)
