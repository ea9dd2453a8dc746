"""Conv2D, MaxPool2D, Flatten: backward against finite differences and against plain loops,
shapes, initialisation, bad input, and a small CNN that learns the digits."""

import numpy as np
import pytest
from helpers import assert_grad_close, assert_model_grads_close

from mmlearn import data, losses, nn, optim, train

RNG = np.random.default_rng(0)


def _weighted_sum_loss(layer, X, w):
    """L = sum(w * out): dL/d(out) is w, a random direction that exercises every entry."""

    def loss_fn():
        return float(np.sum(w * layer.forward(X))), w

    return loss_fn


def _assert_input_grad_close(layer, X):
    w = RNG.normal(size=layer.forward(X).shape)

    def grad_of_input(x):
        layer.forward(x)
        return layer.backward(w)

    assert_grad_close(lambda x: float(np.sum(w * layer.forward(x))), grad_of_input, X)


def _distinct(shape):
    """Inputs without ties, 0.1 apart: a nudge of 1e-6 never changes a window's argmax."""
    return 0.1 * RNG.permutation(int(np.prod(shape))).reshape(shape) - 1.0


# (n, in_channels, out_channels, h, w, kernel_size)
CONV_SHAPES = [
    (2, 1, 3, 5, 5, 3),
    (3, 2, 4, 6, 5, 2),
    (2, 3, 2, 4, 7, (2, 3)),
    (1, 2, 1, 3, 3, 3),
    (2, 1, 2, 4, 4, 1),
]


@pytest.mark.parametrize("n, c, o, h, w, k", CONV_SHAPES)
def test_conv_dW_db_dX_match_finite_differences(n, c, o, h, w, k):
    conv = nn.Conv2D(c, o, k, seed=1)
    conv.params["b"][...] = RNG.normal(size=o)  # a nonzero bias, so forward's "+ b" is tested
    X = RNG.normal(size=(n, c, h, w))
    out_shape = conv.forward(X).shape
    assert_model_grads_close(conv, _weighted_sum_loss(conv, X, RNG.normal(size=out_shape)))
    _assert_input_grad_close(conv, X)


@pytest.mark.parametrize(
    "shape, size", [((2, 1, 4, 4), 2), ((1, 3, 6, 6), 3), ((2, 2, 5, 7), 2), ((1, 1, 3, 3), 3)]
)
def test_maxpool_dX_matches_finite_differences(shape, size):
    _assert_input_grad_close(nn.MaxPool2D(size), _distinct(shape))


def test_flatten_dX_matches_finite_differences():
    _assert_input_grad_close(nn.Flatten(), RNG.normal(size=(2, 3, 2, 4)))


def test_small_cnn_with_cross_entropy_matches_finite_differences():
    net = nn.Sequential(
        [
            nn.Conv2D(2, 3, 3, seed=0),
            nn.Tanh(),
            nn.MaxPool2D(2),
            nn.Flatten(),
            nn.Linear(12, 4, seed=1),
        ]
    )
    X, y = RNG.normal(size=(3, 2, 6, 6)), RNG.integers(0, 4, size=3)
    assert sorted(net.params) == ["W1", "W2", "b1", "b2"]
    assert_model_grads_close(net, lambda: losses.softmax_cross_entropy(net.forward(X), y))


# ----- against the definitions, written as plain loops -----


def conv_by_loops(X, W, b):
    """out[n, o, i, j] = b[o] + sum_{c, u, v} W[o, c, u, v] X[n, c, i+u, j+v]."""
    N, _, H, Wd = X.shape
    n_out, _, KH, KW = W.shape
    out = np.zeros((N, n_out, H - KH + 1, Wd - KW + 1))
    for n in range(N):
        for o in range(n_out):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, o, i, j] = b[o] + np.sum(W[o] * X[n, :, i : i + KH, j : j + KW])
    return out


def conv_backward_by_loops(X, W, G):
    """Each output pixel sends G[n, o, i, j] back to the weights and the inputs it used."""
    dX, dW = np.zeros_like(X), np.zeros_like(W)
    _, _, KH, KW = W.shape
    N, n_out, OH, OW = G.shape
    for n in range(N):
        for o in range(n_out):
            for i in range(OH):
                for j in range(OW):
                    dW[o] += G[n, o, i, j] * X[n, :, i : i + KH, j : j + KW]
                    dX[n, :, i : i + KH, j : j + KW] += G[n, o, i, j] * W[o]
    return dW, G.sum(axis=(0, 2, 3)), dX


