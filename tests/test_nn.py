"""Layers and MLPs: every backward pass against finite differences, initialisation, bad input."""

import numpy as np
import pytest
from helpers import assert_grad_close, assert_model_grads_close

from mmlearn import losses, nn, train

RNG = np.random.default_rng(0)


def _squared_sum_loss(model, X, w):
    """L = sum(w * out): its dL/d(out) is w, a random direction that exercises every entry."""

    def loss_fn():
        out = model.forward(X)
        return float(np.sum(w * out)), w

    return loss_fn


@pytest.mark.parametrize(
    "layer",
    [nn.Linear(4, 3, seed=1), nn.ReLU(), nn.Tanh(), nn.Sigmoid()],
    ids=["Linear", "ReLU", "Tanh", "Sigmoid"],
)
def test_each_layer_backward_matches_finite_differences(layer):
    X = RNG.normal(size=(5, 4))
    w = RNG.normal(size=layer.forward(X).shape)
    if layer.params:
        assert_model_grads_close(layer, _squared_sum_loss(layer, X, w))

    def loss_of_input(x):
        return float(np.sum(w * layer.forward(x)))

    def grad_of_input(x):
        layer.forward(x)
        return layer.backward(w)

    assert_grad_close(loss_of_input, grad_of_input, X)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_gradients_with_cross_entropy_match_finite_differences(activation):
    net = nn.MLP([3, 6, 5, 4], activation=activation, seed=2)
    X, y = RNG.normal(size=(7, 3)), RNG.integers(0, 4, size=7)
    assert_model_grads_close(net, lambda: losses.softmax_cross_entropy(net.forward(X), y))
    assert_grad_close(
        lambda x: losses.softmax_cross_entropy(net.forward(x), y)[0],
        lambda x: net.backward(losses.softmax_cross_entropy(net.forward(x), y)[1]),
        X,
    )


def test_mlp_keys_shapes_and_shared_arrays():
    net = nn.MLP([64, 32, 10], seed=0)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (64, 32),
        "b1": (32,),
        "W2": (32, 10),
        "b2": (10,),
    }
    assert net.params.keys() == net.grads.keys()
    assert net.params["W1"] is net.layers[0].params["W"]  # an optimizer's update reaches the layer
    net.forward(np.ones((2, 64)))
    grads_before = {k: id(v) for k, v in net.grads.items()}
    net.backward(np.ones((2, 10)))
    assert {k: id(v) for k, v in net.grads.items()} == grads_before  # filled in place
    assert net.parameter_count() == 64 * 32 + 32 + 32 * 10 + 10


def test_forward_is_X_W_plus_b_with_activation_between_layers_only():
    net = nn.MLP([2, 3, 1], activation="tanh", seed=0)
    X = RNG.normal(size=(4, 2))
    p = net.params
    expected = np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    assert np.allclose(net.forward(X), expected)


def test_same_seed_same_network_different_seed_different_network():
    a, b, c = nn.MLP([5, 4, 2], seed=3), nn.MLP([5, 4, 2], seed=3), nn.MLP([5, 4, 2], seed=4)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_he_and_xavier_initialisation_scales():
    he = nn.Linear(400, 300, init="he", seed=0).params["W"]
    assert abs(he.std() - np.sqrt(2 / 400)) < 0.02 * np.sqrt(2 / 400)
    xavier = nn.Linear(400, 300, init="xavier", seed=0).params["W"]
    limit = np.sqrt(6 / 700)
    assert np.abs(xavier).max() <= limit and np.abs(xavier).max() > 0.99 * limit
    assert np.all(nn.Linear(4, 3).params["b"] == 0)


def test_relu_gradient_at_zero_is_zero_like_torch():
    relu = nn.ReLU()
    relu.forward(np.array([[-1.0, 0.0, 2.0]]))
    assert relu.backward(np.ones((1, 3))).tolist() == [[0.0, 0.0, 1.0]]


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        out = nn.Sigmoid().forward(np.array([[-1000.0, 1000.0]]))
    assert out.tolist() == [[0.0, 1.0]]


def test_get_and_set_params_copy_in_place():
    net = nn.MLP([2, 2, 1])
    saved, W1 = net.get_params(), net.params["W1"]
    W1 += 1.0
    net.set_params(saved)
    assert net.params["W1"] is W1 and np.array_equal(W1, saved["W1"])
    with pytest.raises(ValueError, match="must have the keys"):
        net.set_params({"W1": saved["W1"]})


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: nn.MLP([3]), ValueError, "at least an input and an output"),
        (lambda: nn.MLP([3, 0, 2]), ValueError, r"sizes\[1\] must be an int >= 1"),
        (lambda: nn.MLP([3, 2.5, 2]), ValueError, r"sizes\[1\] must be an int"),
        (lambda: nn.MLP([3, 2], activation="gelu"), ValueError, "activation must be one of"),
        (lambda: nn.Linear(3, 2, init="normal"), ValueError, "init must be one of"),
        (lambda: nn.Sequential([]), ValueError, "must not be empty"),
        (lambda: nn.Sequential([np.tanh]), TypeError, "mmlearn.nn Module"),
        (lambda: nn.MLP([3, 2]).forward(np.ones((4, 2))), ValueError, r"shape \(n, 3\)"),
        (
            lambda: nn.Linear(3, 2).backward(np.ones((1, 2))),
            RuntimeError,
            "forward before backward",
        ),
        (lambda: nn.ReLU().backward(np.ones((1, 2))), RuntimeError, "forward before backward"),
    ],
)
def test_bad_input_raises_clear_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


