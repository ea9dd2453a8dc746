r"""Multi-task learning: one shared trunk, one head per task, and how to weigh the tasks.

Article B writes the multi-task objective as :math:`\min_\theta \sum_t \lambda_t L_t`. The trunk's
parameters :math:`\theta` receive :math:`\sum_t \lambda_t \nabla_\theta L_t`: when one loss is
much larger than the others (a regression in squared pixels next to a cross-entropy), or when two
task gradients point in opposite directions, one task wins and the other starves. Weightings:

- :class:`Fixed` — hand-chosen :math:`\lambda_t`.
- :class:`Uncertainty` (Kendall, Gal & Cipolla 2018): learn :math:`s_t = \log\sigma_t^2` with
  :math:`L = \sum_t e^{-s_t} L_t + s_t`; at the optimum :math:`e^{-s_t} = 1/L_t`, so each task is
  weighted by the inverse of its own loss scale.
- :class:`GradNorm` (Chen et al. 2018): move the weights so that every task's gradient norm on
  the last shared layer, :math:`G_t = \|\nabla_W \lambda_t L_t\|`, approaches
  :math:`\bar G\, r_t^{\alpha}`, with :math:`r_t` the task's relative inverse training rate.
- :class:`PCGrad` (Yu et al. 2020): where two task gradients conflict
  (:math:`g_i \cdot g_j < 0`), project each onto the normal plane of the other before summing.

``MultiTaskNet.fit`` records, per step, each task's loss, the weights and the cosine between the
task gradients on the shared trunk — negative cosine is conflict.
"""

from __future__ import annotations

import math

import numpy as np

from . import train, validate
from .losses import mse, softmax_cross_entropy
from .nn import Linear, Model, Sequential, dense, merge
from .optim import Adam, Optimizer
from .validate import float_array, in_range, int_at_least, labels, same_shape

LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mse}


