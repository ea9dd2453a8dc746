r"""Training loops: mini-batches and the descent that follows their gradients.

Full-batch, stochastic and mini-batch gradient descent differ only in how many examples each
step averages over, the batch :math:`B`:

.. math:: \theta \leftarrow \theta - \mathrm{lr}\;\frac{1}{|B|}\sum_{i\in B} \nabla \ell_i(\theta)

:math:`|B| = n` is batch gradient descent, :math:`|B| = 1` is SGD. Each *epoch* shuffles the
examples and visits every one once, in :math:`\lceil n/|B| \rceil` steps.

One loop, :func:`train_loop`, runs every kind of training in the package: :func:`fit` (a model
and a loss), :func:`minibatch_descent` (a parameter vector and a loss function),
:func:`lr_range_test`, and the models' own ``fit`` methods (:mod:`mmlearn.nn`,
:mod:`mmlearn.fusion`, :mod:`mmlearn.multitask`). It shuffles, calls one step per mini-batch,
applies a learning-rate schedule, detects divergence, evaluates after every epoch and stops early.
"""

from __future__ import annotations

import difflib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from . import validate
from .optim import Adam, Optimizer, check_optimizer, lr_schedule
from .trajectories import Trajectory
from .validate import all_finite, boolean, float_array, function, in_range, int_at_least

#: A loss this many times the first step's loss means the run has diverged.
DIVERGENCE_FACTOR = 1e6


