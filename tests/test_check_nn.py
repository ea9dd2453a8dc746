"""Self-checks of notebooks 06–09: right answers pass, the usual mistakes are named."""

import numpy as np
import pytest
from helpers import assert_verdict, pool_backward

from mmlearn import check, data


def _top(h_v, h_t, ones=True, order="image"):
    if ones:
        h_v = np.hstack([np.ones((len(h_v), 1)), h_v])
        h_t = np.hstack([np.ones((len(h_t), 1)), h_t])
    outer = h_v[:, :, None] * h_t[:, None, :]
    if order == "text":
        outer = outer.transpose(0, 2, 1)
    return outer.reshape(len(h_v), -1)


def _stopper(losses, patience, off_by_one=False):
    best = 0
    for epoch, value in enumerate(losses):
        if value < losses[best]:
            best = epoch
        if epoch - best >= patience + off_by_one:
            return epoch, best
    return len(losses) - 1, best


def _shape(drop_one=False, channels_in=False, ceil=False):
    def fn(s, o, k, p):
        h, w = s[2] - k + 1 - drop_one, s[3] - k + 1 - drop_one
        pooled = (-(-h // p), -(-w // p)) if ceil else (h // p, w // p)
        return (s[0], s[1] if channels_in else o, *pooled)

    return fn


CASES = [
    (check.conv_pool_shape, _shape(), True, "8 → 6 → 3"),
    (check.conv_pool_shape, _shape(drop_one=True), False, "h − k + 1"),
    (check.conv_pool_shape, _shape(channels_in=True), False, "one channel per filter"),
    (check.conv_pool_shape, _shape(ceil=True), False, "floors"),
    (check.maxpool_backward, pool_backward, True, "goes to its maximum"),
    (check.maxpool_backward, (lambda X, d, s: pool_backward(X, d, s, "mean")), False, "average"),
    (check.maxpool_backward, (lambda X, d, s: pool_backward(X, d, s, "copy")), False, "copied"),
    (check.maxpool_backward, (lambda X, d, s: d), False, "shape of X"),
    (check.boundary_width, 6, True, "measured 6"),
    (check.boundary_width, 32, False, "slider"),
    (check.fourth_score, (lambda a, b, c: b + c - a), True, "three cells fix the fourth"),
    (check.fourth_score, (lambda a, b, c: a + b + c), False, "wrong sign"),
    (check.fourth_score, (lambda a, b, c: a - b - c), False, "flipped"),
    (check.linear_backward, (lambda X, W, d: (X.T @ d, d.sum(0), d @ W.T)), True, "agree"),
    (check.linear_backward, (lambda X, W, d: (X.T @ d, d, d @ W.T)), False, "sums dout"),
    (
        check.linear_backward,
        (lambda X, W, d: (d.T @ X, d.sum(0), d @ W.T)),
        False,
        "shape (fan_in, fan_out)",
    ),
    (check.linear_backward, (lambda X, W, d: (X.T @ d, d.sum(0))), False, "3 values (dW, db, dX)"),
    (check.relu_backward, (lambda X, d: d * (X > 0)), True, "unit was on"),
    (check.relu_backward, (lambda X, d: (X > 0) * 1.0), False, "alone"),
    (check.relu_backward, (lambda X, d: d * np.maximum(X, 0)), False, "not ReLU itself"),
    (check.relu_backward, (lambda X, d: 1 / 0), False, "ZeroDivisionError"),
    (
        check.parameter_count,
        (lambda s: sum((a + 1) * b for a, b in zip(s[:-1], s[1:]))),
        True,
        "2 410",
    ),
    (
        check.parameter_count,
        (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:]))),
        False,
        "not the biases",
    ),
    (check.bag_of_words, (lambda c, v: data.bag_of_words(c, v)), True, "ignored"),
    (check.bag_of_words, (lambda c, v: np.minimum(data.bag_of_words(c, v), 1)), False, "presence"),
    (
        check.bag_of_words,
        (
            lambda c, v: np.array(
                [[float(w in x.split()) * x.split().count(w) for w in v] for x in c]
            )
        ),
        False,
        "lower-case",
    ),
    (check.late_fusion_logits, (lambda a, b, al: al * a + (1 - al) * b), True, "weighted vote"),
    (check.late_fusion_logits, (lambda a, b, al: (1 - al) * a + al * b), False, "swapped"),
    (check.late_fusion_logits, (lambda a, b, al: al * a + b), False, "1 − α, not 1"),
    (check.tensor_features, (lambda v, t: _top(v, t)), True, "every product"),
    (check.tensor_features, (lambda v, t: _top(v, t, ones=False)), False, "prepend a 1"),
    (check.tensor_features, (lambda v, t: _top(v, t, order="text")), False, "another order"),
    (
        check.pcgrad_project,
        (lambda gi, gj: gi - min(gi @ gj, 0) / (gj @ gj) * gj),
        True,
        "orthogonal",
    ),
    (
        check.pcgrad_project,
        (lambda gi, gj: gi - (gi @ gj) / (gj @ gj) * gj),
        False,
        "do not conflict",
    ),
    (check.pcgrad_project, (lambda gi, gj: gi - min(gi @ gj, 0) / (gi @ gi) * gj), False, "‖g_j‖²"),
    (
        check.pcgrad_project,
        (lambda gi, gj: gi.__isub__(min(gi @ gj, 0) / (gj @ gj) * gj)),
        False,
        "changed the arrays",
    ),
    (check.uncertainty_optimum, (lambda L: L), True, "σ² = L"),
    (check.uncertainty_optimum, (lambda L: np.log(L)), False, "asks for σ² itself"),
    (check.uncertainty_optimum, (lambda L: 1 / L), False, "the weight"),
    (check.uncertainty_optimum, (lambda L: np.sqrt(L)), False, "σ, not σ²"),
    (check.uncertainty_optimum, (lambda L: L / 2), False, "Differentiate"),
    (check.early_stopping, _stopper, True, "restore the best"),
    (check.early_stopping, (lambda L, p: _stopper(L, p, off_by_one=True)), False, "SO FAR"),
]