def _flat(grads: dict) -> np.ndarray:
    return np.concatenate([g.ravel() for g in grads.values()])


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    r""":math:`\cos(a, b) = a\cdot b / (\|a\|\,\|b\|)` (0 if either is zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    same_shape(a, b, "a", "b")
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norms if norms > 0 else 0.0


class MultiTaskNet(Model):
    """``MultiTaskNet(64, trunk=(64,), tasks={"digit": (10, "cross_entropy"),
    "ink": (1, "mse")})``: ``h = trunk(X)`` (ReLU layers), ``outputs[t] = h W_t + b_t``.

    A :class:`~mmlearn.nn.Model` whose targets, outputs, predictions and scores are dicts task
    -> array: ``fit(X, Y, optimizer=None, *, weighting=None, epochs=10, ...)`` with ``Y = {task:
    targets (n,)}`` (``weighting``: see :meth:`start_fit`); ``predict(X)`` gives each task's
    class labels (cross-entropy) or values (mse); ``score(X, Y)`` each task's accuracy
    (cross-entropy) or :math:`R^2` (mse). ``backward(dout)`` takes ``{task: dL/d
    outputs[task]}``. ``params`` keys: ``"trunk.W1"``, ..., ``"digit.W"``, ``"digit.b"``, ...
    """

    def __init__(
        self,
        input_size: int,
        tasks: dict[str, tuple[int, str]],
        trunk: tuple[int, ...] = (64,),
        seed: int = 0,
    ) -> None:
        input_size = int_at_least(input_size, "input_size")
        if not isinstance(tasks, dict) or not tasks:
            raise ValueError("tasks must be a non-empty dict name -> (outputs, loss)")
        if not isinstance(trunk, (tuple, list)) or not trunk:
            raise TypeError(
                f"trunk must be a tuple of hidden-layer sizes, at least one, e.g. "
                f"(64,), got {trunk!r}"
            )
        rng = np.random.default_rng(validate.seed(seed))
        sizes = [input_size] + [int_at_least(h, f"trunk[{i}]") for i, h in enumerate(trunk)]
        blocks = [dense(a, b, seed=rng) for a, b in zip(sizes[:-1], sizes[1:])]
        self.trunk = Sequential([layer for block in blocks for layer in block.layers])
        self.tasks, self.heads = {}, {}
        for name, spec in tasks.items():
            if not (isinstance(spec, (tuple, list)) and len(spec) == 2):
                raise TypeError(
                    f"tasks[{name!r}] must be a pair (outputs, loss), e.g. "
                    f"(10, 'cross_entropy'), got {spec!r}"
                )
            outputs, loss = spec
            if loss not in LOSSES:
                raise ValueError(
                    f"the loss of task {name!r} must be one of {sorted(LOSSES)}, got {loss!r}"
                )
            fewest = 2 if loss == "cross_entropy" else 1  # one class is no classification
            self.tasks[name] = (int_at_least(outputs, f"outputs of task {name!r}", fewest), loss)
            self.heads[name] = Linear(sizes[-1], outputs, init="xavier", seed=rng)
        self.params, self.grads = merge({"trunk": self.trunk, **self.heads})
        self.last_shared = f"trunk.W{len(blocks)}"  # where GradNorm measures gradient norms

    def forward(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Each task's outputs (n, outputs) for the batch X (n, input_size)."""
        self._h = self.trunk.forward(X)
        return {name: head.forward(self._h) for name, head in self.heads.items()}

    def backward(self, dout: dict[str, np.ndarray]) -> np.ndarray:
        """Fill ``grads`` from ``{task: dL/d outputs[task]}``: each head gets its own task's
        gradient, the trunk the sum over tasks of what the heads pass back. Returns dL/dX."""
        if not isinstance(dout, dict) or set(dout) != set(self.tasks):
            raise ValueError(
                f"dout must be a dict with the tasks {sorted(self.tasks)}, got "
                f"{sorted(dout) if isinstance(dout, dict) else type(dout).__name__}"
            )
        dh = sum(self.heads[name].backward(dout[name]) for name in self.tasks)
        return self.trunk.backward(dh)

    def task_losses(self, outputs: dict, Y: dict) -> dict[str, tuple[float, np.ndarray]]:
        """``{task: (L_t, dL_t/d outputs_t)}``."""
        out = {}
        for name, (_, loss) in self.tasks.items():
            target = Y[name] if loss == "cross_entropy" else Y[name].reshape(outputs[name].shape)
            out[name] = LOSSES[loss](outputs[name], target)
        return out

    def task_gradients(self, X, Y) -> tuple[dict[str, float], dict[str, dict]]:
        """Forward once, then backward once per task: ``losses[t]`` and ``grads[t]`` (each a
        full params-shaped dict of :math:`\\nabla L_t`: a backward pass in which the other
        tasks' outputs get a zero gradient, so their heads' gradients are zero). On outputs that
        are not finite (a diverged run) the losses are NaN and there are no gradients."""
        outputs = self.forward(X)
        if not all(np.isfinite(out).all() for out in outputs.values()):
            return {name: math.nan for name in self.tasks}, {}
        losses = self.task_losses(outputs, Y)
        grads = {}
        for name, (_, dout) in losses.items():
            self.backward({t: dout if t == name else np.zeros_like(outputs[t]) for t in self.tasks})
            grads[name] = {key: g.copy() for key, g in self.grads.items()}
        return {name: value for name, (value, _) in losses.items()}, grads

    # --- training: the hooks of Model.fit ---------------------------------------------------
    def check_examples(self, X, Y, x_name: str, y_name: str) -> tuple[tuple, dict]:
        """``((X,), Y)``: X a float array (n, d) and ``Y = {task: targets (n,)}`` checked."""
        X = float_array(X, x_name)
        Y_name = "Y" if y_name == "y" else y_name  # the targets are a dict, Y
        return (X,), self._check_targets(X, Y, Y_name)

    def start_fit(self, sets: dict, seed: int, weighting=None) -> tuple[MultiTaskNet, dict]:
        """``fit(X, Y, optimizer=None, *, weighting=None, epochs=10, ...)``: ``weighting``
        (default ``Fixed()``, all weights 1) turns the task losses and gradients into one
        update; it is kept as ``self.weighting``. The other arguments are every model's
        (:class:`~mmlearn.nn.Model`), ``val = (X_val, Y_val)``.

        ``History.extras``, per step: ``"task_loss"`` and ``"weights"`` (dicts task -> array)
        and ``"cosine"`` (between the first two tasks' trunk gradients). Per-epoch metrics:
        ``"train_<task>_loss"``, ``"val_<task>_accuracy"`` (cross-entropy tasks), ... and
        ``"train_loss"``/``"val_loss"`` :math:`= \\sum_t w_t L_t` with the weighting's current
        weights (what ``patience`` watches; it restores the network's parameters, not the
        weighting's state)."""
        weighting = Fixed() if weighting is None else weighting
        if not isinstance(weighting, Weighting):
            raise TypeError(
                f"weighting must be Fixed, Uncertainty, GradNorm or PCGrad, "
                f"got {type(weighting).__name__}"
            )
        weighting.start(self, seed)
        self.weighting = weighting
        return self, sets

    def fit_step(self, optimizer: Optimizer, inputs: tuple, Y: dict, seed: int):
        """One step: each task's gradient, combined by ``self.weighting``; records each task's
        loss, the weights and the cosine between the first two tasks' trunk gradients."""
        (X,), names, weighting = inputs, list(self.tasks), self.weighting

        def step(idx):
            losses, task_grads = self.task_gradients(X[idx], {t: y[idx] for t, y in Y.items()})
            if not task_grads:
                return math.nan, {}
            total, weights = weighting.combine(self, losses, task_grads)
            extras = {"task_loss": losses, "weights": weights}
            if len(names) > 1:
                extras["cosine"] = cosine(
                    *(
                        _flat({k: v for k, v in task_grads[t].items() if k.startswith("trunk.")})
                        for t in names[:2]
                    )
                )
            total = train.step_if_finite(optimizer, self.params, self.grads, total)
            if math.isfinite(total):
                weighting.after_step(self, losses, task_grads)
            return total, extras

        return step

    def fit_evaluate(self, sets: dict):
        """Each set's task losses and metrics (:meth:`_evaluate`) and ``"<set>_loss"``, their
        sum weighted by the weighting's current weights."""

        def evaluate():
            weights = self.weighting.task_weights(self)
            out = {}
            for prefix, ((xs,), ys) in sets.items():
                losses = self._evaluate(prefix, xs, ys)
                out[f"{prefix}_loss"] = sum(
                    weights[t] * losses[f"{prefix}_{t}_loss"] for t in self.tasks
                )
                out.update(losses)
            return out

        return evaluate

    def _check_targets(self, X, Y, name: str) -> dict:
        """``Y`` checked task by task (each error names the task): class labels in
        [0, outputs) for a cross-entropy task, finite values (n,) or (n, outputs) for mse."""
        if not isinstance(Y, dict) or set(Y) != set(self.tasks):
            raise ValueError(
                f"{name} must be a dict with the tasks {sorted(self.tasks)}, got "
                f"{sorted(Y) if isinstance(Y, dict) else type(Y).__name__}"
            )
        checked = {}
        for t, (outputs, loss) in self.tasks.items():
            task = f"{name}[{t!r}]"
            if loss == "cross_entropy":
                y = labels(Y[t], task, len(X))
                if y.max() >= outputs:
                    raise ValueError(
                        f"{task} must be class labels in [0, {outputs - 1}] (task "
                        f"{t!r} has {outputs} outputs), got {y.max()}"
                    )
            else:
                y = float_array(Y[t], task)
                if len(y) != len(X) or y.size != len(X) * outputs:
                    wanted = f"({len(X)},)" if outputs == 1 else f"({len(X)}, {outputs})"
                    raise ValueError(
                        f"{task} must have shape {wanted}: one target per example "
                        f"and output of task {t!r}, got {y.shape}"
                    )
            checked[t] = y
        return checked

    def _evaluate(self, prefix: str, X, Y) -> dict[str, float]:
        """Each task's loss and :func:`~mmlearn.train.default_metrics` (accuracy for integer
        labels), named ``f"{prefix}_{task}_{metric}"``."""
        outputs = self.forward(X)
        if not all(np.isfinite(out).all() for out in outputs.values()):
            return {f"{prefix}_{t}_loss": math.nan for t in self.tasks}
        out = {
            f"{prefix}_{t}_loss": value for t, (value, _) in self.task_losses(outputs, Y).items()
        }
        for t in self.tasks:
            for metric, fn in train.default_metrics(Y[t]).items():
                out[f"{prefix}_{t}_{metric}"] = fn(outputs[t], Y[t])
        return out

    # --- predictions ------------------------------------------------------------------------
    def predict(self, X) -> dict[str, np.ndarray]:
        """``{task: predictions (n,)}``: the most probable class of a cross-entropy task, the
        output of an mse task ((n, outputs) if it has several)."""
        outputs = self.forward(float_array(X, "X"))
        return {
            t: outputs[t].argmax(axis=1)
            if loss == "cross_entropy"
            else (outputs[t][:, 0] if k == 1 else outputs[t])
            for t, (k, loss) in self.tasks.items()
        }

    def score(self, X, Y: dict) -> dict[str, float]:
        """``{task: accuracy}`` for a cross-entropy task, ``{task: R²}`` for an mse task
        (:func:`~mmlearn.train.r_squared`): higher is better for both."""
        X = float_array(X, "X")
        Y = self._check_targets(X, Y, "Y")
        predictions = self.predict(X)
        return {
            t: float(np.mean(predictions[t] == Y[t]))
            if loss == "cross_entropy"
            else train.r_squared(predictions[t], Y[t])
            for t, (_, loss) in self.tasks.items()
        }