def iterate_minibatches(
    n: int, batch_size: int, rng: np.random.Generator, shuffle: bool = True
) -> Iterator[np.ndarray]:
    """One epoch of index arrays: a permutation of ``range(n)`` (drawn from ``rng``, a
    ``np.random.Generator``) cut into batches of ``batch_size``; the last batch is shorter when
    ``batch_size`` does not divide n.

    >>> [b.tolist() for b in iterate_minibatches(5, 2, np.random.default_rng(0), shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    n, batch_size = int_at_least(n, "n"), int_at_least(batch_size, "batch_size")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a np.random.Generator, e.g. np.random.default_rng(0), got "
            f"{type(rng).__name__}"
        )
    order = rng.permutation(n) if boolean(shuffle, "shuffle") else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


# --- the loop -----------------------------------------------------------------------------------


@dataclass
class History:
    """What a training run did. Per optimizer step: ``step_loss`` (the mini-batch loss),
    ``samples_seen`` (examples whose gradients were computed so far), ``step_time``
    (cumulative seconds spent training, evaluation excluded) and ``extras`` (whatever else the
    step reported, e.g. each task's loss in :mod:`mmlearn.multitask`). Per epoch, from epoch 0
    (before any step): ``metrics["train_loss"]``, ``["train_accuracy"]``, ``["val_loss"]``, ...
    ``diverged`` is True when a loss or gradient stopped being finite or the loss exploded
    (``diverged_at``: the step); ``best_epoch`` is the epoch with the lowest validation loss,
    when there is one; ``stopped_early``: patience ran out (and the best epoch was restored)."""

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
        return done + (
            f", stopped early (best epoch {self.best_epoch})" if self.stopped_early else ""
        )


def step_if_finite(optimizer: Optimizer, params: dict, grads: dict, loss: float) -> float:
    """One ``optimizer.step(params, grads)`` — unless the loss or a gradient is not finite: then
    nothing moves and the loss comes back as NaN, which :func:`train_loop` reports as
    divergence (instead of the optimizer raising on a NaN gradient)."""
    if not (math.isfinite(loss) and all(all_finite(g) for g in grads.values())):
        return math.nan
    optimizer.step(params, grads)
    return loss


def _stack(values: list):
    """Per-step values as arrays: numbers (or arrays) -> one array; dicts -> a dict of arrays."""
    if isinstance(values[0], dict):
        return {key: np.array([v[key] for v in values]) for key in values[0]}
    return np.array(values)


def train_loop(
    step: Callable[[np.ndarray], tuple[float, dict]],
    n: int,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
    evaluate: Callable[[], dict[str, float]] | None = None,
    patience: int | None = None,
    params: dict[str, np.ndarray] | None = None,
    stop: Callable[[list[float]], bool] | None = None,
) -> History:
    """The loop every training run shares: ``epochs`` epochs of shuffled mini-batches of the n
    examples (shuffled by ``numpy.random.default_rng(seed)``). It starts from a fresh optimizer
    state: once the arguments are checked it calls ``optimizer.reset()``, so every function that
    trains through it (:func:`fit`, the models' ``fit``, :func:`minibatch_descent`,
    :func:`lr_range_test`) gives the same result whether the optimizer is new or used.

    ``step(idx) -> (loss, extras)`` does one optimizer step on the examples ``idx`` and returns
    the batch loss and a dict of anything else to record for this step (``{}`` if nothing):
    ``History.extras[name]`` stacks the values into an array (a dict of numbers into a dict of
    arrays). A loss that is not finite, or grew past ``DIVERGENCE_FACTOR`` × the first one, ends
    training: divergence (a run can blow up and then sit on a finite plateau of dead ReLUs).
    ``schedule(k)`` multiplies every learning rate at step k; the optimizer's learning rates are
    restored afterwards, even if a step raises. ``evaluate()`` returns the metrics recorded after
    every epoch (and before the first). With ``patience``, training stops once
    ``metrics["val_loss"]`` has not improved for that many epochs, and the best epoch's
    ``params`` (copied then) are written back in place. ``stop(step_losses)``, asked after every
    step, ends training when it returns True (:func:`lr_range_test` uses it).
    """
    function(step, "step")
    check_optimizer(optimizer, "optimizer")
    n, epochs = int_at_least(n, "n"), int_at_least(epochs, "epochs")
    batch_size = int_at_least(batch_size, "batch_size")
    for name, fn in (("evaluate", evaluate), ("stop", stop)):
        if fn is not None:
            function(fn, name)
    if patience is not None:
        patience = int_at_least(patience, "patience")
        if evaluate is None or params is None:
            raise ValueError("patience (early stopping) needs evaluate and params")
    rng = np.random.default_rng(validate.seed(seed))
    optimizer.reset()
    losses, seen, times, extras, metrics = [], [], [], {}, {}
    diverged_at, stopped_early, elapsed = None, False, 0.0
    best_loss, best_epoch, best_params = math.inf, None, None

    def train_epoch(scheduler) -> bool:
        """One pass over the shuffled examples; True when training must end here."""
        nonlocal diverged_at, elapsed
        for idx in iterate_minibatches(n, batch_size, rng):
            start = time.perf_counter()
            loss, values = step(idx)
            elapsed += time.perf_counter() - start
            losses.append(loss)
            seen.append((seen[-1] if seen else 0) + len(idx))
            times.append(elapsed)
            for name, value in values.items():
                extras.setdefault(name, []).append(value)
            if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * max(losses[0], 1e-3):
                diverged_at = len(losses)
                return True
            if stop is not None and stop(losses):
                return True
            scheduler.step()
        return False

    def end_epoch(epoch: int) -> bool:
        """Record the epoch's metrics; True when patience has run out."""
        nonlocal best_loss, best_epoch, best_params, stopped_early
        for name, value in (evaluate() if evaluate is not None else {}).items():
            metrics.setdefault(name, []).append(value)
        if "val_loss" in metrics and metrics["val_loss"][-1] < best_loss:
            best_loss, best_epoch = metrics["val_loss"][-1], epoch
            if patience is not None:
                best_params = {name: p.copy() for name, p in params.items()}
        stopped_early = (
            patience is not None and best_epoch is not None and epoch - best_epoch >= patience
        )
        return stopped_early

    # leaving the block restores the learning rates, even after an error; divergence is
    # reported, not warned
    with (
        lr_schedule(optimizer, schedule) as scheduler,
        np.errstate(over="ignore", invalid="ignore"),
    ):
        end_epoch(0)
        for epoch in range(1, epochs + 1):
            if train_epoch(scheduler) or end_epoch(epoch):
                break
    if stopped_early:
        for name, p in params.items():
            p[...] = best_params[name]  # in place: an optimizer keeps references to params
    return History(
        np.array(losses),
        np.array(seen, dtype=np.int64),
        np.array(times),
        {name: np.array(v) for name, v in metrics.items()},
        diverged_at,
        stopped_early,
        best_epoch,
        {name: _stack(v) for name, v in extras.items()},
    )


# --- mini-batch descent on a parameter vector ---------------------------------------------------


@dataclass(frozen=True)
class MinibatchTrajectory(Trajectory):
    """A :class:`~mmlearn.trajectories.Trajectory` of parameters (k+1, d) with the *full-data* loss
    at each point and ``examples`` (k+1,): how many examples' gradients were computed so far.
    ``diverged_at``: the step at which the mini-batch loss (or gradient) stopped being finite or
    exploded (:func:`train_loop`'s rule); its point is the last one kept."""

    examples: np.ndarray


def minibatch_descent(
    loss_and_grad: Callable[[np.ndarray, np.ndarray | None], tuple],
    n: int,
    theta0,
    optimizer: Optimizer,
    batch_size: int,
    epochs: int,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
) -> MinibatchTrajectory:
    """Follow mini-batch gradients of ``loss_and_grad(theta, idx) -> (loss, grad)`` (``idx``:
    the examples of the batch, or ``None`` for all n) for ``epochs`` epochs, from ``theta0``.

    Records the point and the full-data loss after every step. Stops early, without a warning,
    when the run diverges. A ``schedule`` multiplies the learning rate per step (restored
    afterwards). Starts from a fresh optimizer state (see :func:`train_loop`).
    """
    function(loss_and_grad, "loss_and_grad")
    check_optimizer(optimizer, "optimizer")
    theta = float_array(theta0, "theta0").copy()  # a copy: the caller's theta0 stays as it is
    params = {"theta": theta}
    theta_0, loss_0 = theta.copy(), loss_and_grad(theta, None)[0]

    def step(idx):
        value, grad = loss_and_grad(theta, idx)
        value = step_if_finite(optimizer, params, {"theta": np.asarray(grad)}, value)
        return value, {"theta": theta.copy(), "full_loss": loss_and_grad(theta, None)[0]}

    history = train_loop(step, n, optimizer, epochs, batch_size, seed, schedule)
    return MinibatchTrajectory(
        np.vstack([theta_0, history.extras["theta"]]),
        np.append(loss_0, history.extras["full_loss"]),
        history.diverged_at,
        np.append(0, history.samples_seen),
    )


# --- training a model: fit ----------------------------------------------------------------------


def accuracy(outputs: np.ndarray, y: np.ndarray) -> float:
    """Share of correct predictions: argmax of (n, k) logits, or logit > 0 for (n,) logits."""
    pred = outputs.argmax(axis=1) if outputs.ndim == 2 else (outputs > 0).astype(y.dtype)
    return float(np.mean(pred == y))


def r_squared(outputs: np.ndarray, y: np.ndarray) -> float:
    r"""Coefficient of determination :math:`R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2`
    of a regression: 1 is perfect, 0 is as good as predicting the mean.

    >>> r_squared(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    1.0
    """
    y = np.asarray(y, dtype=np.float64).reshape(outputs.shape)
    return float(1.0 - np.sum((y - outputs) ** 2) / np.sum((y - y.mean()) ** 2))


def default_metrics(y) -> dict[str, Callable]:
    """The per-epoch metrics :func:`fit` records besides the loss: ``accuracy`` when ``y``
    holds integer class labels (a classification), none otherwise (e.g. a regression)."""
    return {"accuracy": accuracy} if np.issubdtype(np.asarray(y).dtype, np.integer) else {}


def as_inputs(X) -> tuple:
    """The model's inputs as a tuple: ``X`` itself if it is a tuple (several inputs, e.g.
    ``(images, texts)``), else ``(X,)``."""
    return X if isinstance(X, tuple) else (X,)


def check_fit_arguments(
    optimizer: Optimizer | None,
    epochs: int,
    batch_size: int,
    val: tuple | None,
    patience: int | None,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
) -> Optimizer:
    """Check the options every ``fit`` shares, before any model is built or changed. Returns
    the optimizer: ``Adam(lr=3e-3)`` when it is None (the default of every model's ``fit``)."""
    int_at_least(epochs, "epochs")
    int_at_least(batch_size, "batch_size")
    validate.seed(seed)
    if schedule is not None:
        function(schedule, "schedule")
    if val is not None and not (isinstance(val, (tuple, list)) and len(val) == 2):
        got = (
            f"a {type(val).__name__} of length {len(val)}"
            if isinstance(val, (tuple, list))
            else type(val).__name__
        )
        raise ValueError(
            f"val must be a pair (X_val, y_val), X_val in the same form as X, got {got}"
        )
    if patience is not None:
        int_at_least(patience, "patience")
        if val is None:
            raise ValueError("patience (early stopping) needs val=(X_val, y_val)")
    return Adam(lr=3e-3) if optimizer is None else check_optimizer(optimizer, "optimizer")


FIT_KEYWORDS = ("optimizer", "epochs", "batch_size", "seed", "schedule", "val", "patience")


def check_fit_keywords(model_name: str, options: dict, own: list[str]) -> None:
    """Refuse the keywords of a ``fit`` call that the model does not take (``own``: the ones it
    adds to :data:`FIT_KEYWORDS`), naming each, with a likely intended name (``epoch`` ->
    ``epochs``) and, for ``lr``, where the learning rate goes."""
    allowed = [*FIT_KEYWORDS, *own]
    unknown = [name for name in options if name not in allowed]
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, allowed, n=1)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    message = (
        f"{model_name}.fit takes {', '.join(allowed[:-1])} and {allowed[-1]}, "
        f"not {', '.join(hints)}"
    )
    if "lr" in unknown:
        message += "; the learning rate is the optimizer's: fit(X, y, mm.optim.Adam(lr=0.01))"
    raise TypeError(message)


