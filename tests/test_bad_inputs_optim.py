"""Issue #13, optimizers and training loops: every bad input gets a clear error naming the
argument, nothing is left half-done, and a used optimizer gives the same results as a new one.

Three kinds of test: the error matrix (exception type and the argument named in the message);
state cases (after the error the parameters and the optimizer's state are exactly as before);
former silent cases (the corrected behaviour, or the error)."""

import copy

import numpy as np
import pytest

from mmlearn import data, fusion, landscapes, losses, nn, optim, train, trajectories
from mmlearn.optim import SGD, Adagrad, Adam, AdamW, Blend, Lookahead, RMSprop, Switch

X, Y = data.make_moons(40, noise=0.1, seed=0)
LOSS = losses.softmax_cross_entropy
BOWL = landscapes.quadratic(condition_number=10)


def on_moons(function, sizes: list[int], **defaults):
    """``function(**kwargs)`` on a small problem: a fresh ``MLP(sizes, seed=0)``, softmax
    cross-entropy, ``SGD(lr=0.1)``, the moons (X, Y) and ``defaults``; ``kwargs`` replace any."""

    def call(**kwargs):
        args = {"model": nn.MLP(sizes, seed=0), "loss": LOSS, "optimizer": SGD(lr=0.1)}
        return function(**{**args, "X": X, "y": Y, **defaults, **kwargs})

    return call


fit_with = on_moons(train.fit, [2, 4, 2], epochs=1)
range_test_with = on_moons(train.lr_range_test, [2, 2], steps=5)


def descent_with(**kwargs):
    def loss_and_grad(theta, idx):
        return float(theta @ theta), 2 * theta

    args = {
        "loss_and_grad": loss_and_grad,
        "n": 10,
        "theta0": [1.0, -1.0],
        "optimizer": SGD(lr=0.1),
        "batch_size": 5,
        "epochs": 1,
        **kwargs,
    }
    return train.minibatch_descent(**args)


def with_nan(a, where=(3, 0), value=np.nan):
    a = np.array(a, dtype=np.float64)
    a[where] = value
    return a


def read_only(n):
    w = np.zeros(n)
    w.flags.writeable = False
    return w


SHARED = SGD(lr=0.1)

# --- the error matrix: (what the student types, the exception, what the message must name) ------

