"""Issue #13, models, data and maths: every bad input a student might type gets a clear error
naming the argument (type and message checked), former silent wrong results now raise or give
the right answer, and a failed call leaves a trained model exactly as it was."""

import math

import numpy as np
import pytest

from mmlearn import data, fusion, gradcheck, landscapes, linreg, losses, multitask, nn

SMALL = data.make_image_text(60, task="redundant", seed=0)
X2, Y2 = data.make_moons(20, seed=0)
XM = np.random.default_rng(0).normal(size=(12, 4))
YM = {"c": np.arange(12) % 3, "r": np.linspace(0.0, 1.0, 12)}


def _mtn():
    return multitask.MultiTaskNet(4, {"c": (3, "cross_entropy"), "r": (1, "mse")}, trunk=(5,))


def _after_forward(layer, X):
    layer.forward(X)
    return layer


# --- seeds: one check (validate.seed), at construction --------------------------------------

SEEDED = {
    "MLP": lambda s: nn.MLP([2, 3], seed=s),
    "Linear": lambda s: nn.Linear(2, 3, seed=s),
    "Conv2D": lambda s: nn.Conv2D(1, 2, 3, seed=s),
    "dense": lambda s: nn.dense(2, 3, seed=s),
    **{name: (lambda s, cls=cls: cls(seed=s)) for name, cls in fusion.MODELS.items()},
    "MultiTaskNet": lambda s: multitask.MultiTaskNet(4, {"a": (2, "mse")}, seed=s),
    "make_linear_regression": lambda s: data.make_linear_regression(seed=s),
    "make_moons": lambda s: data.make_moons(seed=s),
    "make_spirals": lambda s: data.make_spirals(seed=s),
    "make_image_text": lambda s: data.make_image_text(10, seed=s),
    "split_indices": lambda s: data.split_indices(10, seed=s),
    "ImageTextDataset.split": lambda s: SMALL.split(seed=s),
}


@pytest.mark.parametrize("bad", [-1, 1.5, "a", None, True])
@pytest.mark.parametrize("name", sorted(SEEDED))
def test_a_bad_seed_is_named_where_it_is_given(name, bad):
    with pytest.raises(ValueError, match=r"seed must be an int >= 0"):
        SEEDED[name](bad)


@pytest.mark.parametrize("name", sorted(fusion.MODELS))
def test_a_fusion_model_checks_its_seed_at_construction_not_at_fit(name):
    with pytest.raises(ValueError, match="seed must be"):
        fusion.MODELS[name](seed=-1)  # formerly accepted, failing only in fit


# --- the error matrix: (call, exception type, what the message must say) -------------------