# --- weightings ---------------------------------------------------------------------------------


class Weighting:
    """Turns per-task losses and gradients into the gradient the optimizer sees.
    ``combine(model, losses, task_grads)`` writes it into ``model.grads`` (and its own
    ``grads``) and returns ``(total loss, weights)``; ``task_weights(model)`` are the current
    weights :math:`w_t`."""

    def start(self, model: MultiTaskNet, seed: int) -> None:
        """Called once at the start of ``fit``."""

    def task_weights(self, model) -> dict[str, float]:
        """The current weight of every task (after ``start``)."""
        raise NotImplementedError

    def after_step(self, model, losses, task_grads) -> None:
        """Called after each optimizer step."""

    @staticmethod
    def _write(model, task_grads, weights: dict[str, float]) -> None:
        for key, g in model.grads.items():
            g[...] = sum(w * task_grads[t][key] for t, w in weights.items())


class Fixed(Weighting):
    r""":math:`L = \sum_t \lambda_t L_t` with fixed ``weights`` (default: 1 for every task)."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        super().__init__()
        if weights is not None and not isinstance(weights, dict):
            raise TypeError(
                f"weights must be a dict task -> weight, e.g. {{'digit': 1.0}}, "
                f"got {type(weights).__name__}"
            )
        self.weights = {t: in_range(w, f"weights[{t!r}]") for t, w in (weights or {}).items()}

    def start(self, model, seed):
        unknown = set(self.weights) - set(model.tasks)
        if unknown:
            raise ValueError(f"weights names unknown tasks {sorted(unknown)}")

    def task_weights(self, model):
        return {t: self.weights.get(t, 1.0) for t in model.tasks}

    def combine(self, model, losses, task_grads):
        weights = self.task_weights(model)
        self._write(model, task_grads, weights)
        return sum(weights[t] * losses[t] for t in losses), weights


class Uncertainty(Weighting):
    r"""Homoscedastic-uncertainty weighting (Kendall et al. 2018):
    :math:`L = \sum_t e^{-s_t} L_t + s_t` with learned :math:`s_t = \log \sigma_t^2` (``params``
    ``"log_var.<task>"``, starting at 0). Gradient: :math:`\partial L/\partial s_t = 1 - e^{-s_t}
    L_t`, zero at :math:`e^{-s_t} = 1/L_t`.

    The :math:`s_t` get their own ``Adam(lr=lr)`` (in PyTorch: a parameter group with its own
    learning rate): with the network's small learning rate they would need thousands of steps
    to cross the orders of magnitude between loss scales."""

    def __init__(self, lr: float = 0.05) -> None:
        super().__init__()
        self.lr = in_range(lr, "lr", lo_open=True)

    def start(self, model, seed):
        self.params = {f"log_var.{t}": np.zeros(1) for t in model.tasks}
        self.grads = {f"log_var.{t}": np.zeros(1) for t in model.tasks}
        self._optimizer = Adam(lr=self.lr)

    def task_weights(self, model):
        return {t: float(np.exp(-self.params[f"log_var.{t}"][0])) for t in model.tasks}

    def combine(self, model, losses, task_grads):
        weights = self.task_weights(model)
        self._write(model, task_grads, weights)
        for t in model.tasks:
            self.grads[f"log_var.{t}"][0] = 1.0 - weights[t] * losses[t]
        total = sum(weights[t] * losses[t] + self.params[f"log_var.{t}"][0] for t in losses)
        return float(total), weights

    def after_step(self, model, losses, task_grads):
        self._optimizer.step(self.params, self.grads)


class GradNorm(Weighting):
    r"""GradNorm (Chen et al. 2018). Weights :math:`w_t` (start 1, renormalised after every step
    to sum to the number of tasks T) descend :math:`\sum_t |G_t - \bar G\, r_t^\alpha|`, where
    :math:`G_t = w_t \|\nabla_W L_t\|` on the last shared layer W,
    :math:`r_t = \tilde L_t / \operatorname{mean}(\tilde L)` and
    :math:`\tilde L_t = L_t / L_t(\text{first step})`. The target is held constant, so
    :math:`\partial/\partial w_t = \operatorname{sign}(G_t - \text{target}_t)\,\|\nabla_W L_t\|`.
    The weights get their own ``Adam(lr=lr)`` (as in the paper's experiments), which keeps
    their steps about ``lr`` in size when the gradient norms are large. A larger ``alpha``
    pulls harder towards tasks that train slowly."""

    def __init__(self, alpha: float = 1.5, lr: float = 0.025) -> None:
        self.alpha, self.lr = in_range(alpha, "alpha"), in_range(lr, "lr", lo_open=True)

    def start(self, model, seed):
        self.tasks = list(model.tasks)
        self.weights = np.ones(len(self.tasks))
        self._optimizer, self.initial = Adam(lr=self.lr), None

    def task_weights(self, model):
        return {t: float(w) for t, w in zip(self.tasks, self.weights)}

    def combine(self, model, losses, task_grads):
        weights = self.task_weights(model)
        self._write(model, task_grads, weights)
        return sum(weights[t] * losses[t] for t in losses), weights

    def after_step(self, model, losses, task_grads):
        L = np.array([losses[t] for t in self.tasks])
        if self.initial is None:
            self.initial = np.maximum(L, 1e-12)
        norms = np.array([np.linalg.norm(task_grads[t][model.last_shared]) for t in self.tasks])
        G, ratio = self.weights * norms, L / self.initial
        target = G.mean() * (ratio / ratio.mean()) ** self.alpha
        self._optimizer.step(self.weights, np.sign(G - target) * norms)
        np.maximum(self.weights, 1e-3, out=self.weights)
        self.weights *= len(self.tasks) / self.weights.sum()


class PCGrad(Weighting):
    r"""Projecting conflicting gradients (Yu et al. 2020), on the shared trunk. For each task,
    in a random order of the others: if :math:`g_i \cdot g_j < 0`, then
    :math:`g_i \leftarrow g_i - \frac{g_i\cdot g_j}{\|g_j\|^2} g_j`. The trunk receives
    :math:`\sum_i g_i`; the heads their own task's gradient. ``projections`` counts conflicts."""

    def start(self, model, seed):
        self.rng, self.projections = np.random.default_rng(seed), 0

    def task_weights(self, model):
        return {t: 1.0 for t in model.tasks}

    def combine(self, model, losses, task_grads):
        names = list(model.tasks)
        keys = [k for k in model.grads if k.startswith("trunk.")]
        flat = {t: _flat({k: task_grads[t][k] for k in keys}) for t in names}
        total, projections = project_conflicting(flat, self.rng)
        self.projections += projections
        weights = self.task_weights(model)
        self._write(model, task_grads, weights)  # heads: their own gradient
        offset = 0
        for k in keys:
            size = model.grads[k].size
            model.grads[k][...] = total[offset : offset + size].reshape(model.grads[k].shape)
            offset += size
        return sum(losses.values()), weights


def project_conflicting(
    grads: dict[str, np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    r"""PCGrad's rule on flat gradient vectors: ``(sum of the projected gradients, number of
    projections made)``. Each :math:`g_i`, against the others in a random order:
    :math:`g_i \leftarrow g_i - \frac{g_i\cdot g_j}{\|g_j\|^2} g_j` whenever
    :math:`g_i\cdot g_j < 0`.

    >>> total, n = project_conflicting(
    ...     {"a": np.array([1.0, 0.0]), "b": np.array([-1.0, 1.0])}, np.random.default_rng(0)
    ... )
    >>> total.round(2).tolist(), n
    ([0.5, 1.5], 2)
    """
    names, total, projections = list(grads), None, 0
    for i in names:
        g = grads[i].astype(np.float64, copy=True)
        for j in rng.permutation([t for t in names if t != i]):
            dot = g @ grads[j]
            if dot < 0:
                g -= dot / (grads[j] @ grads[j]) * grads[j]
                projections += 1
        total = g if total is None else total + g
    return total, projections
