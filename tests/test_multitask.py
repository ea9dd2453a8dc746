"""Multi-task: per-task gradients against finite differences, each weighting's rule, bad input."""

import numpy as np
import pytest
from helpers import assert_grad_close, assert_model_grads_close

from mmlearn import data, optim
from mmlearn import multitask as mt

TASKS = {"digit": (10, "cross_entropy"), "ink": (1, "mse")}
IMAGES, LABELS = data.load_digits()
X, Y = IMAGES.reshape(-1, 64)[:300], {"digit": LABELS[:300], "ink": IMAGES[:300].sum((1, 2))}


def _net(seed=0):
    return mt.MultiTaskNet(64, TASKS, trunk=(8, 6), seed=seed)


@pytest.mark.parametrize("task", sorted(TASKS))
def test_each_task_gradient_matches_finite_differences(task):
    net = _net()
    xb, yb = X[:7], {t: y[:7] for t, y in Y.items()}
    _, grads = net.task_gradients(xb, yb)

    def loss_fn():
        return net.task_losses(net.forward(xb), yb)[task]

    net_for_check = _Single(net, task)
    assert_model_grads_close(net_for_check, loss_fn)
    for key, g in grads[task].items():  # task_gradients agrees with the checked backward
        assert np.allclose(g, net_for_check.grads[key]), key
    other = "ink" if task == "digit" else "digit"
    assert np.all(grads[task][f"{other}.W"] == 0)


class _Single:
    """The network seen through one task: backward(dout) fills grads of that task's loss."""

    def __init__(self, net, task):
        self.net, self.task, self.params = net, task, net.params
        self.grads = {k: np.zeros_like(g) for k, g in net.grads.items()}

    def backward(self, dout):
        self.net.trunk.backward(self.net.heads[self.task].backward(dout))
        for key, g in self.net.grads.items():
            own = key.startswith(("trunk.", f"{self.task}."))
            self.grads[key][...] = g if own else 0.0


def test_backward_of_every_task_matches_finite_differences_and_returns_dX():
    net = _net()
    xb, yb = X[:7], {t: y[:7] for t, y in Y.items()}

    def losses_at(x):  # L = L_digit + L_ink, and dL/d outputs per task
        losses = net.task_losses(net.forward(x), yb)
        return sum(v for v, _ in losses.values()), {t: d for t, (_, d) in losses.items()}

    assert_model_grads_close(net, lambda: losses_at(xb))
    assert_grad_close(lambda x: losses_at(x)[0], lambda x: net.backward(losses_at(x)[1]), xb)


def test_fixed_weights_give_the_gradient_of_the_weighted_sum():
    net, weighting = _net(), mt.Fixed({"ink": 0.1})
    weighting.start(net, 0)
    xb, yb = X[:9], {t: y[:9] for t, y in Y.items()}
    losses, grads = net.task_gradients(xb, yb)
    total, weights = weighting.combine(net, losses, grads)
    assert weights == {"digit": 1.0, "ink": 0.1}
    assert total == pytest.approx(losses["digit"] + 0.1 * losses["ink"])
    for key, g in net.grads.items():
        assert np.allclose(g, grads["digit"][key] + 0.1 * grads["ink"][key])


def test_uncertainty_weighting_gradient_of_the_log_variances():
    net, weighting = _net(), mt.Uncertainty()
    weighting.start(net, 0)
    weighting.params["log_var.ink"][0] = 0.7
    losses, grads = net.task_gradients(X[:9], {t: y[:9] for t, y in Y.items()})
    total, weights = weighting.combine(net, losses, grads)
    assert weights["ink"] == pytest.approx(np.exp(-0.7))
    # d/ds [e^{-s} L + s] = 1 - e^{-s} L
    assert weighting.grads["log_var.ink"][0] == pytest.approx(1 - np.exp(-0.7) * losses["ink"])
    assert total == pytest.approx(losses["digit"] + np.exp(-0.7) * losses["ink"] + 0.7)