CASES = {
    # nn
    "MLP(5)": (lambda: nn.MLP(5), TypeError, r"sizes must be a list of layer sizes"),
    "MLP('abc')": (lambda: nn.MLP("abc"), TypeError, r"sizes must be a list"),
    "MLP float size": (lambda: nn.MLP([2, 3.0]), ValueError, r"sizes\[1\] must be an int"),
    "dense activation": (lambda: nn.dense(2, 3, "elu"), ValueError, "activation must be one of"),
    "Linear.forward None": (lambda: nn.Linear(2, 3).forward(None), TypeError, "X must be real"),
    "Linear.forward str": (lambda: nn.Linear(2, 3).forward("ab"), TypeError, "X must be numeric"),
    "Linear.forward complex": (
        lambda: nn.Linear(2, 3).forward(np.ones((1, 2)) + 1j),
        TypeError,
        "X must be real",
    ),
    "Linear.backward batch": (
        lambda: _after_forward(nn.Linear(2, 3), np.ones((4, 2))).backward(np.ones((5, 3))),
        ValueError,
        r"dout must have the shape .* \(4, 3\), got \(5, 3\)",
    ),
    "Linear.backward columns": (
        lambda: _after_forward(nn.Linear(2, 3), np.ones((4, 2))).backward(np.ones((4, 2))),
        ValueError,
        r"dout .* \(4, 3\), got \(4, 2\)",
    ),
    "MLP.backward batch": (
        lambda: _after_forward(nn.MLP([2, 3, 2]), np.ones((4, 2))).backward(np.ones((5, 2))),
        ValueError,
        r"dout .* \(4, 2\), got \(5, 2\)",
    ),
    "ReLU.backward batch": (
        lambda: _after_forward(nn.ReLU(), np.ones((4, 3))).backward(np.ones((5, 3))),
        ValueError,
        r"dout .* \(4, 3\), got \(5, 3\)",
    ),
    "Conv2D.backward batch": (
        lambda: _after_forward(nn.Conv2D(1, 2, 3), np.ones((4, 1, 5, 5))).backward(
            np.ones((5, 2, 3, 3))
        ),
        ValueError,
        r"dout .* \(4, 2, 3, 3\), got \(5, 2, 3, 3\)",
    ),
    "MaxPool2D.backward batch": (
        lambda: _after_forward(nn.MaxPool2D(2), np.ones((4, 1, 4, 4))).backward(
            np.ones((5, 1, 2, 2))
        ),
        ValueError,
        r"dout .* \(4, 1, 2, 2\)",
    ),
    "Flatten.backward batch": (
        lambda: _after_forward(nn.Flatten(), np.ones((4, 1, 4, 4))).backward(np.ones((5, 16))),
        ValueError,
        r"dout .* \(4, 16\), got \(5, 16\)",
    ),
    "MLP.predict NaN": (
        lambda: nn.MLP([2, 3]).predict(np.full((3, 2), np.nan)),
        ValueError,
        "X contains NaN",
    ),
    "MLP.predict complex": (
        lambda: nn.MLP([2, 3]).predict(np.ones((3, 2)) + 1j),
        TypeError,
        "X must be real",
    ),
    "MLP.score y[:1]": (
        lambda: nn.MLP([2, 2]).score(X2, Y2[:1]),
        ValueError,
        r"y must hold one label per example: 20 examples, got 1",
    ),
    "MLP.score y column": (
        lambda: nn.MLP([2, 2]).score(X2, Y2[:, None]),
        ValueError,
        r"y must be a non-empty 1-D array",
    ),
    "MLP.score y None": (
        lambda: nn.MLP([2, 2]).score(X2, None),
        TypeError,
        "y must be integer class labels, got None",
    ),
    "MLP.score y float": (
        lambda: nn.MLP([2, 2]).score(X2, Y2 + 0.5),
        TypeError,
        "y must be integer class labels",
    ),
    "MLP.score y negative": (
        lambda: nn.MLP([2, 2]).score(X2, Y2 - 1),
        ValueError,
        "y must be class indices",
    ),
    "set_params not a dict": (
        lambda: nn.MLP([2, 3]).set_params(None),
        TypeError,
        "values must be a dict",
    ),
    "set_params shape": (
        lambda: nn.MLP([2, 3]).set_params({"W1": np.ones((1, 3)), "b1": np.zeros(3)}),
        ValueError,
        r"values\['W1'\] and the parameter W1 must have the same shape",
    ),
    "set_params scalar": (
        lambda: nn.MLP([2, 3]).set_params({"W1": np.ones((2, 3)), "b1": 0.0}),
        ValueError,
        r"values\['b1'\] .* same shape, got \(\) and \(3,\)",
    ),
    "set_params NaN": (
        lambda: nn.MLP([2, 3]).set_params({"W1": np.ones((2, 3)), "b1": np.full(3, np.nan)}),
        ValueError,
        r"values\['b1'\] contains NaN",
    ),
    # fusion
    "fusion score y[:1]": (
        lambda: _fitted("early").score((SMALL.images, SMALL.bow), SMALL.labels[:1]),
        ValueError,
        r"y must hold one label per example: 60 examples, got 1",
    ),
    "fusion score float y": (
        lambda: _fitted("late").score((SMALL.images, SMALL.bow), SMALL.labels * 1.0),
        TypeError,
        "y must be integer class labels",
    ),
    # multitask
    "MultiTaskNet task not a pair": (
        lambda: multitask.MultiTaskNet(64, {"a": 3}),
        TypeError,
        r"tasks\['a'\] must be a pair \(outputs, loss\)",
    ),
    "MultiTaskNet task one item": (
        lambda: multitask.MultiTaskNet(64, {"a": (3,)}),
        TypeError,
        r"tasks\['a'\] must be a pair",
    ),
    "MultiTaskNet trunk=5": (
        lambda: multitask.MultiTaskNet(64, {"a": (3, "mse")}, trunk=5),
        TypeError,
        "trunk must be a tuple of hidden-layer sizes",
    ),
    "MultiTaskNet trunk=()": (
        lambda: multitask.MultiTaskNet(64, {"a": (3, "mse")}, trunk=()),
        TypeError,
        "trunk must be a tuple",
    ),
    "MultiTaskNet trunk size": (
        lambda: multitask.MultiTaskNet(64, {"a": (3, "mse")}, trunk=(8, 0)),
        ValueError,
        r"trunk\[1\] must be an int >= 1",
    ),
    "MultiTaskNet one class": (
        lambda: multitask.MultiTaskNet(64, {"a": (1, "cross_entropy")}),
        ValueError,
        r"outputs of task 'a' must be an int >= 2",
    ),
    "MultiTaskNet float labels": (
        lambda: _mtn().fit(XM, {**YM, "c": YM["c"] + 0.5}),
        TypeError,
        r"Y\['c'\] must be integer class labels",
    ),
    "MultiTaskNet label range": (
        lambda: _mtn().fit(XM, {**YM, "c": YM["c"] + 1}),
        ValueError,
        r"Y\['c'\] must be class labels in \[0, 2\] \(task 'c'",
    ),
    "MultiTaskNet NaN target": (
        lambda: _mtn().fit(XM, {**YM, "r": YM["r"] * np.nan}),
        ValueError,
        r"Y\['r'\] contains NaN",
    ),
    "MultiTaskNet target shape": (
        lambda: _mtn().fit(XM, {**YM, "r": np.ones((12, 2))}),
        ValueError,
        r"Y\['r'\] must have shape \(12,\).*task 'r'",
    ),
    "MultiTaskNet None target": (
        lambda: _mtn().fit(XM, {**YM, "r": None}),
        TypeError,
        r"Y\['r'\] must be real numbers",
    ),
    "MultiTaskNet val labels": (
        lambda: _mtn().fit(XM, YM, val=(XM, {**YM, "c": YM["c"] + 1})),
        ValueError,
        r"val\[1\]\['c'\] must be class labels",
    ),
    "MultiTaskNet score labels": (
        lambda: _mtn().score(XM, {**YM, "c": YM["c"] + 5}),
        ValueError,
        r"Y\['c'\] must be class labels",
    ),
    "MultiTaskNet fit seed": (lambda: _mtn().fit(XM, YM, seed=-1), ValueError, "seed must be"),
    # data
    "bag_of_words one string": (
        lambda: data.bag_of_words("a handwritten seven"),
        TypeError,
        r"captions must be a list of captions .* pass \[caption\]",
    ),
    "bag_of_words None": (lambda: data.bag_of_words(None), TypeError, "captions must be a list"),
    "bag_of_words non-str": (
        lambda: data.bag_of_words(["seven", 7]),
        TypeError,
        "captions must be a list of captions",
    ),
    "split empty test": (
        lambda: data.make_image_text(10).split(0.01),
        ValueError,
        r"test_fraction = 0.01 .* leaves the test set empty: use at least 0.1",
    ),
    "split empty train": (
        lambda: data.make_image_text(10).split(0.99),
        ValueError,
        r"test_fraction = 0.99 .* leaves the training set empty",
    ),
    "subset out of range": (
        lambda: SMALL.subset([500]),
        IndexError,
        r"idx holds 500, outside the n = 60 examples",
    ),
    "subset negative": (lambda: SMALL.subset([-61]), IndexError, r"idx holds -61"),
    "subset float": (lambda: SMALL.subset([1.5]), TypeError, "idx must be integer indices"),
    "subset short mask": (
        lambda: SMALL.subset(np.ones(3, dtype=bool)),
        ValueError,
        r"boolean mask idx must have n = 60 entries",
    ),
    "linear_regression w=nan": (
        lambda: data.make_linear_regression(w=np.nan),
        ValueError,
        "w must be a finite number",
    ),
    "linear_regression b=inf": (
        lambda: data.make_linear_regression(b=np.inf),
        ValueError,
        "b must be a finite number",
    ),
    "linear_regression w='2'": (
        lambda: data.make_linear_regression(w="2"),
        TypeError,
        "w must be a number",
    ),
    "linear_regression x_range=5": (
        lambda: data.make_linear_regression(x_range=5),
        TypeError,
        r"x_range must be a pair \(low, high\)",
    ),
    "linear_regression x_range str": (
        lambda: data.make_linear_regression(x_range=("a", "b")),
        TypeError,
        r"x_range\[0\] must be a number",
    ),
    "linear_regression x_range order": (
        lambda: data.make_linear_regression(x_range=(5, 1)),
        ValueError,
        "low < high",
    ),
    "spirals n < classes": (
        lambda: data.make_spirals(n=3, classes=5),
        ValueError,
        "n must be >= classes",
    ),
    "spirals turns=1e308": (
        lambda: data.make_spirals(turns=1e308),
        ValueError,
        r"turns must be a finite number in \(0, 100\]",
    ),
    # losses
    "mse complex": (
        lambda: losses.mse(np.array([1 + 1j]), np.zeros(1)),
        TypeError,
        "pred must be real",
    ),
    "mse None": (lambda: losses.mse(None, None), TypeError, "pred must be real .* got None"),
    "mse target (n, 2)": (
        lambda: losses.mse(np.zeros(3), np.zeros((3, 2))),
        ValueError,
        r"pred and target .* got \(3,\) and \(3, 2\)",
    ),
    "softmax None": (lambda: losses.softmax(None), TypeError, "logits must be real .* None"),
    "softmax str": (lambda: losses.softmax("a"), TypeError, "logits must be numeric"),
    "sigmoid complex": (lambda: losses.sigmoid(np.array([1j])), TypeError, "x must be real"),
    # landscapes and linear regression
    "landscape complex": (
        lambda: landscapes.ROSENBROCK.value(np.array([1 + 1j, 2])),
        TypeError,
        "xy must be real",
    ),
    "quadratic complex": (
        lambda: landscapes.quadratic().grad(np.array([1j, 2])),
        TypeError,
        "xy must be real",
    ),
    "linreg landscape complex": (
        lambda: linreg.landscape(np.arange(5.0), np.arange(5.0)).value(np.array([1j, 2])),
        TypeError,
        "theta must be real",
    ),
    "linreg landscape shape": (
        lambda: linreg.landscape(np.arange(5.0), np.arange(5.0)).grad(np.ones(3)),
        ValueError,
        r"theta must have shape \(\.\.\., 2\)",
    ),
    "stability_limit([])": (
        lambda: linreg.stability_limit([]),
        ValueError,
        r"x must be the feature values, shape \(n,\) with n >= 1",
    ),
    "stability_limit 2-D": (
        lambda: linreg.stability_limit(np.ones((3, 2))),
        ValueError,
        r"x must be the feature values",
    ),
    "condition_number([])": (lambda: linreg.condition_number([]), ValueError, "x must be"),
    "objective theta shape": (
        lambda: linreg.objective(np.arange(5.0), np.arange(5.0))(np.zeros(3)),
        ValueError,
        r"theta must be \(w, b\), shape \(2,\)",
    ),
    # more of the same kinds, found by trying what a student would type
    "noise_curve two sequences": (
        lambda: fusion.noise_curve({}, "match", [0.0, 0.1], [0.0, 0.1]),
        ValueError,
        "image_noise and caption_noise cannot both be sequences",
    ),
    "noise_curve models list": (
        lambda: fusion.noise_curve([1], "match", [0.0]),
        TypeError,
        "models must be a dict name -> fitted model",
    ),
    "concat one data set": (
        lambda: data.concat(SMALL),
        TypeError,
        "parts must be a list of data sets",
    ),
    "Fixed weights list": (
        lambda: multitask.Fixed([1.0, 2.0]),
        TypeError,
        "weights must be a dict task -> weight",
    ),
    "MultiTaskNet.backward tasks": (
        lambda: _after_forward(_mtn(), XM).backward({"c": np.zeros((12, 3))}),
        ValueError,
        r"dout must be a dict with the tasks \['c', 'r'\]",
    ),
    "MultiTaskNet.backward shape": (
        lambda: _after_forward(_mtn(), XM).backward(
            {"c": np.zeros((12, 3)), "r": np.zeros((5, 1))}
        ),
        ValueError,
        r"dout must have the shape .* \(12, 1\), got \(5, 1\)",
    ),
    "cosine shapes": (
        lambda: multitask.cosine(np.ones(2), np.ones(3)),
        ValueError,
        r"a and b must have the same shape",
    ),
    "fusion fit negative label": (
        lambda: fusion.EarlyFusion(hidden=4).fit((SMALL.images, SMALL.bow), SMALL.labels - 1),
        ValueError,
        "y must be class indices",
    ),
    "fusion fit list pair": (
        lambda: fusion.EarlyFusion(hidden=4).fit([SMALL.images, SMALL.bow], SMALL.labels),
        TypeError,
        r"X must be a pair \(images, texts\)",
    ),
    # gradcheck
    "numerical_grad array": (
        lambda: gradcheck.numerical_grad(lambda v: v**2, np.ones(2)),
        TypeError,
        r"f must return a number .* shape \(2,\)",
    ),
    "numerical_grad None": (
        lambda: gradcheck.numerical_grad(lambda v: None, np.ones(2)),
        TypeError,
        "f must return a number .* NoneType",
    ),
    "numerical_grad not callable": (
        lambda: gradcheck.numerical_grad(3, np.ones(2)),
        TypeError,
        "f must be a function",
    ),
    "check_grad grad None": (
        lambda: gradcheck.check_grad(lambda v: float(v @ v), lambda v: None, np.ones(2)),
        TypeError,
        r"grad\(x\) must be real",
    ),
    "check_grad grad shape": (
        lambda: gradcheck.check_grad(lambda v: float(v @ v), lambda v: 2 * v[:1], np.ones(2)),
        ValueError,
        r"grad\(x\) must have x's shape \(2,\)",
    ),
    "check_model(object())": (
        lambda: gradcheck.check_model(object(), lambda: (0.0, 0.0)),
        TypeError,
        "model must have params, grads and backward",
    ),
    "check_model loss_fn": (
        lambda: gradcheck.check_model(nn.MLP([2, 2]), 3),
        TypeError,
        "loss_fn must be a function",
    ),
}