def check_examples(X, y, x_name: str = "X", y_name: str = "y") -> tuple[tuple, np.ndarray]:
    """``(inputs, y)`` checked before any training: every input (``X``, or each array of a
    tuple ``X``; None is allowed) a finite float array, ``y`` finite numbers (integer labels
    stay integers), all with the same number of examples, at least one."""
    if isinstance(X, tuple):  # several inputs; a missing one (None) is passed on as None
        names = [f"{x_name}[{i}]" for i in range(len(X))]
        inputs = tuple(None if x is None else float_array(x, name) for x, name in zip(X, names))
    else:
        names, inputs = [x_name], (float_array(X, x_name),)
    y_float = float_array(y, y_name)
    y = np.asarray(y) if np.issubdtype(np.asarray(y).dtype, np.integer) else y_float
    arrays = {**dict(zip(names, inputs)), y_name: y}
    for name, a in arrays.items():
        if a is not None and a.ndim == 0:
            raise ValueError(f"{name} must hold one entry per example (an array), got a number")
    if validate.same_length(arrays) == 0:
        raise ValueError(f"{x_name} and {y_name} hold no examples: training needs at least one")
    return inputs, y


def check_trainable(model, loss: Callable) -> None:
    """A TypeError naming ``model`` or ``loss`` unless the model has what training needs
    (``params``, ``grads``, ``forward``, ``backward``) and the loss is a function; a ValueError
    if it has no parameters yet (a fusion model before its first ``fit``)."""
    missing = [a for a in ("params", "grads", "forward", "backward") if not hasattr(model, a)]
    if missing:
        raise TypeError(
            f"model must be a trainable model such as mm.nn.MLP (with params, "
            f"grads, forward and backward), got {type(model).__name__} without "
            f"{', '.join(missing)}"
        )
    if not model.params:
        raise ValueError(
            f"model has no parameters yet: a {type(model).__name__} builds its layers for the "
            f"data in its first fit(...) — call its fit once (one epoch is enough), then pass it"
        )
    function(loss, "loss")