# --- the model protocol -------------------------------------------------------------------------


def test_model_is_an_abstract_protocol_that_every_model_follows():
    from mmlearn import fusion, multitask

    with pytest.raises(TypeError, match="abstract"):
        nn.Model()
    models = [
        nn.MLP([2, 2]),
        *(make() for make in fusion.MODELS.values()),
        multitask.MultiTaskNet(4, {"a": (2, "cross_entropy")}),
    ]
    for model in models:
        assert isinstance(model, nn.Model), model


def test_every_fit_has_the_same_keywords_and_defaults():
    import inspect

    from mmlearn import fusion, multitask

    # one fit for every model: nn.Model's; a model adds keywords through start_fit only
    for cls in (nn.MLP, *fusion.MODELS.values(), multitask.MultiTaskNet):
        assert cls.fit is nn.Model.fit, cls
    parameters = inspect.signature(nn.Model.fit).parameters
    assert list(parameters) == [
        *("self", "X", "y", "optimizer", "epochs", "batch_size", "seed", "schedule", "val"),
        *("patience", "options"),
    ]
    assert tuple(list(parameters)[3:-1]) == train.FIT_KEYWORDS  # what unknown keywords meet
    assert [p.default for p in list(parameters.values())[3:-1]] == [
        None,
        10,
        32,
        0,
        None,
        None,
        None,
    ]
    assert list(inspect.signature(multitask.MultiTaskNet.start_fit).parameters) == [
        "self",
        "sets",
        "seed",
        "weighting",
    ]


def test_a_keyword_no_model_adds_is_refused():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"MLP.fit takes .* and patience, not 'weighting'$"):
        nn.MLP([2, 2]).fit(X, y, weighting=None)


def test_a_mistyped_fit_keyword_gets_the_likely_name_and_lr_is_sent_to_the_optimizer():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError) as error:
        nn.MLP([2, 2]).fit(X, y, epoch=5, lr=0.1)
    message = str(error.value)
    assert "not 'epoch' (did you mean 'epochs'?), 'lr';" in message, message
    assert "the learning rate is the optimizer's" in message, message


def test_each_model_declares_the_keywords_it_adds_to_fit():
    from mmlearn import fusion, multitask

    assert nn.MLP([2, 2]).fit_keywords() == []
    assert fusion.EarlyFusion().fit_keywords() == ["modality_dropout"]
    assert multitask.MultiTaskNet(3, {"a": (2, "cross_entropy")}).fit_keywords() == ["weighting"]

    class Logged(nn.MLP):  # a model whose start_fit passes keywords through
        def start_fit(self, sets, seed, *args, verbose=False, **kwargs):
            return super().start_fit(sets, seed)

    assert Logged([2, 2]).fit_keywords() == ["verbose"]


def test_mlp_fit_is_train_fit_with_its_own_loss():
    from mmlearn import data, optim, train

    X, y = data.make_moons(100, noise=0.1, seed=0)
    a, b = nn.MLP([2, 8, 2], seed=1), nn.MLP([2, 8, 2], seed=1)
    ha = a.fit(X, y, optim.SGD(lr=0.1), epochs=3, batch_size=10, seed=2, val=(X, y))
    hb = train.fit(
        b,
        losses.softmax_cross_entropy,
        optim.SGD(lr=0.1),
        X,
        y,
        epochs=3,
        batch_size=10,
        seed=2,
        val=(X, y),
    )
    assert np.array_equal(ha.step_loss, hb.step_loss)
    assert np.array_equal(a.params["W1"], b.params["W1"])
    assert a.score(X, y) == ha.metrics["train_accuracy"][-1] == train.accuracy(a.forward(X), y)
    assert np.array_equal(a.predict(X), a.forward(X).argmax(axis=1))
    assert np.allclose(a.predict_proba(X).sum(axis=1), 1.0)


def test_fit_defaults_to_adam_and_checks_arguments_before_training():
    from mmlearn import data, optim

    X, y = data.make_moons(40, seed=0)
    net, reference = nn.MLP([2, 4, 2], seed=0), nn.MLP([2, 4, 2], seed=0)
    history = net.fit(X, y)
    assert len(history.step_loss) == 10 * 2  # epochs=10, batch_size=32
    assert np.array_equal(history.step_loss, reference.fit(X, y, optim.Adam(lr=3e-3)).step_loss)
    before = net.get_params()
    for bad in ({"epochs": 0}, {"batch_size": 0}, {"patience": 2}):
        with pytest.raises(ValueError):
            net.fit(X, y, **bad)
    assert all(np.array_equal(before[k], net.params[k]) for k in before)