_FITTED = {}


def _fitted(name):
    """A fusion model fitted once on SMALL (cached: the error cases do not change it)."""
    if name not in _FITTED:
        model = fusion.MODELS[name](hidden=4, seed=1)
        model.fit((SMALL.images, SMALL.bow), SMALL.labels, epochs=1, batch_size=16)
        _FITTED[name] = model
    return _FITTED[name]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error_naming_the_argument(case):
    call, error, message = CASES[case]
    with pytest.raises(error, match=message):
        call()


# --- former silent wrong results: now right ---------------------------------------------------


def test_a_nan_gradient_fails_every_tolerance_test():
    assert gradcheck.relative_error([np.nan], [1.0]) == math.inf
    assert gradcheck.relative_error([1.0], [np.inf]) == math.inf
    err = gradcheck.check_grad(lambda v: float(v @ v), lambda v: v * np.nan, np.ones(2))
    assert err == math.inf and not err < 1e-6 and err > 1e-6
    assert gradcheck.check_grad(lambda v: float(v @ v), lambda v: 2 * v, np.ones(2)) < 1e-8


def test_check_model_reports_inf_for_a_nan_gradient():
    net = nn.MLP([2, 2], seed=0)
    X, y = np.ones((3, 2)), np.array([0, 1, 0])

    def loss_fn():
        value, dout = losses.softmax_cross_entropy(net.forward(X), y)
        return value, dout * np.nan

    assert all(err == math.inf for err in gradcheck.check_model(net, loss_fn).values())