@pytest.mark.parametrize("n, c, o, h, w, k", CONV_SHAPES)
def test_conv_forward_and_backward_equal_plain_loops(n, c, o, h, w, k):
    conv = nn.Conv2D(c, o, k, seed=2)
    conv.params["b"][...] = RNG.normal(size=o)
    X = RNG.normal(size=(n, c, h, w))
    out = conv.forward(X)
    assert np.allclose(out, conv_by_loops(X, conv.params["W"], conv.params["b"]))
    G = RNG.normal(size=out.shape)
    dX = conv.backward(G)
    dW, db, dX_loops = conv_backward_by_loops(X, conv.params["W"], G)
    assert np.allclose(conv.grads["W"], dW)
    assert np.allclose(conv.grads["b"], db)
    assert np.allclose(dX, dX_loops)


def maxpool_by_loops(X, s, G):
    """Forward max of each s x s window; backward G to the first maximum (row-major)."""
    N, C, H, W = X.shape
    out, dX = np.zeros((N, C, H // s, W // s)), np.zeros_like(X)
    for n in range(N):
        for c in range(C):
            for i in range(H // s):
                for j in range(W // s):
                    window = X[n, c, i * s : (i + 1) * s, j * s : (j + 1) * s]
                    out[n, c, i, j] = window.max()
                    u, v = next(
                        (u, v) for u in range(s) for v in range(s) if window[u, v] == window.max()
                    )
                    dX[n, c, i * s + u, j * s + v] = G[n, c, i, j]
    return out, dX


@pytest.mark.parametrize("shape, size", [((2, 3, 4, 6), 2), ((1, 2, 7, 5), 2), ((2, 1, 6, 6), 3)])
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_maxpool_equals_plain_loops_and_sends_ties_to_the_first_max(shape, size, ties):
    X = RNG.integers(0, 3, size=shape).astype(float) if ties else RNG.normal(size=shape)
    pool = nn.MaxPool2D(size)
    out = pool.forward(X)
    G = RNG.normal(size=out.shape)
    out_loops, dX_loops = maxpool_by_loops(X, size, G)
    assert np.array_equal(out, out_loops)
    assert np.array_equal(pool.backward(G), dX_loops)


def test_maxpool_floors_like_torch_leftover_rows_and_columns_get_no_gradient():
    X = np.arange(35.0).reshape(1, 1, 5, 7)
    pool = nn.MaxPool2D(2)
    assert pool.forward(X).tolist() == [[[[8.0, 10.0, 12.0], [22.0, 24.0, 26.0]]]]
    dX = pool.backward(np.ones((1, 1, 2, 3)))
    assert dX.shape == X.shape and dX.sum() == 6
    assert np.all(dX[0, 0, 4, :] == 0) and np.all(dX[0, 0, :, 6] == 0)


def test_flatten_is_row_major_and_backward_restores_the_shape():
    X = np.arange(24.0).reshape(2, 3, 2, 2)
    flat = nn.Flatten()
    assert np.array_equal(flat.forward(X), X.reshape(2, 12))
    assert flat.forward(X)[1, :4].tolist() == [12.0, 13.0, 14.0, 15.0]  # channel 0 of image 1
    assert flat.backward(np.ones((2, 12))).shape == (2, 3, 2, 2)


# ----- shapes, parameters, initialisation -----


@pytest.mark.parametrize(
    "c, o, k, x_shape, out_shape",
    [
        (1, 8, 3, (128, 1, 8, 8), (128, 8, 6, 6)),
        (3, 32, 3, (2, 3, 32, 32), (2, 32, 30, 30)),  # Article B's Conv2D(32, (3, 3)) on 32x32x3
        (2, 4, (1, 3), (5, 2, 4, 6), (5, 4, 4, 4)),
        (1, 1, 5, (1, 1, 5, 5), (1, 1, 1, 1)),
    ],
)
def test_conv_shapes(c, o, k, x_shape, out_shape):
    conv = nn.Conv2D(c, o, k)
    kh, kw = (k, k) if isinstance(k, int) else k
    assert {name: p.shape for name, p in conv.params.items()} == {"W": (o, c, kh, kw), "b": (o,)}
    assert conv.params.keys() == conv.grads.keys()
    out = conv.forward(np.ones(x_shape))
    assert out.shape == out_shape
    assert conv.backward(np.ones(out_shape)).shape == x_shape
    assert conv.parameter_count() == o * c * kh * kw + o


def test_article_b_image_branch_shapes():
    """Conv2D(32, 3x3) -> ReLU -> 2x2 max-pool -> flatten on 32x32x3: 15 * 15 * 32 features."""
    branch = nn.Sequential([nn.Conv2D(3, 32, 3), nn.ReLU(), nn.MaxPool2D(2), nn.Flatten()])
    assert branch.forward(np.zeros((2, 3, 32, 32))).shape == (2, 15 * 15 * 32)


def test_grads_are_filled_in_place_and_parameterless_layers_have_empty_dicts():
    conv = nn.Conv2D(2, 3, 2)
    ids = {name: id(g) for name, g in conv.grads.items()}
    conv.backward(np.ones(conv.forward(np.ones((1, 2, 3, 3))).shape))
    assert {name: id(g) for name, g in conv.grads.items()} == ids
    assert np.all(conv.grads["b"] == 4)  # 1 image x 2 x 2 output pixels
    for layer in (nn.MaxPool2D(2), nn.Flatten()):
        assert layer.params == {} and layer.grads == {} and layer.parameter_count() == 0


def test_he_initialisation_with_fan_in_channels_times_kernel_area():
    conv = nn.Conv2D(16, 64, 3, seed=0)
    expected = np.sqrt(2 / (16 * 3 * 3))
    assert abs(conv.params["W"].std() - expected) < 0.03 * expected
    assert abs(conv.params["W"].mean()) < 0.03 * expected
    assert np.all(conv.params["b"] == 0)


def test_same_seed_same_weights_and_a_generator_is_used_like_linear():
    a, b, c = nn.Conv2D(2, 3, 3, seed=5), nn.Conv2D(2, 3, 3, seed=5), nn.Conv2D(2, 3, 3, seed=6)
    assert np.array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], c.params["W"])
    from_generator = nn.Conv2D(2, 3, 3, seed=np.random.default_rng(5))
    assert np.array_equal(from_generator.params["W"], a.params["W"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_small_cnn_learns_the_digits(seed):
    """conv(8 filters, 3x3) -> ReLU -> 2x2 pool -> Linear(72, 10), Adam, 5 epochs on 1000 digits:
    above 0.9 accuracy on the 797 held out (chance: 0.1); measured 0.935-0.954 on seeds 0-3."""
    images, labels = data.load_digits()
    X, order = images[:, None], np.random.default_rng(seed).permutation(len(labels))
    train_idx, val_idx = order[:1000], order[1000:]
    net = nn.Sequential(
        [
            nn.Conv2D(1, 8, 3, seed=seed),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Flatten(),
            nn.Linear(72, 10, seed=seed),
        ]
    )
    history = train.fit(
        net,
        losses.softmax_cross_entropy,
        optim.Adam(lr=0.01),
        X[train_idx],
        labels[train_idx],
        epochs=5,
        seed=seed,
        val=(X[val_idx], labels[val_idx]),
    )
    assert history.metrics["val_accuracy"][-1] > 0.9


# ----- bad input -----


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: nn.Conv2D(0, 2, 3), ValueError, "in_channels must be an int >= 1"),
        (lambda: nn.Conv2D(1, 2.0, 3), ValueError, "out_channels must be an int >= 1"),
        (lambda: nn.Conv2D(1, 2, 2.5), ValueError, r"kernel_size \(kh\) must be an int >= 1"),
        (lambda: nn.Conv2D(1, 2, (3, 0)), ValueError, r"kernel_size \(kw\) must be an int >= 1"),
        (lambda: nn.Conv2D(1, 2, (3, 3, 3)), ValueError, "kernel_size must be an int or a pair"),
        (lambda: nn.Conv2D(1, 2, "3"), ValueError, r"kernel_size \(kh\) must be an int"),
        (
            lambda: nn.Conv2D(1, 2, 3).forward(np.ones((4, 8, 8))),
            ValueError,
            r"X must have shape \(n, 1, h, w\) \(4 axes.*got \(4, 8, 8\)",
        ),
        (
            lambda: nn.Conv2D(3, 2, 3).forward(np.ones((4, 1, 8, 8))),
            ValueError,
            r"X must have shape \(n, 3, h, w\).*got \(4, 1, 8, 8\)",
        ),
        (
            lambda: nn.Conv2D(1, 2, 5).forward(np.ones((4, 1, 8, 4))),
            ValueError,
            r"height and width must be >= the kernel's \(kh, kw\) = \(5, 5\), "
            r"got \(h, w\) = \(8, 4\)",
        ),
        (
            lambda: nn.Conv2D(1, 2, 3).backward(np.ones((1, 2, 1, 1))),
            RuntimeError,
            "forward before backward",
        ),
        (lambda: nn.MaxPool2D(0), ValueError, "size must be an int >= 1"),
        (lambda: nn.MaxPool2D(1.5), ValueError, "size must be an int >= 1"),
        (
            lambda: nn.MaxPool2D(2).forward(np.ones((4, 64))),
            ValueError,
            r"X must have shape \(n, channels, h, w\)",
        ),
        (
            lambda: nn.MaxPool2D(3).forward(np.ones((1, 1, 2, 6))),
            ValueError,
            r"height and width must be >= size = 3, got \(h, w\) = \(2, 6\)",
        ),
        (
            lambda: nn.MaxPool2D(2).backward(np.ones((1, 1, 1, 1))),
            RuntimeError,
            "forward before backward",
        ),
        (lambda: nn.Flatten().forward(np.ones(5)), ValueError, r"\(n, \.\.\.\), got shape \(5,\)"),
        (lambda: nn.Flatten().backward(np.ones((1, 5))), RuntimeError, "forward before backward"),
    ],
)
def test_bad_input_raises_clear_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()