def minibatch_step(
    model,
    loss: Callable,
    optimizer: Optimizer,
    inputs: tuple,
    y: np.ndarray,
    augment: Callable[[tuple, np.random.Generator], tuple] | None = None,
    seed: int = 0,
) -> Callable[[np.ndarray], tuple[float, dict]]:
    """:func:`fit`'s step, for :func:`train_loop`: on the examples ``idx``, forward, loss,
    backward, ``optimizer.step(model.params, model.grads)``; returns ``(batch loss, {})``.
    ``augment(batch, rng)`` changes each batch first (``rng`` drawn from ``seed``)."""
    rng = np.random.default_rng([seed, 1])

    def step(idx):
        batch = tuple(None if x is None else x[idx] for x in inputs)
        outputs = model.forward(*(augment(batch, rng) if augment else batch))
        if not all_finite(outputs):  # diverged: the loss function would reject these outputs
            return math.nan, {}
        value, dout = loss(outputs, y[idx])
        model.backward(dout)
        return step_if_finite(optimizer, model.params, model.grads, value), {}

    return step


def evaluator(
    model, loss: Callable, sets: dict[str, tuple], metrics: dict[str, Callable] | None = None
) -> Callable[[], dict[str, float]]:
    """:func:`fit`'s ``evaluate``, for :func:`train_loop`: for every set ``name: (inputs, y)``
    of ``sets`` (``"train"``, ``"val"``), ``f"{name}_loss"`` and ``f"{name}_{metric}"`` for
    each ``metric(outputs, y)`` of ``metrics`` (default :func:`default_metrics` of the
    training targets); NaN where the outputs are not finite (a diverged run)."""
    metrics = default_metrics(sets["train"][1]) if metrics is None else metrics

    def evaluate():
        out = {}
        for name, (xs, ys) in sets.items():
            outputs = model.forward(*xs)
            finite = all_finite(outputs)
            out[f"{name}_loss"] = loss(outputs, ys)[0] if finite else math.nan
            for metric, fn in metrics.items():
                out[f"{name}_{metric}"] = fn(outputs, ys) if finite else math.nan
        return out

    return evaluate