def test_linear_forward_accepts_a_list_like_an_array():
    layer = nn.Linear(2, 3, seed=0)
    assert np.array_equal(layer.forward([[1.0, 2.0]]), layer.forward(np.array([[1.0, 2.0]])))


def test_layers_let_non_finite_activations_through_for_divergence_to_be_reported():
    assert np.isnan(nn.MLP([2, 3], seed=0).forward(np.full((1, 2), np.nan))).all()
    assert np.isinf(landscapes.ROSENBROCK.value(np.array([np.inf, 0.0])))


def test_condition_number_of_a_constant_feature_is_inf_not_negative():
    assert linreg.condition_number([3.1] * 7) == math.inf
    assert linreg.condition_number([3.0, 3.0, 3.0]) == math.inf
    assert 1 < linreg.condition_number(np.arange(10.0)) < math.inf


def test_score_agrees_with_predict_when_y_is_right():
    net = nn.MLP([2, 4, 2], seed=0)
    assert net.score(X2, Y2) == np.mean(net.predict(X2) == Y2)
    assert net.score(X2.tolist(), Y2.tolist()) == net.score(X2, Y2)


def test_bag_of_words_of_one_caption_in_a_list():
    bow = data.bag_of_words(["a handwritten seven"])
    assert bow.shape == (1, len(data.VOCAB)) and bow.sum() == 3


