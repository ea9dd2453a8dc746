r"""Training loops: mini-batches and the descent that follows their gradients.

Full-batch, stochastic and mini-batch gradient descent differ only in how many examples each
step averages over, the batch :math:`B`:

.. math:: \theta \leftarrow \theta - \mathrm{lr}\;\frac{1}{|B|}\sum_{i\in B} \nabla \ell_i(\theta)

:math:`|B| = n` is batch gradient descent, :math:`|B| = 1` is SGD. Each *epoch* shuffles the
examples and visits every one once, in :math:`\lceil n/|B| \rceil` steps.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .losses import binary_cross_entropy_with_logits, softmax_cross_entropy
from .optim import LambdaLR, Optimizer, check_optimizer, lr_schedule
from .trajectories import Trajectory
from .validate import all_finite, in_range, int_at_least


def iterate_minibatches(n: int, batch_size: int, rng: np.random.Generator,
                        shuffle: bool = True) -> Iterator[np.ndarray]:
    """One epoch of index arrays: a permutation of ``range(n)`` (drawn from ``rng``) cut into
    batches of ``batch_size``; the last batch is shorter when ``batch_size`` does not divide n.

    >>> [b.tolist() for b in iterate_minibatches(5, 2, np.random.default_rng(0), shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    n, batch_size = int_at_least(n, "n"), int_at_least(batch_size, "batch_size")
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


@dataclass(frozen=True)
class MinibatchTrajectory(Trajectory):
    """A :class:`~mmlearn.trajectories.Trajectory` of parameters (k+1, d) with the *full-data* loss
    at each point and ``examples`` (k+1,): how many examples' gradients were computed so far."""

    examples: np.ndarray


def minibatch_descent(loss_and_grad: Callable[[np.ndarray, np.ndarray | None], tuple],
                      n: int, theta0, optimizer: Optimizer, batch_size: int, epochs: int,
                      seed: int = 0, schedule: Callable[[int], float] | None = None,
                      bound: float = 1e6) -> MinibatchTrajectory:
    """Follow mini-batch gradients of ``loss_and_grad(theta, idx) -> (loss, grad)`` (``idx``:
    the examples of the batch, or ``None`` for all n) for ``epochs`` epochs.

    Records the full-data loss after every step. Stops early, without a warning, when the
    parameters stop being finite or leave ``[-bound, bound]``. A ``schedule`` multiplies the
    learning rate per step (restored afterwards).
    """
    epochs = int_at_least(epochs, "epochs")
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=np.float64)
    params = {"theta": theta}
    thetas, full_losses, examples = [theta.copy()], [loss_and_grad(theta, None)[0]], [0]
    diverged_at = None
    with lr_schedule(optimizer, schedule) as scheduler, np.errstate(all="ignore"):
        for _ in range(epochs):
            for idx in iterate_minibatches(n, batch_size, rng):
                grad = loss_and_grad(theta, idx)[1]
                if not all_finite(grad):  # divergence (step() would raise on it)
                    diverged_at = len(thetas) - 1
                    break
                optimizer.step(params, {"theta": grad})
                thetas.append(theta.copy())
                full_losses.append(loss_and_grad(theta, None)[0])
                examples.append(examples[-1] + len(idx))
                if not np.max(np.abs(theta)) <= bound:  # also catches NaN
                    diverged_at = len(thetas) - 1
                    break
                scheduler.step()
            if diverged_at is not None:
                break
    return MinibatchTrajectory(np.array(thetas), np.array(full_losses), diverged_at,
                               np.array(examples))


# --- training a model: fit ----------------------------------------------------------------------

#: A loss this many times the first step's loss means the run has diverged.
DIVERGENCE_FACTOR = 1e6


@dataclass
class History:
    """What a training run did. Per optimizer step: ``step_loss`` (the mini-batch loss),
    ``samples_seen`` (examples whose gradients were computed so far) and ``step_time``
    (cumulative seconds spent training, evaluation excluded). Per epoch, from epoch 0 (before
    any step): ``metrics["train_loss"]``, ``["train_accuracy"]``, ``["val_loss"]``, ...
    ``diverged`` is True when a loss or gradient stopped being finite or the loss exploded
    (``diverged_at``: the step); ``best_epoch`` is the epoch with the lowest validation loss,
    when there is one."""

    step_loss: np.ndarray
    samples_seen: np.ndarray
    step_time: np.ndarray
    metrics: dict[str, np.ndarray]
    diverged_at: int | None = None
    stopped_early: bool = False
    best_epoch: int | None = None
    extras: dict = field(default_factory=dict)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def wall_time(self) -> float:
        """Seconds spent in training steps (not in evaluation)."""
        return float(self.step_time[-1]) if self.step_time.size else 0.0

    @property
    def epochs(self) -> int:
        """Epochs completed (``metrics`` arrays have ``epochs + 1`` entries)."""
        return len(next(iter(self.metrics.values()))) - 1 if self.metrics else 0

    @property
    def message(self) -> str:
        if self.diverged:
            return f"diverged at step {self.diverged_at}"
        done = f"{self.epochs} epochs, {len(self.step_loss)} steps"
        return done + (f", stopped early (best epoch {self.best_epoch})"
                       if self.stopped_early else "")


def train_loop(step: Callable[[np.ndarray], float], n: int, optimizer: Optimizer, epochs: int,
               batch_size: int, seed: int = 0, schedule: Callable[[int], float] | None = None,
               evaluate: Callable[[], dict[str, float]] | None = None,
               patience: int | None = None, snapshot: Callable[[], object] | None = None,
               restore: Callable[[object], None] | None = None) -> History:
    """The loop every ``fit`` shares: epochs of shuffled mini-batches.

    ``step(idx)`` does one optimizer step on the examples ``idx`` and returns the batch loss.
    A loss that is not finite, or grew past ``DIVERGENCE_FACTOR`` × the first one, stops
    training: divergence (a run can blow up and then sit on a finite plateau of dead ReLUs).
    ``evaluate()`` returns the per-epoch metrics; with ``patience``, training stops once
    ``val_loss`` has not improved for that many epochs and ``restore(snapshot())`` of the best
    epoch is put back.
    """
    n, epochs = int_at_least(n, "n"), int_at_least(epochs, "epochs")
    batch_size = int_at_least(batch_size, "batch_size")
    if patience is not None:
        patience = int_at_least(patience, "patience")
    rng = np.random.default_rng(seed)
    losses, seen, times, metrics = [], [], [], {}
    diverged_at, stopped_early, best, best_state, elapsed = None, False, (math.inf, None), None, 0.0

    def record(epoch: int) -> bool:  # True: stop (no progress for `patience` epochs)
        nonlocal best, best_state
        for name, value in (evaluate() if evaluate else {}).items():
            metrics.setdefault(name, []).append(value)
        val = metrics.get("val_loss", [math.inf])[-1]
        if val < best[0]:
            best = (val, epoch)
            best_state = snapshot() if (patience and snapshot) else None
        return bool(patience) and best[1] is not None and epoch - best[1] >= patience

    with lr_schedule(optimizer, schedule) as scheduler:
        record(0)
        for epoch in range(1, epochs + 1):
            for idx in iterate_minibatches(n, batch_size, rng):
                start = time.perf_counter()
                loss = step(idx)
                elapsed += time.perf_counter() - start
                losses.append(loss)
                seen.append((seen[-1] if seen else 0) + len(idx))
                times.append(elapsed)
                if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * max(losses[0], 1e-3):
                    diverged_at = len(losses)
                    break
                scheduler.step()
            if diverged_at is not None:
                break
            if record(epoch):
                stopped_early = True
                break
    if stopped_early and restore is not None and best_state is not None:
        restore(best_state)
    return History(np.array(losses), np.array(seen, dtype=np.int64), np.array(times),
                   {k: np.array(v) for k, v in metrics.items()}, diverged_at, stopped_early,
                   best[1] if "val_loss" in metrics else None)


CLASSIFICATION_LOSSES = (softmax_cross_entropy, binary_cross_entropy_with_logits)


def accuracy(outputs: np.ndarray, y: np.ndarray) -> float:
    """Share of correct predictions: argmax of (n, k) logits, or logit > 0 for (n,) logits."""
    pred = outputs.argmax(axis=1) if outputs.ndim == 2 else (outputs > 0).astype(y.dtype)
    return float(np.mean(pred == y))


def _batch(X, idx):
    return tuple(None if x is None else x[idx] for x in X)


def fit(model, loss: Callable, optimizer: Optimizer, X, y, epochs: int = 10,
        batch_size: int = 32, seed: int = 0, schedule: Callable[[int], float] | None = None,
        val: tuple | None = None, patience: int | None = None,
        augment: Callable[[tuple, np.random.Generator], tuple] | None = None) -> History:
    """Train ``model`` (``forward``/``backward``/``params``/``grads``, e.g. an
    :class:`~mmlearn.nn.MLP`) on ``X`` (n, d) — or a tuple of inputs, passed to
    ``model.forward(*inputs)`` — and targets ``y`` (n, ...), minimising ``loss(outputs, y) ->
    (value, grad)`` with ``optimizer`` (any :mod:`mmlearn.optim` optimizer, a Blend too).

    Per step: forward, loss, backward, ``optimizer.step(model.params, model.grads)``. Per epoch:
    loss (and accuracy, for a classification loss) on the whole training set and on
    ``val = (X_val, y_val)``. Stops, without a warning, when the loss or a gradient stops
    being finite or the loss explodes (``History.diverged``). ``patience``: early stopping on
    the validation loss, restoring the best epoch's parameters. ``augment(inputs, rng) ->
    inputs`` changes each training batch (never the evaluation), e.g. modality dropout in
    :mod:`mmlearn.fusion`.
    """
    check_optimizer(optimizer, "optimizer")
    inputs = X if isinstance(X, tuple) else (X,)
    y = np.asarray(y)
    lengths = {len(x) for x in inputs if x is not None} | {len(y)}
    if len(lengths) != 1:
        raise ValueError(f"X and y must have the same number of examples, got lengths "
                         f"{sorted(lengths)}")
    if patience is not None and val is None:
        raise ValueError("patience (early stopping) needs val=(X_val, y_val)")
    val_inputs = None if val is None else (val[0] if isinstance(val[0], tuple) else (val[0],))
    classify = loss in CLASSIFICATION_LOSSES

    augment_rng = np.random.default_rng([seed, 1])

    def step(idx):
        batch = _batch(inputs, idx)
        outputs = model.forward(*(augment(batch, augment_rng) if augment else batch))
        if not all_finite(outputs):
            return math.nan
        value, dout = loss(outputs, y[idx])
        model.backward(dout)
        if not all(all_finite(g) for g in model.grads.values()):
            return math.nan
        optimizer.step(model.params, model.grads)
        return value

    def evaluate_on(name, xs, ys):
        outputs = model.forward(*xs)
        if not all_finite(outputs):
            return {f"{name}_loss": math.nan}
        out = {f"{name}_loss": loss(outputs, ys)[0]}
        if classify:
            out[f"{name}_accuracy"] = accuracy(outputs, ys)
        return out

    def evaluate():
        out = evaluate_on("train", inputs, y)
        return out if val is None else {**out, **evaluate_on("val", val_inputs,
                                                              np.asarray(val[1]))}

    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported, not warned
        return train_loop(step, len(y), optimizer, epochs, batch_size, seed, schedule, evaluate,
                          patience, model.get_params, model.set_params)


def ema(values, smoothing: float = 0.9) -> np.ndarray:
    r"""Bias-corrected exponential moving average, :math:`a_k = s\,a_{k-1} + (1-s)\,v_k`,
    divided by :math:`1 - s^{k}` (Adam's correction), so the first values are not pulled to 0.

    >>> ema([1.0, 1.0, 1.0]).tolist()
    [1.0, 1.0, 1.0]
    """
    smoothing = in_range(smoothing, "smoothing", 0.0, 1.0, hi_open=True)
    out, average = np.empty(len(values)), 0.0
    for k, value in enumerate(values):
        average = smoothing * average + (1 - smoothing) * value
        out[k] = average / (1 - smoothing ** (k + 1))
    return out


# --- the learning-rate range test -----------------------------------------------------------

@dataclass(frozen=True)
class LRRangeTest:
    """``lrs`` (k,) tried one per step, the mini-batch ``losses`` (k,) and their exponential
    moving average ``smoothed`` (as :func:`ema`); ``suggestion`` = (the lr of the lowest
    smoothed loss) / 10."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray

    @property
    def suggestion(self) -> float:
        return float(self.lrs[int(np.argmin(self.smoothed))] / 10.0)


def lr_range_test(model, loss: Callable, optimizer: Optimizer, X, y, lr_min: float = 1e-5,
                  lr_max: float = 10.0, steps: int = 100, batch_size: int = 32, seed: int = 0,
                  smoothing: float = 0.9) -> LRRangeTest:
    r"""Smith's (2017) range test: train ``model`` for ``steps`` mini-batch steps while the
    learning rate grows geometrically, :math:`\mathrm{lr}_k = \mathrm{lr}_{min}
    (\mathrm{lr}_{max}/\mathrm{lr}_{min})^{k/(\text{steps}-1)}`, recording the loss. It stops
    early once the smoothed loss exceeds 4× its minimum (or stops being finite). The model is
    changed (use a fresh one afterwards); the optimizer's learning rates are restored. For a
    composite optimizer, the first leaf gets exactly ``lr_k`` and the others keep their ratio.
    """
    check_optimizer(optimizer, "optimizer")
    steps = int_at_least(steps, "steps", 2)
    ratio = in_range(lr_max, "lr_max", lo_open=True) / in_range(lr_min, "lr_min", lo_open=True)
    if ratio <= 1:
        raise ValueError(f"lr_max must be > lr_min, got {lr_max} and {lr_min}")
    first_lr = optimizer.leaves()[0].lr
    if first_lr <= 0:
        raise ValueError("the optimizer's lr must be > 0 (it sets the composite's ratios)")

    def schedule(k):  # lr_k as a factor of the first leaf's lr
        return lr_min * ratio ** (k / (steps - 1)) / first_lr

    rng, y = np.random.default_rng(seed), np.asarray(y)

    def batches():  # as many epochs as the steps need
        while True:
            yield from iterate_minibatches(len(y), batch_size, rng)

    lrs, losses, smoothed, average = [], [], [], 0.0
    with LambdaLR(optimizer, schedule) as scheduler, np.errstate(over="ignore", invalid="ignore"):
        for k, idx in zip(range(steps), batches()):
            lrs.append(optimizer.leaves()[0].lr)
            outputs = model.forward(X[idx])
            if not all_finite(outputs):
                losses.append(math.nan)
                smoothed.append(math.inf)
                break
            value, dout = loss(outputs, y[idx])
            model.backward(dout)
            optimizer.step(model.params, model.grads)
            average = smoothing * average + (1 - smoothing) * value
            losses.append(value)
            smoothed.append(average / (1 - smoothing ** (k + 1)))  # bias-corrected
            if not smoothed[-1] <= 4 * min(smoothed):  # also catches NaN
                break
            scheduler.step()
    return LRRangeTest(np.array(lrs), np.array(losses), np.array(smoothed))
