"""Issue #13, the dashboards and the self-checks: every bad argument a student may type gets an
error naming it and what is allowed; nothing is silently clamped, half-applied or drawn
wrong; a self-check accepts every right form of an answer and names what is wrong with a wrong
one, without raising or hanging."""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import time_limit

from mmlearn import check, data, fusion, losses, multitask, nn, optim, train
from mmlearn import widgets as w

# --- dashboards: each bad argument raises, naming the argument and what is allowed ------------

LANDSCAPES = r"landscape must be one of \['ill-conditioned bowl', 'Rosenbrock'"

ERRORS = {  # function: [(its bad keyword arguments, the error, what the message says), ...]
    # 00 parabola: a dashboard's value outside its slider's range is refused, not clamped
    "gd_1d_dashboard": [
        ({"a": 10}, ValueError, r"a must be in \[0.5, 4\] \(the range of its slider\), got 10"),
        ({"lr": -1}, ValueError, r"lr must be in \[0, 5\] \(the range of its slider\), got -1"),
        ({"a": "1"}, TypeError, "a must be a number"),
        ({"lr": np.nan}, ValueError, "lr must be a finite number"),
    ],
    "compute_gd_1d": [
        ({"x0": np.nan}, ValueError, "x0 must be a finite number"),
        ({"a": 0}, ValueError, r"a must be a finite number in \(0, inf\]"),
        ({"a": None}, TypeError, "a must be a number"),
    ],
    # 01 tangent
    "tangent_dashboard": [
        ({"x": 10}, ValueError, r"x must be in \[-2.5, 2.5\]"),
        (
            {"loss": "mse"},
            ValueError,
            r"loss must be one of \['MSE', 'MAE', 'Huber', 'log-loss'\], got 'mse'",
        ),
    ],
    "compute_tangent": [
        ({"x": np.nan}, ValueError, "x must be a finite number"),
        ({"log10_h": 400}, ValueError, "log10_h must be"),
    ],
    # 02 linreg
    "compute_linreg_gd": [
        ({"lr_times_L": -1}, ValueError, "lr_times_L must be a finite number in"),
    ],
    "linreg_dashboard": [
        ({"lr_times_L": 3}, ValueError, r"lr_times_L must be in \[0.05, 2.2\]"),
        (
            {"scaling": "standardized"},
            ValueError,
            r"scaling must be one of \['raw', 'standardised'\]",
        ),
    ],
    # 03 sgd
    "sgd_dashboard": [
        ({"batch_size": 7}, ValueError, r"batch_size must be one of \[1, 4, 16, 100\], got 7"),
        ({"batch_size": True}, ValueError, "batch_size must be one of"),
        ({"schedule": "linear"}, ValueError, "schedule must be one of"),
    ],
    "compute_sgd": [
        ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1, got 0"),
        ({"batch_size": 2.5}, ValueError, "batch_size must be an int"),
        ({"epochs": 0}, ValueError, "epochs must be"),
        ({"seed": -1}, ValueError, "seed must be an int"),
    ],
    "make_schedule": [
        (
            {"name": "1/t", "steps_per_epoch": 0, "total_steps": 10},
            ValueError,
            "steps_per_epoch must be",
        ),
    ],
    # 04 race
    "race_dashboard": [
        ({"landscape": "bowl"}, ValueError, LANDSCAPES),
    ],
    "compute_race": [
        ({"landscape": "bowl"}, ValueError, LANDSCAPES),
        ({"landscape": None}, ValueError, "landscape must be one of .* got None"),
        ({"beta": -0.1}, ValueError, r"beta must be a finite number in \[0, 1\)"),
        ({"beta": 1.0}, ValueError, "beta must be"),
        ({"beta1": 1.0}, ValueError, "beta1 must be"),
        ({"lr_gd": -1}, ValueError, "lr_gd must be"),
        ({"lr_adam": np.nan}, ValueError, "lr_adam must be"),
        ({"lr_momentum": "0.3"}, TypeError, "lr_momentum must be a number"),
    ],
    # 05 blend
    "blend_dashboard": [
        ({"landscape": "bowl"}, ValueError, LANDSCAPES),
    ],
    "blend_members": [
        ({"landscape": "bowl"}, ValueError, LANDSCAPES),
    ],
    "compute_blend": [
        ({"w_gd": -1}, ValueError, r"w_gd must be a finite number in \[0, inf\]"),
        ({"w_rmsprop": np.nan}, ValueError, "w_rmsprop must be"),
    ],
    # 06 boundary: the arguments are checked before any training
    "compute_boundary": [
        ({"hidden": 0}, ValueError, "hidden must be an int >= 1, got 0"),
        ({"seed": -1}, ValueError, "seed must be an int >= 0"),
        ({"dataset": "circles"}, ValueError, r"dataset must be one of \['moons', 'spirals'\]"),
        ({"optimizer": "adam"}, ValueError, "optimizer must be one of"),
    ],
    "boundary_dashboard": [
        ({"hidden": 100}, ValueError, r"hidden must be in \[1, 64\]"),
        ({"hidden": 8.5}, ValueError, "hidden must be an int"),
        ({"lr": 10}, ValueError, r"lr must be in \[0.0001, 3.16228\]"),
    ],
}