def fit(
    model,
    loss: Callable,
    optimizer: Optimizer | None,
    X,
    y,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
    val: tuple | None = None,
    patience: int | None = None,
    augment: Callable[[tuple, np.random.Generator], tuple] | None = None,
    metrics: dict[str, Callable] | None = None,
) -> History:
    """Train ``model`` (anything with ``params``, ``grads``, ``forward``, ``backward``, e.g. an
    :class:`~mmlearn.nn.MLP`) on ``X`` (n, d) — or a tuple of inputs, passed to
    ``model.forward(*inputs)`` — and targets ``y`` (n, ...), minimising ``loss(outputs, y) ->
    (value, grad)`` with ``optimizer`` (any :mod:`mmlearn.optim` optimizer, a Blend too;
    None: ``Adam(lr=3e-3)``). A :class:`~mmlearn.nn.Classifier`'s ``fit`` trains the same
    way, with its own loss.

    Per step: forward, loss, backward, ``optimizer.step(model.params, model.grads)``. Per epoch:
    the loss and ``metrics`` (``{name: metric(outputs, y)}``; default
    :func:`default_metrics`: accuracy for integer labels) on the whole training set and on
    ``val = (X_val, y_val)``. Stops, without a warning, when the loss or a gradient stops
    being finite or the loss explodes (``History.diverged``). ``patience``: early stopping on
    the validation loss, restoring the best epoch's parameters. ``augment(inputs, rng) ->
    inputs`` changes each training batch (never the evaluation), e.g. modality dropout in
    :mod:`mmlearn.fusion`. ``X``, ``y`` and ``val`` may be lists (converted to arrays). Every
    argument is checked before the model or the optimizer changes, and training starts from a
    fresh optimizer state (see :func:`train_loop`).
    """
    optimizer = check_fit_arguments(optimizer, epochs, batch_size, val, patience, seed, schedule)
    check_trainable(model, loss)
    inputs, y = check_examples(X, y)
    sets = {"train": (inputs, y)}
    if val is not None:
        sets["val"] = check_examples(*val, "val[0]", "val[1]")
    step = minibatch_step(model, loss, optimizer, inputs, y, augment, seed)
    evaluate = evaluator(model, loss, sets, metrics)
    return train_loop(
        step,
        len(y),
        optimizer,
        epochs,
        batch_size,
        seed,
        schedule,
        evaluate,
        patience,
        model.params,
    )


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
        return float(self.lrs[int(np.nanargmin(self.smoothed))] / 10.0)


