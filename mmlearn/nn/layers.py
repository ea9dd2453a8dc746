"""Dense layers with a forward and a hand-written backward pass — :class:`Linear`, the
activations :class:`ReLU`, :class:`Tanh` and :class:`Sigmoid`, :class:`Sequential` — and the
multi-layer perceptron built from them, :class:`MLP` (the conventions: :mod:`mmlearn.nn`)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..losses import sigmoid
from ..validate import int_at_least, real_array
from .model import Classifier, Module

INITS = ("he", "xavier")


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