def test_uncertainty_weights_converge_to_inverse_loss_scales_for_fixed_losses():
    net, weighting = _net(), mt.Uncertainty()
    weighting.start(net, 0)
    _, grads = net.task_gradients(X[:9], {t: y[:9] for t, y in Y.items()})
    losses, opt = {"digit": 2.0, "ink": 50.0}, optim.SGD(lr=0.01)
    for _ in range(2000):
        _, weights = weighting.combine(net, losses, grads)
        opt.step(weighting.params, weighting.grads)
    assert weights["digit"] == pytest.approx(1 / 2.0, rel=1e-3)
    assert weights["ink"] == pytest.approx(1 / 50.0, rel=1e-3)


def test_at_s_equal_log_loss_the_log_variance_gradient_vanishes():
    net, weighting = _net(), mt.Uncertainty()
    weighting.start(net, 0)
    losses, grads = net.task_gradients(X[:9], {t: y[:9] for t, y in Y.items()})
    for t in TASKS:
        weighting.params[f"log_var.{t}"][0] = np.log(losses[t])
    weighting.combine(net, losses, grads)
    assert all(abs(g[0]) < 1e-12 for g in weighting.grads.values())


def test_pcgrad_removes_the_conflicting_component():
    net, weighting = _net(), mt.PCGrad()
    weighting.start(net, 0)
    keys = [k for k in net.grads if k.startswith("trunk.")]
    g1 = {k: np.zeros_like(net.grads[k]) for k in net.grads}
    g2 = {k: np.zeros_like(net.grads[k]) for k in net.grads}
    g1[keys[0]].flat[0], g1[keys[0]].flat[1] = 1.0, 0.0
    g2[keys[0]].flat[0], g2[keys[0]].flat[1] = -1.0, 1.0  # cos = -0.71: conflict
    weighting.combine(net, {"digit": 1.0, "ink": 1.0}, {"digit": g1, "ink": g2})
    # g1' = g1 - (g1.g2/|g2|^2) g2 = (0.5, 0.5); g2' = g2 - (g2.g1/|g1|^2) g1 = (0, 1)
    assert net.grads[keys[0]].flat[0] == pytest.approx(0.5)
    assert net.grads[keys[0]].flat[1] == pytest.approx(1.5)
    assert weighting.projections == 2


def test_pcgrad_leaves_agreeing_gradients_alone():
    net, weighting = _net(), mt.PCGrad()
    weighting.start(net, 0)
    losses, grads = net.task_gradients(X[:5], {t: y[:5] for t, y in Y.items()})
    grads["ink"] = {k: abs(g) for k, g in grads["digit"].items()}
    grads["digit"] = {k: abs(g) for k, g in grads["digit"].items()}  # non-negative: no conflict
    weighting.combine(net, losses, grads)
    assert weighting.projections == 0
    for key, g in net.grads.items():
        assert np.allclose(g, grads["digit"][key] + grads["ink"][key])


def test_gradnorm_weights_stay_positive_and_sum_to_the_number_of_tasks():
    history = _net().fit(X, Y, weighting=mt.GradNorm(alpha=1.5, lr=0.05), epochs=3)
    w = np.stack([history.extras["weights"][t] for t in TASKS])
    assert np.allclose(w[:, 1:].sum(axis=0), 2.0) and np.all(w > 0)
    assert not np.allclose(w[:, -1], 1.0)  # they moved


def test_fit_records_task_losses_weights_and_cosines():
    history = _net().fit(
        X, Y, epochs=2, batch_size=50, val=(X[:50], {t: y[:50] for t, y in Y.items()})
    )
    steps = len(history.step_loss)
    assert steps == 12
    assert {t: len(v) for t, v in history.extras["task_loss"].items()} == {"digit": 12, "ink": 12}
    assert history.extras["cosine"].shape == (12,)
    assert np.all(np.abs(history.extras["cosine"]) <= 1)
    assert {"train_digit_accuracy", "val_ink_loss"} <= set(history.metrics)
    assert "train_ink_accuracy" not in history.metrics  # float targets: a regression
    m = history.metrics  # Fixed(): weights 1
    assert np.allclose(m["val_loss"], m["val_digit_loss"] + m["val_ink_loss"])