def lr_range_test(
    model,
    loss: Callable,
    optimizer: Optimizer,
    X,
    y,
    lr_min: float = 1e-5,
    lr_max: float = 10.0,
    steps: int = 100,
    batch_size: int = 32,
    seed: int = 0,
    smoothing: float = 0.9,
) -> LRRangeTest:
    r"""Smith's (2017) range test: train ``model`` for ``steps`` mini-batch steps while the
    learning rate grows geometrically, :math:`\mathrm{lr}_k = \mathrm{lr}_{min}
    (\mathrm{lr}_{max}/\mathrm{lr}_{min})^{k/(\text{steps}-1)}`, recording the loss. It stops
    early once the smoothed loss exceeds 4× its minimum (or the run diverges). ``X`` and ``y``
    as in :func:`fit` (a tuple of inputs too). The model is changed (use a fresh one
    afterwards); the optimizer's learning rates are restored, and the test starts from a fresh
    optimizer state (see :func:`train_loop`). For a composite optimizer, the first leaf gets
    exactly ``lr_k`` and the others keep their ratio.
    """
    check_optimizer(optimizer, "optimizer")
    check_trainable(model, loss)
    validate.seed(seed)
    steps = int_at_least(steps, "steps", 2)
    ratio = in_range(lr_max, "lr_max", lo_open=True) / in_range(lr_min, "lr_min", lo_open=True)
    if ratio <= 1:
        raise ValueError(f"lr_max must be > lr_min, got {lr_max} and {lr_min}")
    in_range(smoothing, "smoothing", 0.0, 1.0, hi_open=True)
    first_lr = optimizer.leaves()[0].lr
    if first_lr <= 0:
        raise ValueError("the optimizer's lr must be > 0 (it sets the composite's ratios)")
    inputs, y = check_examples(X, y)

    def lr_at(k: int) -> float:
        return lr_min * ratio ** (k / (steps - 1))

    def stop(losses: list[float]) -> bool:
        smoothed = ema(losses, smoothing)
        return len(losses) == steps or not smoothed[-1] <= 4 * smoothed.min()

    steps_per_epoch = math.ceil(len(y) / int_at_least(batch_size, "batch_size"))
    epochs = math.ceil(steps / steps_per_epoch)  # enough epochs for `steps` steps
    history = train_loop(
        minibatch_step(model, loss, optimizer, inputs, y),
        len(y),
        optimizer,
        epochs,
        batch_size,
        seed,
        schedule=lambda k: lr_at(k) / first_lr,
        stop=stop,
    )
    lrs = np.array([lr_at(k) for k in range(len(history.step_loss))])
    return LRRangeTest(lrs, history.step_loss, ema(history.step_loss, smoothing))
