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
against finite differences in ``tests/test_nn.py`` and ``tests/test_conv.py``.

The package holds one concern per file: ``model.py`` the protocol (:class:`Module`,
:class:`Model`, :class:`Classifier`), ``layers.py`` the dense layers and :class:`MLP`,
``conv.py`` the convolutional layers (:class:`Conv2D`, :class:`MaxPool2D`, :class:`Flatten`).
Every name is used as ``mm.nn.X``.
"""

from .conv import Conv2D, Flatten, MaxPool2D
from .layers import (
    ACTIVATIONS,
    INITS,
    MLP,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    check_dout,
    dense,
    merge,
)
from .model import Classifier, Model, Module

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "MLP",
    "Classifier",
    "Conv2D",
    "Flatten",
    "Linear",
    "MaxPool2D",
    "Model",
    "Module",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "check_dout",
    "dense",
    "merge",
]