def test_fit_weights_the_epoch_loss_with_the_current_weights_and_stops_early():
    net, weighting = _net(), mt.Fixed({"ink": 0.01})
    val = (X[200:], {t: y[200:] for t, y in Y.items()})
    history = net.fit(
        X[:200],
        {t: y[:200] for t, y in Y.items()},
        optim.Adam(lr=0.02),
        weighting=weighting,
        epochs=60,
        val=val,
        patience=2,
    )
    m = history.metrics
    assert np.allclose(m["val_loss"], m["val_digit_loss"] + 0.01 * m["val_ink_loss"])
    assert history.stopped_early and history.epochs == history.best_epoch + 2
    restored = net.task_losses(net.forward(val[0]), val[1])
    assert restored["digit"][0] + 0.01 * restored["ink"][0] == pytest.approx(
        m["val_loss"][history.best_epoch], rel=1e-12
    )


def test_predict_and_score_give_one_entry_per_task():
    net = _net()
    net.fit(X, Y, epochs=5)
    predictions, scores = net.predict(X), net.score(X, Y)
    assert predictions["digit"].shape == (300,) and predictions["ink"].shape == (300,)
    outputs = net.forward(X)
    assert np.array_equal(predictions["digit"], outputs["digit"].argmax(axis=1))
    assert scores["digit"] == np.mean(predictions["digit"] == Y["digit"])
    assert scores["ink"] == pytest.approx(
        1
        - np.sum((Y["ink"] - outputs["ink"][:, 0]) ** 2) / np.sum((Y["ink"] - Y["ink"].mean()) ** 2)
    )


def test_a_huge_learning_rate_diverges_without_raising():
    history = _net().fit(X, Y, optim.SGD(lr=1e6), epochs=3)
    assert history.diverged and len(history.step_loss) == history.diverged_at
    assert len(history.extras["task_loss"]["digit"]) <= history.diverged_at


def test_fit_checks_its_arguments_before_starting():
    net, weighting = _net(), mt.GradNorm()
    before = net.get_params()
    for bad in (
        {"epochs": 0},
        {"patience": 1},
        {"optimizer": 0.1},
        {"val": (X[:5], {"digit": Y["digit"][:5]})},
    ):
        with pytest.raises((ValueError, TypeError)):
            net.fit(X, Y, weighting=weighting, **bad)
    assert not hasattr(weighting, "tasks")  # its start() never ran
    assert all(np.array_equal(before[k], net.params[k]) for k in before)


def test_cosine():
    assert mt.cosine(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == -1.0
    assert mt.cosine(np.zeros(2), np.ones(2)) == 0.0


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: mt.MultiTaskNet(64, {}), ValueError, "tasks must be a non-empty dict"),
        (lambda: mt.MultiTaskNet(64, {"a": (2, "hinge")}), ValueError, "loss of task 'a'"),
        (
            lambda: _net().fit(X, {"digit": Y["digit"]}),
            ValueError,
            "Y must be a dict with the tasks",
        ),
        (
            lambda: _net().fit(X, {"digit": Y["digit"], "ink": Y["ink"][:5]}),
            ValueError,
            r"Y\['ink'\] must have shape \(300,\).*got \(5,\)",
        ),
        (lambda: _net().fit(X, Y, weighting="pcgrad"), TypeError, "weighting must be"),
        (
            lambda: _net().fit(X, Y, weighting=mt.Fixed({"colour": 1.0})),
            ValueError,
            "unknown tasks",
        ),
        (lambda: mt.GradNorm(lr=0), ValueError, "lr must be"),
    ],
)
def test_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_uncertainty_log_variances_have_their_own_optimizer_during_fit():
    net, weighting = _net(), mt.Uncertainty(lr=0.1)
    history = net.fit(X, Y, optim.SGD(lr=0.0), weighting=weighting, epochs=2, batch_size=30)
    assert not any(k.startswith("log_var") for k in net.params)
    w = history.extras["weights"]
    # the network is frozen (lr 0), so the losses stay put and the weights head for 1/L_t
    assert w["ink"][-1] < 0.2 * w["ink"][0] and w["ink"][-1] < w["digit"][-1]