def test_spirals_and_split_at_their_limits_still_work():
    assert sorted(set(data.make_spirals(n=5, classes=5)[1].tolist())) == [0, 1, 2, 3, 4]
    assert np.isfinite(data.make_spirals(turns=100)[0]).all()
    train, test = data.make_image_text(10, seed=0).split(0.1)
    assert len(test) >= 1 and len(train) >= 1
    assert len(SMALL.subset([-1, 0])) == 2 and len(SMALL.subset(SMALL.labels > 4)) > 0


# --- state: a failed call leaves the trained model as it was --------------------------------


def _bad_fits():
    val_texts_cut = ((SMALL.images, SMALL.bow[:, :3]), SMALL.labels)
    return {
        "epochs=0": dict(epochs=0),
        "val texts with 3 columns": dict(val=val_texts_cut),
        "val of one item": dict(val=(SMALL.images,)),
        "seed=-1": dict(seed=-1),
        "seed=1.5": dict(seed=1.5),
        "batch_size=0": dict(batch_size=0),
        "patience without val": dict(patience=2),
        "schedule not a function": dict(schedule=3),
        "schedule failing at step 3": dict(schedule=lambda k: 1.0 if k < 3 else -1.0),
        "optimizer=3": dict(optimizer=3),
    }


@pytest.mark.parametrize("bad", sorted(_bad_fits()))
@pytest.mark.parametrize("name", sorted(fusion.MODELS))
def test_a_bad_fit_leaves_a_fitted_fusion_model_unchanged(name, bad):
    model = fusion.MODELS[name](hidden=4, seed=1)
    model.fit((SMALL.images, SMALL.bow), SMALL.labels, epochs=2, batch_size=16)
    before = {k: v.copy() for k, v in model.params.items()}
    proba = model.predict_proba((SMALL.images, SMALL.bow))
    with pytest.raises((ValueError, TypeError)):
        model.fit(
            (SMALL.images, SMALL.bow), SMALL.labels, epochs=1, batch_size=16, **_bad_fits()[bad]
        )
    assert model.params.keys() == before.keys()
    assert all(np.array_equal(model.params[k], before[k]) for k in before)
    assert np.array_equal(model.predict_proba((SMALL.images, SMALL.bow)), proba)