ERRORS = {
    # real bools only: "no" and "False" would count as true
    "nesterov='no'": (lambda: SGD(momentum=0.9, nesterov="no"), TypeError, "nesterov"),
    "amsgrad='False'": (lambda: Adam(amsgrad="False"), TypeError, "amsgrad"),
    "AdamW amsgrad=1": (lambda: AdamW(amsgrad=1), TypeError, "amsgrad"),
    "centered='False'": (lambda: RMSprop(centered="False"), TypeError, "centered"),
    "maximize='True'": (lambda: Adagrad(maximize="True"), TypeError, "maximize"),
    "maximize=None": (lambda: SGD(maximize=None), TypeError, "maximize"),
    "normalize='yes'": (lambda: Blend([(1, SGD())], normalize="yes"), TypeError, "normalize"),
    "shuffle='no'": (
        lambda: list(train.iterate_minibatches(5, 2, np.random.default_rng(0), shuffle="no")),
        TypeError,
        "shuffle",
    ),
    # composites
    "Blend(SGD())": (lambda: Blend(SGD()), TypeError, r"members .*\(weight, optimizer\) pairs"),
    "Blend('sgd')": (lambda: Blend("sgd"), TypeError, "members must be a list"),
    "Blend(5)": (lambda: Blend(5), TypeError, "members must be a list"),
    "Blend([SGD()])": (lambda: Blend([SGD()]), TypeError, r"members\[0\] must be a \(weight"),
    "Blend pair reversed": (lambda: Blend([(SGD(), 0.5)]), TypeError, r"weight of members\[0\]"),
    "Blend weights all 0": (lambda: Blend([(0, SGD()), (0, Adam())]), ValueError, "weight"),
    "Blend repeated member": (
        lambda: Blend([(0.5, SHARED), (0.5, SHARED)]),
        ValueError,
        "members use the same optimizer object twice",
    ),
    "Blend nested repeat": (
        lambda: Blend([(0.5, SHARED), (0.5, Lookahead(SHARED))]),
        ValueError,
        "members use the same optimizer object twice",
    ),
    "Blend in Blend repeat": (
        lambda: Blend([(1, Blend([(1, SHARED)])), (1, SHARED)]),
        ValueError,
        "same optimizer object twice",
    ),
    "Switch(a, a)": (
        lambda: Switch(SHARED, SHARED, at_step=3),
        ValueError,
        "first and second use the same optimizer object twice",
    ),
    "Switch at_step=-1": (lambda: Switch(SGD(), Adam(), at_step=-1), ValueError, "at_step"),
    "Switch at_step=1.5": (lambda: Switch(SGD(), Adam(), at_step=1.5), ValueError, "at_step"),
    "Switch second='sgd'": (lambda: Switch(SGD(), "sgd", 3), TypeError, "second"),
    "Lookahead k=-3": (lambda: Lookahead(SGD(), k=-3), ValueError, "k must be an int >= 1"),
    "Lookahead alpha=-0.1": (lambda: Lookahead(SGD(), alpha=-0.1), ValueError, "alpha"),
    "Adam betas=0.9": (lambda: Adam(betas=0.9), ValueError, "betas"),
    "SGD lr=None": (lambda: SGD(lr=None), TypeError, "lr"),
    # gradients a step cannot use
    "complex gradient": (
        lambda: SGD().step({"w": np.zeros(2)}, {"w": np.array([1, 1j])}),
        TypeError,
        r"grads\['w'\] must be real numbers",
    ),
    "None gradient": (
        lambda: SGD().step({"w": np.zeros(2)}, {"w": None}),
        TypeError,
        r"grads\['w'\]",
    ),
    "read-only parameter": (
        lambda: SGD().step({"w": read_only(2)}, {"w": np.ones(2)}),
        ValueError,
        r"params\['w'\] is read-only",
    ),
    # schedules: the schedule and the step are named, not "lr must be"
    "schedule returns -1": (
        lambda: optim.LambdaLR(SGD(), lambda step: -1.0),
        ValueError,
        "the schedule .*<lambda> returned -1.0 for step 0",
    ),
    "schedule returns NaN": (
        lambda: optim.LambdaLR(SGD(), lambda step: np.nan),
        ValueError,
        "schedule .*<lambda> returned nan for step 0",
    ),
    "schedule returns 'a'": (
        lambda: optim.LambdaLR(SGD(), lambda step: "a"),
        TypeError,
        "schedule .*<lambda> returned 'a' for step 0",
    ),
    "schedule returns None": (
        lambda: optim.LambdaLR(SGD(), lambda step: None),
        TypeError,
        "schedule .*<lambda> returned None",
    ),
    "schedule returns 2 numbers": (
        lambda: optim.LambdaLR(SGD(), lambda step: [1, 2]),
        TypeError,
        "schedule .*<lambda> returned",
    ),
    "schedule -1 at step 5 in run": (
        lambda: trajectories.run(SGD(), BOWL, schedule=lambda step: -1.0 if step == 5 else 1.0),
        ValueError,
        "returned -1.0 for step 5",
    ),
    "schedule=0.5": (lambda: optim.LambdaLR(SGD(), 0.5), TypeError, "schedule must be a function"),
    # run, heavy_ball_rate, compare
    "run(opt, 'rosenbrock')": (
        lambda: trajectories.run(SGD(), "rosenbrock"),
        TypeError,
        r"landscape must be a Landscape.*ROSENBROCK",
    ),
    "run(opt, None)": (lambda: trajectories.run(SGD(), None), TypeError, "landscape"),
    "run(landscape, opt)": (lambda: trajectories.run(BOWL, SGD()), TypeError, "optimizer"),
    "run bound=-1": (lambda: trajectories.run(SGD(), BOWL, bound=-1), ValueError, "bound"),
    "run start='a'": (lambda: trajectories.run(SGD(), BOWL, start="ab"), TypeError, "start"),
    "run start complex": (lambda: trajectories.run(SGD(), BOWL, start=[1j, 0]), TypeError, "start"),
    "run start None inside": (
        lambda: trajectories.run(SGD(), BOWL, start=[None, 1.0]),
        ValueError,
        "start contains NaN",
    ),
    "run steps=2.5": (lambda: trajectories.run(SGD(), BOWL, steps=2.5), ValueError, "steps"),
    "heavy_ball_rate(1, .5, [])": (
        lambda: trajectories.heavy_ball_rate(1, 0.5, []),
        ValueError,
        "curvatures",
    ),
    "heavy_ball_rate curvatures None": (
        lambda: trajectories.heavy_ball_rate(1, 0.5, None),
        TypeError,
        "curvatures",
    ),
    "heavy_ball_rate curvatures NaN": (
        lambda: trajectories.heavy_ball_rate(1, 0.5, [np.nan]),
        ValueError,
        "curvatures",
    ),
    "heavy_ball_rate lr='a'": (
        lambda: trajectories.heavy_ball_rate("a", 0.5, [1.0]),
        TypeError,
        "lr",
    ),
    "heavy_ball_rate momentum<0": (
        lambda: trajectories.heavy_ball_rate(1, -0.5, [1.0]),
        ValueError,
        "momentum",
    ),
    "compare an optimizer, not a factory": (
        lambda: trajectories.compare({"sgd": SGD()}, {"bowl": BOWL}),
        TypeError,
        r"make_optimizers\['sgd'\] must be a function",
    ),
    "compare a factory of a string": (
        lambda: trajectories.compare({"sgd": lambda: "sgd"}, {"bowl": BOWL}),
        TypeError,
        r"make_optimizers\['sgd'\]\(\)",
    ),
    "compare a landscape name": (
        lambda: trajectories.compare({"sgd": SGD}, {"bowl": "bowl"}),
        TypeError,
        r"landscapes\['bowl'\] must be a Landscape",
    ),
    "compare a list": (
        lambda: trajectories.compare([SGD], {"bowl": BOWL}),
        TypeError,
        "make_optimizers and landscapes must be dicts",
    ),
    "compare seed=-1": (
        lambda: trajectories.compare({"sgd": SGD}, {"bowl": BOWL}, seed=-1),
        ValueError,
        "seed",
    ),
    "compare steps=-1": (
        lambda: trajectories.compare({"sgd": SGD}, {"bowl": BOWL}, steps=-1),
        ValueError,
        "steps",
    ),
    # mini-batches and the loop
    "iterate_minibatches rng=None": (
        lambda: list(train.iterate_minibatches(5, 2, None)),
        TypeError,
        r"rng must be a np.random.Generator",
    ),
    "iterate_minibatches rng=0": (
        lambda: list(train.iterate_minibatches(5, 2, 0)),
        TypeError,
        "rng must be a np.random.Generator",
    ),
    "train_loop step='x'": (lambda: train.train_loop("x", 5, SGD(), 1, 2), TypeError, "step"),
    "train_loop evaluate=1": (
        lambda: train.train_loop(lambda idx: (0.0, {}), 5, SGD(), 1, 2, evaluate=1),
        TypeError,
        "evaluate",
    ),
    # fit
    "fit val=(X,)": (
        lambda: fit_with(val=(X,)),
        ValueError,
        r"val must be a pair \(X_val, y_val\).*length 1",
    ),
    "fit val=X": (lambda: fit_with(val=X), ValueError, "val must be a pair"),
    "fit val lengths": (
        lambda: fit_with(val=(X, Y[:-1])),
        ValueError,
        r"val\[0\] and val\[1\] must have the same number of examples",
    ),
    "fit val NaN": (lambda: fit_with(val=(with_nan(X), Y)), ValueError, r"val\[0\] contains NaN"),
    "fit 0 examples": (lambda: fit_with(X=X[:0], y=Y[:0]), ValueError, "X and y hold no examples"),
    "fit NaN in X": (lambda: fit_with(X=with_nan(X)), ValueError, "X contains NaN or inf"),
    "fit inf in X": (lambda: fit_with(X=with_nan(X, value=np.inf)), ValueError, "X contains NaN"),
    "fit inf in y": (
        lambda: fit_with(model=nn.MLP([2, 1], seed=0), loss=losses.mse, y=with_nan(Y, 3, np.inf)),
        ValueError,
        "y contains NaN",
    ),
    "fit NaN in a tuple input": (
        lambda: fit_with(X=(with_nan(X),)),
        ValueError,
        r"X\[0\] contains NaN",
    ),
    "fit X=None": (lambda: fit_with(X=None), TypeError, "X must be real numbers"),
    "fit X strings": (lambda: fit_with(X=[["a", "b"]] * 40), TypeError, "X must be numeric"),
    "fit X a number": (lambda: fit_with(X=3.0), ValueError, "X must hold one entry per example"),
    "fit y shorter": (
        lambda: fit_with(y=Y[:-3]),
        ValueError,
        "X and y must have the same number of examples: X has 40, y has 37",
    ),
    "fit seed=None": (lambda: fit_with(seed=None), ValueError, "seed must be an int >= 0"),
    "fit seed=-1": (lambda: fit_with(seed=-1), ValueError, "seed must be an int >= 0"),
    "fit seed=1.5": (lambda: fit_with(seed=1.5), ValueError, "seed must be an int >= 0"),
    "fit seed='a'": (lambda: fit_with(seed="a"), ValueError, "seed must be an int >= 0"),
    "fit model=object()": (lambda: fit_with(model=object()), TypeError, "model must be"),
    "fit loss='mse'": (lambda: fit_with(loss="mse"), TypeError, "loss must be a function"),
    "fit schedule=0.5": (lambda: fit_with(schedule=0.5), TypeError, "schedule must be a function"),
    "fit optimizer=Adam (the class)": (
        lambda: fit_with(optimizer=Adam),
        TypeError,
        "optimizer must be an mmlearn optimizer",
    ),
    "Model.fit seed=-1": (lambda: nn.MLP([2, 2], seed=0).fit(X, Y, seed=-1), ValueError, "seed"),
    # lr_range_test
    "lr_range_test smoothing=1.0": (
        lambda: range_test_with(smoothing=1.0),
        ValueError,
        r"smoothing must be a finite number in \[0, 1\)",
    ),
    "lr_range_test smoothing=-1.0": (
        lambda: range_test_with(smoothing=-1.0),
        ValueError,
        r"smoothing must be a finite number in \[0, 1\)",
    ),
    "lr_range_test y[:-5]": (
        lambda: range_test_with(y=Y[:-5]),
        ValueError,
        "X and y must have the same number of examples: X has 40, y has 35",
    ),
    "lr_range_test NaN in X": (lambda: range_test_with(X=with_nan(X)), ValueError, "X contains"),
    "lr_range_test seed=-1": (lambda: range_test_with(seed=-1), ValueError, "seed"),
    "lr_range_test model=None": (lambda: range_test_with(model=None), TypeError, "model"),
    # minibatch_descent
    "minibatch_descent theta0 NaN": (
        lambda: descent_with(theta0=[np.nan, 0.0]),
        ValueError,
        "theta0 contains NaN",
    ),
    "minibatch_descent theta0 None": (lambda: descent_with(theta0=None), TypeError, "theta0"),
    "minibatch_descent loss_and_grad=None": (
        lambda: descent_with(loss_and_grad=None),
        TypeError,
        "loss_and_grad must be a function",
    ),
    "minibatch_descent seed=-1": (lambda: descent_with(seed=-1), ValueError, "seed"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_a_bad_input_gets_an_error_naming_the_argument(case):
    call, error, message = ERRORS[case]
    with pytest.raises(error, match=message):
        call()


# --- state cases: after the error, parameters and optimizer state are as they were --------------


def state_of(opt):
    """Everything an optimizer holds that a step could change, its members' included."""
    return [copy.deepcopy(o.state) for o in [opt, *_descendants(opt)]]


def _descendants(opt):
    return [d for m in opt.members() for d in [m, *_descendants(m)]]


def assert_same(a, b):
    """Equal nested dicts/lists of arrays and numbers."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    else:
        assert np.array_equal(a, b)


def model_grads(model, X_batch=X):
    out = model.forward(X_batch)
    model.backward(np.ones_like(out) / len(out))
    return {k: g.copy() for k, g in model.grads.items()}


def used_on_one_mlp_then_another(other_sizes):
    """(optimizer, params of the other model, its grads): the optimizer stepped twice on
    MLP([2, 4, 2]), then asked to step the other model."""

    def scenario(make):
        opt, first = make(), nn.MLP([2, 4, 2], seed=0)
        for _ in range(2):
            opt.step(first.params, model_grads(first))
        other = nn.MLP(other_sizes, seed=1)
        return opt, other.params, model_grads(other)

    return scenario


def used_on_a_b_then_a_b3(make):
    opt, a = make(), np.ones(2)
    opt.step({"a": a, "b": np.ones(2)}, {"a": np.ones(2), "b": np.ones(2)})
    return opt, {"a": a, "b": np.ones(3)}, {"a": np.ones(2), "b": np.ones(3)}


def used_on_v_then_w(make):
    opt = make()
    opt.step({"v": np.ones(2)}, {"v": np.ones(2)})
    return opt, {"w": np.ones(2)}, {"w": np.ones(2)}


def used_with_an_extra_parameter(make):
    opt, a = make(), np.ones(2)
    opt.step({"a": a}, {"a": np.ones(2)})
    return opt, {"a": a, "b": np.ones(2)}, {"a": np.ones(2), "b": np.ones(2)}


OPTIMIZERS = {
    "SGD momentum": lambda: SGD(lr=0.1, momentum=0.9),
    "Adam": lambda: Adam(),
    "RMSprop centered": lambda: RMSprop(centered=True, momentum=0.5),
    "Adagrad": lambda: Adagrad(),
    "Blend": lambda: Blend([(0.5, SGD(lr=0.1, momentum=0.9)), (0.5, Adam())]),
    "Switch": lambda: Switch(Adam(), SGD(lr=0.1), at_step=1),
    "Lookahead": lambda: Lookahead(Adam(), k=2),
    "Lookahead(Blend)": lambda: Lookahead(Blend([(1, Adam()), (1, SGD(momentum=0.9))]), k=2),
}
SCENARIOS = {
    "MLP [2,4,2] then [2,4,3]": (used_on_one_mlp_then_another([2, 4, 3]), "has shape"),
    "two MLPs of one shape": (used_on_one_mlp_then_another([2, 4, 2]), "is another array"),
    "{a(2), b(2)} then {a(2), b(3)}": (used_on_a_b_then_a_b3, r"params\['b'\] has shape"),
    "{v} then {w}": (used_on_v_then_w, r"params\['w'\] is new; params has no 'v'"),
    "a new parameter": (used_with_an_extra_parameter, r"params\['b'\] is new"),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
def test_an_optimizer_used_with_other_parameters_refuses_and_changes_nothing(make, scenario):
    setup, message = SCENARIOS[scenario]
    opt, params, grads = setup(make)
    params_before, state_before = copy.deepcopy(params), state_of(opt)
    with pytest.raises(
        ValueError,
        match=message + ".*was used with other parameters — call "
        r"reset\(\)",
    ):
        opt.step(params, grads)
    assert_same(params, params_before)
    assert_same(state_of(opt), state_before)
    opt.reset()  # ... after which it works
    opt.step(params, grads)
    assert not all(np.array_equal(params[k], params_before[k]) for k in params)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
@pytest.mark.parametrize(
    "bad",
    [
        {"a": np.ones(3), "b": np.array([1.0, np.nan])},  # a NaN gradient
        {"a": np.ones(3), "b": np.array([1.0, 1j])},  # a complex one
        {"a": np.ones(3), "b": np.ones(3)},  # a wrong shape
    ],
)
def test_a_bad_gradient_on_a_used_optimizer_changes_nothing(make, bad):
    opt, params = make(), {"a": np.ones(3), "b": np.ones(2)}
    for _ in range(3):
        opt.step(params, {"a": np.full(3, 0.5), "b": np.full(2, -0.5)})
    params_before, state_before = copy.deepcopy(params), state_of(opt)
    with pytest.raises((ValueError, TypeError), match=r"grads\['b'\]"):
        opt.step(params, bad)
    assert_same(params, params_before)
    assert_same(state_of(opt), state_before)


def test_a_read_only_parameter_refuses_before_any_parameter_moves():
    opt, params = Adam(), {"a": np.ones(2), "b": read_only(2)}
    with pytest.raises(ValueError, match=r"params\['b'\] is read-only"):
        opt.step(params, {"a": np.ones(2), "b": np.ones(2)})
    assert np.array_equal(params["a"], np.ones(2)) and opt.state == {}


def test_a_blend_whose_member_was_used_elsewhere_refuses_and_changes_nothing():
    member, w = Adam(), np.ones(2)
    member.step(np.ones(2), np.ones(2))  # used on another array
    blend = Blend([(0.5, SGD(lr=0.1, momentum=0.9)), (0.5, member)])
    state_before = state_of(blend)
    with pytest.raises(ValueError, match="this Adam was used with other parameters"):
        blend.step(w, np.ones(2))
    assert np.array_equal(w, np.ones(2))
    assert_same(state_of(blend), state_before)


# --- what an optimizer accepts: the same parameters, in any dict; delta's new arrays -----------


def test_the_same_arrays_in_a_new_dict_continue_the_state():
    opt, net = Adam(), nn.MLP([2, 4, 2], seed=0)
    opt.step(net.params, model_grads(net))
    opt.step(dict(net.params), model_grads(net))  # a fresh dict of the same arrays
    assert opt.state["W1"]["step"] == 2


def test_delta_follows_parameters_that_are_new_arrays_at_every_call():
    x_functional, x_in_place = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    functional, in_place = SGD(lr=0.1, momentum=0.9), SGD(lr=0.1, momentum=0.9)
    for _ in range(3):
        x_functional = x_functional + functional.delta(x_functional, 2 * x_functional)
        in_place.step(x_in_place, 2 * x_in_place)
    assert np.array_equal(x_functional, x_in_place)
    with pytest.raises(ValueError, match=r"params\['param'\] has shape \(3,\), not \(2,\)"):
        functional.delta(np.ones(3), np.ones(3))


def test_an_optimizer_keeps_stepping_the_parameters_fit_restored_in_place():
    net, opt = nn.MLP([2, 16, 2], seed=0), Adam(lr=0.05)
    history = net.fit(X, Y, opt, epochs=60, batch_size=10, val=(X[:10] + 0.3, Y[:10]), patience=2)
    assert history.stopped_early and history.best_epoch < history.epochs
    opt.step(net.params, model_grads(net))  # the same arrays: no "used with other parameters"


@pytest.mark.parametrize("flag", [True, False, np.True_, np.False_])
def test_numpy_bools_are_bools(flag):
    assert SGD(momentum=0.9, nesterov=flag).nesterov is bool(flag)
    assert Adam(amsgrad=flag).amsgrad is bool(flag)


# --- reuse: every function that trains afresh starts from optimizer.reset() --------------------


def used(opt):
    """``opt`` after some steps on parameters of its own (state and binding not empty)."""
    w = np.ones(2)
    for _ in range(4):
        opt.step(w, np.array([0.3, -0.7]))
    return opt


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=list(OPTIMIZERS))
def test_run_twice_with_one_optimizer_gives_the_same_path(make):
    opt = make()
    first = trajectories.run(opt, landscapes.ROSENBROCK, steps=50)
    second = trajectories.run(opt, landscapes.ROSENBROCK, steps=50)
    fresh = trajectories.run(make(), landscapes.ROSENBROCK, steps=50)
    assert np.array_equal(first.xs, second.xs) and np.array_equal(first.xs, fresh.xs)
    assert np.array_equal(
        trajectories.run(used(make()), landscapes.ROSENBROCK, steps=50).xs, fresh.xs
    )


def test_compare_with_a_factory_returning_one_object_equals_fresh_ones():
    one = Adam(lr=0.1)
    shared = trajectories.compare({"adam": lambda: one}, {"bowl": BOWL}, starts=3, steps=50)
    fresh = trajectories.compare({"adam": lambda: Adam(lr=0.1)}, {"bowl": BOWL}, starts=3, steps=50)
    assert np.array_equal(shared[0].gaps, fresh[0].gaps)
    assert shared[0].steps_to_tol == fresh[0].steps_to_tol


def test_minibatch_descent_with_a_used_optimizer_equals_a_new_one():
    opt = used(Adam(lr=0.1))
    first, second = descent_with(optimizer=opt), descent_with(optimizer=opt)
    fresh = descent_with(optimizer=Adam(lr=0.1))
    assert np.array_equal(first.xs, fresh.xs) and np.array_equal(second.xs, fresh.xs)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Adam(lr=0.01),
        lambda: Blend([(0.5, SGD(lr=0.1, momentum=0.9)), (0.5, Adam(lr=0.01))]),
    ],
    ids=["Adam", "Blend"],
)
def test_fit_with_a_used_optimizer_equals_fit_with_a_new_one(make):
    opt = make()
    runs = [
        nn.MLP([2, 4, 2], seed=0).fit(X, Y, o, epochs=3, batch_size=8) for o in (opt, opt, make())
    ]
    for history in runs[1:]:
        assert np.array_equal(history.step_loss, runs[0].step_loss)
        assert np.array_equal(history.metrics["train_loss"], runs[0].metrics["train_loss"])


def test_a_fusion_model_fitted_twice_with_one_optimizer_gets_the_same_history():
    pairs = data.make_image_text(120, "redundant", seed=0)
    opt, model = Adam(lr=0.01), fusion.EarlyFusion(seed=0)
    first = model.fit((pairs.images, pairs.bow), pairs.labels, opt, epochs=2, batch_size=32)
    second = model.fit((pairs.images, pairs.bow), pairs.labels, opt, epochs=2, batch_size=32)
    assert np.array_equal(first.step_loss, second.step_loss)
    assert np.array_equal(first.metrics["train_loss"], second.metrics["train_loss"])
    # the second fit started afresh: Adam counts the steps of one fit, not of two
    assert {s["step"] for s in opt.state.values()} == {len(first.step_loss)}


def test_lr_range_test_with_a_used_optimizer_equals_a_new_one_and_restores_the_lr():
    opt = used(Adam(lr=0.003))
    first, second = range_test_with(optimizer=opt), range_test_with(optimizer=opt)
    fresh = range_test_with(optimizer=Adam(lr=0.003))
    assert np.array_equal(first.losses, fresh.losses)
    assert np.array_equal(second.losses, fresh.losses)
    assert opt.lr == 0.003


# --- former silent cases: the corrected behaviour ----------------------------------------------


def test_fit_takes_lists_and_gives_the_same_history_as_arrays():
    as_lists = fit_with(X=X.tolist(), y=Y.tolist(), epochs=2)
    as_arrays = fit_with(epochs=2)
    assert np.array_equal(as_lists.step_loss, as_arrays.step_loss)
    assert "train_accuracy" in as_lists.metrics  # the labels stayed integer labels


def test_bad_data_is_refused_before_any_step_and_the_model_is_unchanged():
    net, opt = nn.MLP([2, 4, 2], seed=0), Adam()
    before = copy.deepcopy(net.params)
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        net.fit(with_nan(X), Y, opt)
    assert_same(net.params, before)
    assert opt.state == {}


def test_a_huge_lr_is_reported_as_divergence_not_raised_and_the_lr_restored():
    opt = SGD(lr=1e6)
    history = fit_with(model=nn.MLP([2, 8, 2], seed=0), optimizer=opt, epochs=3)
    assert history.diverged and opt.lr == 1e6


def test_a_schedule_failing_mid_run_names_the_step_and_restores_the_lr():
    opt = Adam(lr=0.01)
    with pytest.raises(ValueError, match="returned nan for step 3"):
        fit_with(optimizer=opt, batch_size=8, schedule=lambda k: np.nan if k == 3 else 1.0)
    assert opt.lr == 0.01
    with pytest.raises(ValueError, match="returned -2.0 for step 2"):
        descent_with(optimizer=opt, schedule=lambda k: -2.0 if k == 2 else 1.0)
    assert opt.lr == 0.01


def test_the_same_seed_gives_bit_identical_fits():
    first, second = fit_with(seed=3, epochs=2), fit_with(seed=3, epochs=2)
    assert np.array_equal(first.step_loss, second.step_loss)


def test_run_keeps_the_callers_start_and_a_bound_of_inf_is_allowed():
    start = np.array([-1.0, 1.0])
    trajectories.run(SGD(lr=0.001), landscapes.ROSENBROCK, start=start, steps=5, bound=np.inf)
    assert np.array_equal(start, [-1.0, 1.0])
