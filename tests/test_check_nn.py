"""Self-checks of notebooks 06–09: right answers pass, the usual mistakes are named."""

import numpy as np
import pytest

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


def _pool_backward(X, dout, size, mode="max"):
    n, c, h, w = X.shape
    oh, ow = h // size, w // size
    windows = X[:, :, : oh * size, : ow * size].reshape(n, c, oh, size, ow, size)
    share = {
        "max": windows == windows.max(axis=(3, 5), keepdims=True),
        "mean": np.full(windows.shape, 1 / size**2),
        "copy": np.ones(windows.shape),
    }[mode]
    dX = np.zeros_like(X)
    dX[:, :, : oh * size, : ow * size] = (share * dout[:, :, :, None, :, None]).reshape(
        n, c, oh * size, ow * size
    )
    return dX


CASES = [
    (check.conv_pool_shape, _shape(), True, "8 → 6 → 3"),
    (check.conv_pool_shape, _shape(drop_one=True), False, "h − k + 1"),
    (check.conv_pool_shape, _shape(channels_in=True), False, "one channel per filter"),
    (check.conv_pool_shape, _shape(ceil=True), False, "floors"),
    (check.maxpool_backward, _pool_backward, True, "goes to its maximum"),
    (check.maxpool_backward, (lambda X, d, s: _pool_backward(X, d, s, "mean")), False, "average"),
    (check.maxpool_backward, (lambda X, d, s: _pool_backward(X, d, s, "copy")), False, "copied"),
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
        check.uncertainty_loss,
        (lambda L, s: (np.sum(np.exp(-s) * L + s), 1 - np.exp(-s) * L)),
        True,
        "1/L_t",
    ),
    (
        check.uncertainty_loss,
        (lambda L, s: (np.sum(np.exp(-s) * L), -np.exp(-s) * L)),
        False,
        "+ s_t term",
    ),
    (
        check.uncertainty_loss,
        (lambda L, s: (np.sum(np.exp(-s) * L + s), np.exp(-s) * L)),
        False,
        "−e^(−s)·L + 1",
    ),
    (
        check.lr_range_schedule,
        (lambda k, lo, hi, n: lo * (hi / lo) ** (k / (n - 1))),
        True,
        "geometric",
    ),
    (
        check.lr_range_schedule,
        (lambda k, lo, hi, n: lo + (hi - lo) * k / (n - 1)),
        False,
        "linear spacing",
    ),
    (check.early_stopping, _stopper, True, "restore the best"),
    (check.early_stopping, (lambda L, p: _stopper(L, p, off_by_one=True)), False, "SO FAR"),
    (check.suggest_lr, (lambda lrs, L: lrs[np.argmin(L)] / 10), True, "decade below"),
    (check.suggest_lr, (lambda lrs, L: lrs[np.argmin(L)]), False, "factor 10"),
    (check.suggest_lr, (lambda lrs, L: lrs[0]), False, "np.argmin"),
]


@pytest.mark.parametrize(
    "fn, answer, ok, says", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_check_messages(capsys, fn, answer, ok, says):
    assert fn(answer) is None
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗"), out
    assert says in out, out


@pytest.mark.parametrize(
    "answer, ok, says",
    [
        (2.0, True, "equally hard"),
        (0.5, False, "upside down"),
        (3.0, False, "but"),
        ("big", False, "number"),
    ],
)
def test_balancing_weight(capsys, answer, ok, says):
    check.balancing_weight(answer, {"digit": 1.0, "ink": 0.5})
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out


@pytest.mark.parametrize(
    "prediction, ok, says",
    [
        (0.85, True, "additive"),
        (0.5, False, "2×2"),
        (1.5, False, "between 0 and 1"),
        (..., False, "not answered"),
    ],
)
def test_greater_prediction(capsys, prediction, ok, says):
    assert check.greater_prediction(prediction, 0.9) is None
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out