def test_a_fusion_fit_that_succeeds_after_a_failed_one_is_the_same_as_a_first_fit():
    def fitted_proba(model):
        model.fit((SMALL.images, SMALL.bow), SMALL.labels, epochs=1, batch_size=16)
        return model.predict_proba((SMALL.images, SMALL.bow))

    model = fusion.HybridFusion(hidden=4, seed=1)
    with pytest.raises(ValueError):
        model.fit((SMALL.images, SMALL.bow), SMALL.labels, schedule=lambda k: -1.0)
    assert np.array_equal(fitted_proba(model), fitted_proba(fusion.HybridFusion(hidden=4, seed=1)))


def test_set_params_is_all_or_nothing():
    net = nn.MLP([2, 3, 2], seed=0)
    before = net.get_params()
    bad = {**net.get_params(), "W1": before["W1"] + 1.0, "b2": np.full(2, np.nan)}
    with pytest.raises(ValueError, match=r"values\['b2'\]"):
        net.set_params(bad)
    bad = {**net.get_params(), "W1": before["W1"] + 1.0, "W2": np.ones((1, 2))}
    with pytest.raises(ValueError, match=r"values\['W2'\]"):
        net.set_params(bad)
    assert all(np.array_equal(net.params[k], before[k]) for k in before)
