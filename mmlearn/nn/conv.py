"""Convolutional layers on images (n, channels, h, w), as in Article B's Keras model:
:class:`Conv2D`, :class:`MaxPool2D` and :class:`Flatten`, each with a hand-written backward
pass (the conventions: :mod:`mmlearn.nn`)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..validate import int_at_least, real_array
from .layers import check_dout
from .model import Module


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