CASES = [(name, *case) for name, cases in ERRORS.items() for case in cases]


@pytest.mark.parametrize(
    "name, kwargs, error, message", CASES, ids=[f"{name} {kwargs}" for name, kwargs, *_ in CASES]
)
def test_a_bad_dashboard_argument_is_named_with_what_is_allowed(name, kwargs, error, message):
    with pytest.raises(error, match=message):
        getattr(w, name)(**kwargs)


def test_a_bad_landscape_layer_is_named():
    with pytest.raises(ValueError, match="name must be one of"):
        w.landscape_layer(w.race_frame().axes[0], "bowl")


# --- dashboards: the former silent cases -------------------------------------------------------


def test_a_blend_with_no_weight_says_it_does_not_move_in_the_figure_and_the_status():
    res = w.compute_blend("saddle", 0.0, 0.0, 0.0, steps=10)
    still = res.trajectories["blend"]
    assert np.all(still.xs == still.xs[0])
    assert res.notes == {"blend": "no weight: the blend does not move"}
    frame = w.race_frame(w.BLEND_RACERS)
    status = w.draw_race(frame, res)
    assert "blend: no weight: the blend does not move" in status
    assert "blend: no weight: the blend does not move" in frame["status"].get_text()
    moving = w.compute_blend("saddle", 0.0, 0.0, 1.0, steps=10)
    assert moving.notes == {} and "no weight" not in w.draw_race(frame, moving)


def test_the_blend_dashboard_says_so_when_every_weight_is_dragged_to_zero():
    dash = w.blend_dashboard()
    dash.set_values(w_gd=0.0, w_momentum=0.0, w_rmsprop=0.0)
    assert "the blend does not move" in dash.status


def test_a_diverging_racer_is_said_in_the_figure():
    res = w.compute_race("ill-conditioned bowl", lr_gd=3.0, steps=50)
    frame = w.race_frame()
    w.draw_race(frame, res)
    assert "GD diverged at step" in frame["status"].get_text()


def test_a_dashboard_keeps_the_value_it_was_given_at_the_ends_of_its_range():
    dash = w.gd_1d_dashboard(a=4.0, lr=0.0)
    assert dash.values() == {"a": 4.0, "lr": 0.0}
    assert w.boundary_dashboard(hidden=1, lr=1e-4).values()["hidden"] == 1


@pytest.fixture(scope="module")
def fusion_models():
    train_set = data.make_image_text(200, "redundant", seed=0)
    models = {"early": fusion.EarlyFusion(seed=0), "late": fusion.LateFusion(seed=0)}
    for model in models.values():
        model.fit((train_set.images, train_set.bow), train_set.labels, epochs=1, batch_size=64)
    return models