@pytest.mark.parametrize(
    "fn, answer, ok, says", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_check_messages(capsys, fn, answer, ok, says):
    assert fn(answer) is None
    assert_verdict(capsys, ok, says)


@pytest.mark.parametrize(
    "answer, ok, says",
    [
        (2.0, True, "equally hard"),
        (0.5, False, "upside down"),
        (3.0, False, "but"),
        ("big", False, "number"),
        (..., False, "not answered yet: lam_balanced is still"),
    ],
)
def test_balancing_weight(capsys, answer, ok, says):
    check.balancing_weight(answer, {"digit": 1.0, "ink": 0.5})
    assert_verdict(capsys, ok, says)


LOSSES0 = {"digit": 2.3, "ink": 392.13}
SWEPT = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
PER_STEP = {"SGD": {8: 1.76, 32: 1.68, 128: 1.67}, "Adam": {8: 1.88, 32: 1.60, 128: 1.41}}
RANGE_TEST = (1e-5, 10.0, 150, 132)  # lr_min, lr_max, steps, stopped after

#: (check, its problem arguments after the answer, the answer, passes?, what the message says)
PREDICTIONS_AND_DERIVATIONS = [
    (check.quiet_aux_weight, (LOSSES0, SWEPT), 0.003, True, "next swept value, 0.01, gives 3.92"),
    (check.quiet_aux_weight, (LOSSES0, SWEPT), 0.01, False, "still starts louder"),
    (check.quiet_aux_weight, (LOSSES0, SWEPT), 0.001, False, "not the largest"),
    (check.quiet_aux_weight, (LOSSES0, SWEPT), 0.005, False, "pick one of the swept values"),
    (check.quiet_aux_weight, (LOSSES0, SWEPT), ..., False, "not answered yet"),
    (check.slowest_batch_per_step, (PER_STEP,), 8, True, "behind per step for every optimizer"),
    (check.slowest_batch_per_step, (PER_STEP,), 128, False, "no optimizer"),
    (check.slowest_batch_per_step, (PER_STEP,), 16, False, "pick one of the batch sizes"),
    (
        check.slowest_batch_per_step,
        ({"SGD": {8: 1.0, 32: 2.0}, "Adam": {8: 2.0, 32: 1.0}},),
        32,
        False,
        "['SGD']",
    ),
    (check.range_test_lr, RANGE_TEST, 1e-5 * 1e6 ** (131 / 149), True, "step 131"),
    (check.range_test_lr, RANGE_TEST, 1e-5 * 1e6 ** (132 / 149), False, "one step later"),
    (check.range_test_lr, RANGE_TEST, 1e-5 * 1e6 ** (131 / 150), False, "not 150"),
    (check.range_test_lr, RANGE_TEST, 1e-5 + (10 - 1e-5) * 131 / 149, False, "linear spacing"),
    (check.range_test_lr, RANGE_TEST, 0.5, False, "find k"),
    (check.greater_prediction, (0.9,), 0.85, True, "additive"),
    (check.greater_prediction, (0.9,), 0.5, False, "2×2"),
    (check.greater_prediction, (0.79,), 0.95, True, "Right side of the argument"),
    (check.greater_prediction, (0.79,), 0.6, False, "2×2"),
    (check.greater_prediction, (0.9,), 1.5, False, "between 0 and 1"),
    (check.greater_prediction, (0.9,), ..., False, "not answered"),
]


@pytest.mark.parametrize(
    "fn, problem, answer, ok, says",
    PREDICTIONS_AND_DERIVATIONS,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(PREDICTIONS_AND_DERIVATIONS)],
)
def test_checks_of_predictions_and_derivations(capsys, fn, problem, answer, ok, says):
    fn(answer, *problem)
    assert_verdict(capsys, ok, says)
