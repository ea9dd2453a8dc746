r"""Loss functions. Each returns ``(value, grad)``: the mean loss and its gradient with respect
to the first argument (``pred`` or ``logits``), of the same shape.

With :math:`d = \text{pred} - \text{target}` and :math:`N` elements:

- MSE   :math:`L = \frac1N\sum d^2`, :math:`\partial L/\partial \text{pred} = \frac2N d`
- MAE   :math:`L = \frac1N\sum |d|`, gradient :math:`\frac1N\operatorname{sign}(d)` (0 at d = 0)
- Huber :math:`\ell_\delta(d) = \tfrac12 d^2` if :math:`|d|\le\delta`, else
  :math:`\delta(|d| - \tfrac12\delta)`; gradient :math:`\operatorname{clip}(d, -\delta, \delta)/N`
- softmax cross-entropy on logits :math:`z` (n, k) and integer labels :math:`y`:
  :math:`L = -\frac1n\sum_i \log\operatorname{softmax}(z_i)_{y_i}`, gradient
  :math:`(\operatorname{softmax}(z) - \operatorname{onehot}(y))/n`
- binary cross-entropy on logits :math:`z` and targets :math:`t\in[0,1]`:
  :math:`L = \frac1n\sum \max(z,0) - z t + \log(1 + e^{-|z|})`, gradient
  :math:`(\sigma(z) - t)/n`

All are numerically stable: logits of ±1000 give finite values and no warnings.
"""

from __future__ import annotations

import numpy as np

from .validate import float_array, in_range, real_array, same_shape


def sigmoid(x) -> np.ndarray:
    r""":math:`\sigma(x) = 1/(1 + e^{-x})`, computed without overflow for any finite ``x``.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = real_array(x, "x")
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(logits, axis: int = -1) -> np.ndarray:
    r""":math:`\log\operatorname{softmax}(z)_j = z_j - \max z - \log\sum_i e^{z_i - \max z}`."""
    z = real_array(logits, "logits")
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(logits, axis: int = -1) -> np.ndarray:
    r""":math:`\operatorname{softmax}(z)_j = e^{z_j} / \sum_i e^{z_i}` (rows sum to 1).

    >>> softmax(np.array([[0.0, np.log(3.0)]])).round(3)
    array([[0.25, 0.75]])
    """
    return np.exp(log_softmax(logits, axis=axis))


def _pred_target(pred, target) -> tuple[np.ndarray, np.ndarray]:
    pred, target = float_array(pred, "pred"), float_array(target, "target")
    same_shape(pred, target, "pred", "target")
    if pred.size == 0:
        raise ValueError("pred must not be empty")
    return pred, target


def mse(pred, target) -> tuple[float, np.ndarray]:
    """Mean squared error. ``pred``, ``target``: same shape, any.

    >>> mse(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
    (2.5, array([1., 2.]))
    """
    pred, target = _pred_target(pred, target)
    d = pred - target
    return float(np.mean(d**2)), 2.0 * d / d.size


def mae(pred, target) -> tuple[float, np.ndarray]:
    """Mean absolute error; its gradient has the same size, 1/N, wherever d ≠ 0.

    >>> mae(np.array([1.0, -2.0]), np.array([0.0, 0.0]))
    (1.5, array([ 0.5, -0.5]))
    """
    pred, target = _pred_target(pred, target)
    d = pred - target
    return float(np.mean(np.abs(d))), np.sign(d) / d.size


def huber(pred, target, delta: float = 1.0) -> tuple[float, np.ndarray]:
    """Huber loss (``torch.nn.HuberLoss``): quadratic for |d| <= delta, linear beyond.

    >>> huber(np.array([0.5, 3.0]), np.array([0.0, 0.0]))
    (1.3125, array([0.25, 0.5 ]))
    """
    pred, target = _pred_target(pred, target)
    delta = in_range(delta, "delta", 0.0, lo_open=True)
    d = pred - target
    small = np.abs(d) <= delta
    loss = np.where(small, 0.5 * d**2, delta * (np.abs(d) - 0.5 * delta))
    return float(np.mean(loss)), np.clip(d, -delta, delta) / d.size


def softmax_cross_entropy(logits, labels) -> tuple[float, np.ndarray]:
    """Cross-entropy of softmax(logits) (n, k) against integer class labels (n,).

    >>> value, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(value, 4), grad.shape  # log(4) for uniform predictions
    (1.3863, (2, 4))
    """
    z = float_array(logits, "logits")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"logits must have shape (n, k) with n, k >= 1, got {z.shape}")
    y = np.asarray(labels)
    if y.shape != (z.shape[0],):
        raise ValueError(f"labels must have shape ({z.shape[0]},) to match logits, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"labels must be integers (class indices), got dtype {y.dtype}")
    if y.min() < 0 or y.max() >= z.shape[1]:
        raise ValueError(
            f"labels must be in [0, {z.shape[1] - 1}], got values in [{y.min()}, {y.max()}]"
        )
    n = z.shape[0]
    logp = log_softmax(z)
    rows = np.arange(n)
    grad = np.exp(logp)
    grad[rows, y] -= 1.0
    return float(-logp[rows, y].mean()), grad / n


def binary_cross_entropy_with_logits(logits, targets) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of sigmoid(logits) (n,) against targets (n,) in [0, 1].

    >>> binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0]))[0].__round__(4)
    0.6931
    """
    z, t = float_array(logits, "logits"), float_array(targets, "targets")
    same_shape(z, t, "logits", "targets")
    if z.size == 0:
        raise ValueError("logits must not be empty")
    if t.min() < 0 or t.max() > 1:
        raise ValueError(f"targets must be in [0, 1], got values in [{t.min()}, {t.max()}]")
    loss = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    return float(loss.mean()), (sigmoid(z) - t) / z.size