@pytest.mark.parametrize("alpha", [2.0, -0.1, np.nan])
def test_compute_fusion_takes_the_alpha_late_fusion_takes(fusion_models, alpha):
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \[0, 1\]") as ours:
        w.compute_fusion(fusion_models, "redundant", alpha=alpha)
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \[0, 1\]") as model:
        fusion.LateFusion(alpha=alpha)
    assert str(ours.value) == str(model.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"image_noise": -0.1}, "image_noise must be"),
        ({"caption_noise": 1.5}, "caption_noise must"),
        ({"image_noise": "0.2"}, "image_noise must be a number"),
        ({"task": "same"}, "task must be"),
    ],
)
def test_compute_fusion_names_a_bad_noise_or_task(fusion_models, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        w.compute_fusion(fusion_models, **{"task": "redundant", **kwargs})


@pytest.mark.parametrize("models", [{}, None, ["late"]])
def test_fusion_without_a_late_model_is_named(models):
    for call in (
        lambda: w.compute_fusion(models, "redundant"),
        lambda: w.fusion_dashboard(models, "redundant"),
    ):
        with pytest.raises(ValueError, match="models must include 'late'"):
            call()


def test_each_fusion_score_goes_under_its_own_models_label(fusion_models):
    res = w.compute_fusion(fusion_models, "redundant", image_noise=0.6, alpha=0.9)
    assert list(res.scores) == ["early", "late"] and res.scores["early"] != res.scores["late"]
    frame = w.fusion_frame(["late", "early"])  # the bars in the other order
    w.draw_fusion(frame, res)
    ticks = {
        label.get_text(): x
        for x, label in zip(frame.axes[0].get_xticks(), frame.axes[0].get_xticklabels())
    }
    for name, score in res.scores.items():
        bar = frame[f"bar {name}"]
        assert bar.get_height() == score
        assert bar.get_x() + bar.get_width() / 2 == pytest.approx(ticks[name])
        assert frame[f"label {name}"].get_text() == f"{score:.2f}"
    with pytest.raises(ValueError, match=r"the frame has no bar for \['early'\]"):
        w.draw_fusion(w.fusion_frame(["late"]), res)


def test_set_values_is_all_or_nothing():
    dash = w.sgd_dashboard()
    before, png, status = dash.values(), dash.png, dash.status
    with pytest.raises(ValueError, match=r"batch_size must be one of \[1, 4, 16, 100\], got 7"):
        dash.set_values(lr=0.5, batch_size=7)
    with pytest.raises(ValueError, match=r"lr must be in \[0.01, 1\]"):
        dash.set_values(batch_size=4, lr=5.0)
    with pytest.raises(ValueError, match="the name of a control must be one of"):
        dash.set_values(lr=0.5, learning_rate=0.5)
    assert dash.values() == before and dash.png == png and dash.status == status
    dash.set_values(lr=0.5, batch_size=4)  # the same values, each valid, are applied together
    assert dash.values()["lr"] == 0.5 and dash.status.startswith("batch=4, lr=0.50")


def _sweep(lambdas, with_val: bool) -> dict:
    """A tiny λ sweep of MultiTaskNet (one epoch each), fitted with or without validation."""
    X = np.random.default_rng(0).normal(size=(20, 4))
    Y = {"digit": np.arange(20) % 3, "ink": X.sum(axis=1)}
    sweep = {}
    for lam in lambdas:
        net = multitask.MultiTaskNet(
            4, {"digit": (3, "cross_entropy"), "ink": (1, "mse")}, trunk=(4,), seed=0
        )
        sweep[lam] = net.fit(
            X,
            Y,
            weighting=multitask.Fixed({"ink": lam}),
            epochs=1,
            val=(X, Y) if with_val else None,
        )
    return sweep


def test_set_values_checks_a_selection_sliders_options():
    dash = w.multitask_dashboard(_sweep([0.1, 1.0], with_val=True))
    before, png = dash.values(), dash.png
    with pytest.raises(ValueError, match=r"lam must be one of \[0.1, 1.0\], got 0.5"):
        dash.set_values(lam=0.5)
    assert dash.values() == before and dash.png == png


@pytest.fixture(scope="module")
def runs_without_val():
    X, y = data.make_moons(60, seed=0)
    return {
        ("SGD", 8): train.fit(
            nn.MLP([2, 4, 2], seed=0),
            losses.softmax_cross_entropy,
            optim.SGD(lr=0.1),
            X,
            y,
            epochs=1,
            batch_size=8,
        )
    }


def test_efficiency_runs_fitted_without_val_are_named(runs_without_val):
    for call in (
        lambda: w.compute_efficiency(runs_without_val, "SGD"),
        lambda: w.efficiency_dashboard(runs_without_val),
    ):
        with pytest.raises(ValueError, match=r"must be fitted with val=.*\('SGD', 8\)"):
            call()
    with pytest.raises(ValueError, match="grid must hold at least one run"):
        w.efficiency_dashboard({})


def test_a_multitask_sweep_without_validation_or_with_other_task_names_is_named():
    sweep = _sweep([1.0], with_val=False)
    with pytest.raises(ValueError, match=r"the sweep's runs need \['val_digit_accuracy'"):
        w.compute_multitask(sweep, 1.0)
    with pytest.raises(ValueError, match="the sweep's runs need"):
        w.multitask_dashboard(sweep)
    with pytest.raises(ValueError, match=r"the sweep's runs need \['val_label_accuracy'"):
        w.compute_multitask(_sweep([1.0], with_val=True), 1.0, main="label")
    with pytest.raises(ValueError, match="sweep must hold at least one run"):
        w.multitask_dashboard({})


# --- self-checks: right answers in any form pass, wrong ones are named, nothing hangs ---------


def _linear_backward(X, W, dout):
    return X.T @ dout, dout.sum(axis=0), dout @ W.T


def _batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def _float_batches(n, batch_size, rng):
    return [batch.astype(float) for batch in _batches(n, batch_size, rng)]


def _mask_batches(n, batch_size, rng):
    return [np.isin(np.arange(n), batch) for batch in _batches(n, batch_size, rng)]


def _generator(n, batch_size, rng):
    yield from _batches(n, batch_size, rng)


def _endless(n, batch_size, rng):
    while True:
        yield rng.permutation(n)[:batch_size]


def _stub(pred, target): ...


def _forgets_return(pred, target):
    2 * (pred - target) / pred.size  # noqa: B018


def _mse_grad(pred, target):
    return 2 * (pred - target) / pred.size


RIGHT_FORMS = [
    ("steps_per_epoch as np.ceil", lambda: check.steps_per_epoch(1000, 64, np.ceil(1000 / 64))),
    ("steps_per_epoch as np.int64", lambda: check.steps_per_epoch(1000, 64, np.int64(16))),
    (
        "linear_backward as a list",
        lambda: check.linear_backward(lambda X, W, dout: list(_linear_backward(X, W, dout))),
    ),
    ("linear_backward as a tuple", lambda: check.linear_backward(_linear_backward)),
    (
        "uncertainty_optimum as float32",
        lambda: check.uncertainty_optimum(lambda L: L.astype(np.float32)),
    ),
    (
        "uncertainty_optimum as a list",
        lambda: check.uncertainty_optimum(lambda L: L.tolist()),
    ),
    (
        "parabola_without_half as float32",
        lambda: check.parabola_without_half(3, np.float32(1 / 6), np.float32(1 / 3)),
    ),
    (
        "parabola_without_half as 0-d arrays",
        lambda: check.parabola_without_half(3, np.array(1 / 6), np.array(1 / 3)),
    ),
    ("predicted_regime in capitals", lambda: check.predicted_regime(3, 0.6, " Oscillating ")),
    ("predicted_regime with a hyphen", lambda: check.predicted_regime(1, 1, "one-step")),
    (
        "minibatches as lists",
        lambda: check.minibatches(
            lambda n, b, rng: [batch.tolist() for batch in _batches(n, b, rng)]
        ),
    ),
    ("minibatches as a generator", lambda: check.minibatches(_generator)),
    (
        "loss_gradient as float32",
        lambda: check.loss_gradient("mse", lambda p, t: _mse_grad(p, t).astype(np.float32)),
    ),
]


@pytest.mark.parametrize(
    "run", [case[1] for case in RIGHT_FORMS], ids=[case[0] for case in RIGHT_FORMS]
)
def test_a_right_answer_in_another_legitimate_form_passes(capsys, run):
    with time_limit(10):
        assert run() is None
    out = capsys.readouterr().out
    assert out.startswith("✓ ") and out.count("\n") == 1, out


WRONG = [
    (
        "a complex gradient",
        lambda: check.loss_gradient("mse", lambda p, t: _mse_grad(p, t) + 1j),
        "has complex values",
    ),
    (
        "a complex gradient with 0j",
        lambda: check.loss_gradient("mse", lambda p, t: _mse_grad(p, t) + 0j),
        "has complex values",
    ),
    (
        "a complex number",
        lambda: check.parabola_without_half(3, 1 / 6 + 0j, 1 / 3),
        "lr_one_step has complex values",
    ),
    (
        "a number for a regime",
        lambda: check.predicted_regime(3, 0.6, 0.5),
        r"prediction should be one of \['stuck', 'monotone'",
    ),
    (
        "float index batches",
        lambda: check.minibatches(_float_batches),
        "batch 0 holds float64 values, not integers",
    ),
    ("mask batches", lambda: check.minibatches(_mask_batches), "batch 0 is a mask of True/False"),
    ("an endless generator", lambda: check.minibatches(_endless), "stopped reading there"),
    (
        "a stub",
        lambda: check.loss_gradient("mse", _stub),
        "not answered yet: the body of _stub is still `...`",
    ),
    (
        "a forgotten return",
        lambda: check.loss_gradient("mse", _forgets_return),
        r"_forgets_return returned None — did you forget `return`\?",
    ),
    (
        "an Ellipsis function",
        lambda: check.linear_backward(...),
        "not answered yet: my_fn is still `...`",
    ),
    (
        "an Ellipsis number",
        lambda: check.steps_per_epoch(1000, 64, ...),
        "not answered yet: steps is still `...`",
    ),
    (
        "None for a number",
        lambda: check.parabola_without_half(3, None, 1 / 3),
        "lr_one_step is None — did you forget `return`",
    ),
    (
        "text a checker cannot read",
        lambda: check.numerical_gradient(lambda f, x, eps: "not numbers"),
        "should be numbers, got 'not numbers' \\(str\\)",
    ),
    (
        "a count off by a hair",
        lambda: check.steps_per_epoch(1000, 64, 16.0000001),
        "not 16.0000001",
    ),
    (
        "a bool for a count",
        lambda: check.steps_per_epoch(1000, 64, True),
        "steps should be one number, got True",
    ),
    (
        "a tuple of the wrong length",
        lambda: check.linear_backward(lambda X, W, dout: _linear_backward(X, W, dout)[:2]),
        "my_fn should return 3 values",
    ),
    (
        "a gradient twice too large",
        lambda: check.loss_gradient("mse", lambda p, t: 2 * _mse_grad(p, t)),
        "is 2 × the right gradient: a factor 2 too many",
    ),
    (
        "a loss gradient without the mean",
        lambda: check.loss_gradient("mse", lambda p, t: 2 * (p - t)),
        "did you forget to divide by N",
    ),
    (
        "a flipped loss gradient",
        lambda: check.loss_gradient(
            "binary_cross_entropy_with_logits", lambda z, t: -(1 / (1 + np.exp(-z)) - t) / z.size
        ),
        "the sign is flipped: differentiate with respect to logits",
    ),
    (
        "logits twice too large are no gradient",
        lambda: check.late_fusion_logits(
            lambda f_image, f_text, alpha: 2 * (alpha * f_image + (1 - alpha) * f_text)
        ),
        "the logits is 2 × the right answer: a factor 2 too many",
    ),
    (
        "an all-zero answer",
        lambda: check.tensor_features(lambda h_image, h_text: np.zeros((3, 15))),
        "the features is all zeros",
    ),
    (
        "a negated dX is a gradient",
        lambda: check.relu_backward(lambda X, dout: -dout * (X > 0)),
        "dX is -1 × the right gradient: the sign is flipped",
    ),
]


@pytest.mark.parametrize("run, says", [case[1:] for case in WRONG], ids=[case[0] for case in WRONG])
def test_a_wrong_answer_is_named_never_raised_nor_hung(capsys, run, says):
    with time_limit(10):
        assert run() is None
    out = capsys.readouterr().out
    assert out.startswith("✗ ") and out.count("\n") == 1, out
    assert re.search(says, out), out


def test_a_checker_side_conversion_error_is_not_blamed_on_the_students_function(capsys):
    check.numerical_gradient(lambda f, x, eps: "not numbers")
    check.bag_of_words(lambda captions, vocab: [[1, 2], [3]])  # ragged: numpy cannot read it
    for line in capsys.readouterr().out.splitlines():
        assert line.startswith("✗ ") and "raised" not in line, line


def test_words_about_gradients_are_said_only_of_gradients(capsys):
    check.late_fusion_logits(
        lambda f_image, f_text, alpha: -(alpha * f_image + (1 - alpha) * f_text)
    )
    check.bag_of_words(lambda captions, vocab: 3 * data.bag_of_words(captions, vocab))
    for line in capsys.readouterr().out.splitlines():
        assert "gradient" not in line and "differentiate" not in line, line
