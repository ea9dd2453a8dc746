"""Mini-batches, mini-batch descent and fit."""

import warnings

import numpy as np
import pytest

from mmlearn import data, linreg, losses, nn, optim, schedules, train, trajectories


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 10), (7, 1), (5, 8)])
def test_an_epoch_visits_every_index_once_in_batches(n, batch_size):
    batches = list(train.iterate_minibatches(n, batch_size, np.random.default_rng(0)))
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert [len(b) for b in batches[:-1]] == [batch_size] * (len(batches) - 1)
    assert len(batches) == -(-n // batch_size)


def test_shuffling_is_seeded_and_differs_between_epochs():
    rng = np.random.default_rng(0)
    first, second = (np.concatenate(list(train.iterate_minibatches(50, 7, rng))) for _ in "ab")
    assert not np.array_equal(first, second)
    again = np.concatenate(list(train.iterate_minibatches(50, 7, np.random.default_rng(0))))
    assert np.array_equal(first, again)


@pytest.mark.parametrize("args, message", [((0, 2), "n must be"), ((5, 0), "batch_size must be")])
def test_bad_batch_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        list(train.iterate_minibatches(*args, np.random.default_rng(0)))


X, Y = data.make_linear_regression(100, noise=1.0, seed=0)
X = (X - X.mean()) / X.std()
OBJ = linreg.objective(X, Y)


def descend(optimizer, batch_size: int, epochs: int, **options):
    """Mini-batch descent on the 100-example linear regression ``OBJ``, from (0, 0)."""
    return train.minibatch_descent(OBJ, 100, [0.0, 0.0], optimizer, batch_size, epochs, **options)


def test_full_batch_descent_equals_run_on_the_landscape():
    traj = descend(optim.SGD(lr=0.3), 100, epochs=7)
    ref = trajectories.run(optim.SGD(lr=0.3), linreg.landscape(X, Y), start=[0.0, 0.0], steps=7)
    np.testing.assert_allclose(traj.xs, ref.xs, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(traj.losses, ref.losses, rtol=1e-12)
    assert traj.examples.tolist() == [0, 100, 200, 300, 400, 500, 600, 700]


def test_minibatch_records_examples_and_converges_with_a_schedule():
    traj = descend(optim.SGD(lr=0.1), 16, epochs=10, schedule=schedules.inverse_time(0.05))
    assert len(traj.xs) == 10 * 7 + 1 and traj.examples[-1] == 1000
    best = linreg.landscape(X, Y).min_value()
    assert traj.losses[-1] - best < 0.01
    # the schedule is applied per step and the lr restored afterwards
    opt = optim.SGD(lr=0.1)
    descend(opt, 16, 1, schedule=lambda t: 0.0)
    assert opt.lr == 0.1


def test_a_zero_learning_rate_after_step_one_freezes_the_path():
    traj = descend(optim.SGD(lr=0.1), 10, epochs=1, schedule=lambda t: 1.0 if t == 0 else 0.0)
    assert not np.allclose(traj.xs[1], 0.0)
    np.testing.assert_array_equal(traj.xs[1:], np.repeat(traj.xs[1:2], 10, axis=0))


def test_divergence_stops_early_without_warnings(recwarn):
    traj = descend(optim.SGD(lr=5.0), 1, epochs=5)
    assert traj.diverged_at is not None and len(traj.xs) == traj.diverged_at + 1
    assert len(recwarn) == 0


def test_same_seed_same_path():
    a = descend(optim.SGD(lr=0.1), 4, 2, seed=5)
    b = descend(optim.SGD(lr=0.1), 4, 2, seed=5)
    assert np.array_equal(a.xs, b.xs)


# --- fit ----------------------------------------------------------------------------------------


def _moons_fit(**kwargs):
    X, y = data.make_moons(200, noise=0.1, seed=0)
    net = nn.MLP([2, 16, 2], seed=0)
    options = {"epochs": 30, "batch_size": 20, "seed": 0, **kwargs}
    optimizer = options.pop("optimizer", optim.Adam(lr=0.02))
    return net, train.fit(net, losses.softmax_cross_entropy, optimizer, X, y, **options)


def test_fit_learns_the_moons_and_records_its_history():
    net, history = _moons_fit()
    assert history.metrics["train_accuracy"][-1] > 0.97
    assert history.metrics["train_accuracy"][0] < 0.8  # epoch 0 is before training
    assert history.epochs == 30 and len(history.metrics["train_loss"]) == 31
    assert len(history.step_loss) == 30 * 10
    assert history.samples_seen.tolist()[:3] == [20, 40, 60] and history.samples_seen[-1] == 6000
    assert np.all(np.diff(history.step_time) >= 0) and history.wall_time > 0
    assert not history.diverged and history.message == "30 epochs, 300 steps"


def test_fit_is_deterministic():
    (_, a), (_, b) = _moons_fit(epochs=3), _moons_fit(epochs=3)
    assert np.array_equal(a.step_loss, b.step_loss)


def test_fit_accepts_a_blend_and_a_schedule_and_restores_the_lr():
    blend = optim.Blend([(0.5, optim.SGD(lr=0.1, momentum=0.9)), (0.5, optim.Adam(lr=0.01))])
    _, history = _moons_fit(optimizer=blend, schedule=schedules.cosine(300))
    assert history.metrics["train_accuracy"][-1] >= 0.95
    assert [leaf.lr for leaf in blend.leaves()] == [0.1, 0.01]


def test_a_diverging_run_stops_and_says_so_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, history = _moons_fit(optimizer=optim.SGD(lr=1e6))
    assert history.diverged and history.message == f"diverged at step {history.diverged_at}"
    assert len(history.step_loss) == history.diverged_at
    last = history.step_loss[-1]
    assert not np.isfinite(last) or last > train.DIVERGENCE_FACTOR * history.step_loss[0]


def test_early_stopping_restores_the_best_epoch():
    X, y = data.make_spirals(200, noise=0.3, seed=1)  # noisy: an overfitting net peaks early
    Xv, yv = data.make_spirals(200, noise=0.3, seed=2)
    net = nn.MLP([2, 64, 64, 2], seed=0)
    history = train.fit(
        net,
        losses.softmax_cross_entropy,
        optim.Adam(lr=0.03),
        X,
        y,
        epochs=200,
        batch_size=20,
        val=(Xv, yv),
        patience=5,
    )
    assert history.stopped_early and history.epochs < 200
    best = history.best_epoch
    assert history.epochs == best + 5
    assert history.metrics["val_loss"][best] == history.metrics["val_loss"].min()
    restored = losses.softmax_cross_entropy(net.forward(Xv), yv)[0]
    assert restored == pytest.approx(history.metrics["val_loss"][best], rel=1e-12)


def test_augment_changes_training_batches_only():
    seen = []

    def augment(batch, rng):
        seen.append(len(batch[0]))
        return (batch[0] + rng.normal(scale=0.01, size=batch[0].shape),)

    _, history = _moons_fit(epochs=2, augment=augment)
    assert seen == [20] * 20 and len(history.step_loss) == 20


def test_metrics_follow_the_targets_not_the_identity_of_the_loss():
    X, y = data.make_moons(100, noise=0.1, seed=0)

    def wrapped(outputs, labels):  # e.g. a student's loss with a logging line
        return losses.softmax_cross_entropy(outputs, labels)

    history = train.fit(nn.MLP([2, 4, 2]), wrapped, optim.Adam(lr=0.01), X, y, epochs=2)
    assert set(history.metrics) == {"train_loss", "train_accuracy"}
    regression = train.fit(
        nn.MLP([2, 4, 1]),
        losses.mse,
        optim.SGD(lr=0.01),
        X,
        y[:, None].astype(float),
        epochs=2,
        val=(X, y[:, None] * 1.0),
    )
    assert set(regression.metrics) == {"train_loss", "val_loss"}
    chosen = train.fit(
        nn.MLP([2, 4, 2]),
        wrapped,
        optim.Adam(lr=0.01),
        X,
        y,
        epochs=2,
        metrics={"top": train.accuracy, "r2": lambda out, t: 0.5},
    )
    assert set(chosen.metrics) == {"train_loss", "train_top", "train_r2"}
    assert chosen.metrics["train_top"].tolist() == history.metrics["train_accuracy"].tolist()


def test_r_squared():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert train.r_squared(np.full(4, y.mean()), y) == 0.0
    assert train.r_squared(y[:, None] + 0.5, y) == pytest.approx(1 - 4 * 0.25 / 5)


def test_accuracy_of_logits():
    assert train.accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0])) == 0.5
    assert train.accuracy(np.array([1.0, -1.0, 2.0]), np.array([1, 0, 0])) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y": np.zeros(5, dtype=int)}, "same number of examples"),
        ({"patience": 3}, "patience .* needs val"),
        ({"epochs": 0}, "epochs must be an int >= 1"),
        ({"batch_size": 0}, "batch_size must be an int >= 1"),
        ({"optimizer": "adam"}, "optimizer must be"),
        ({"val": (np.zeros((3, 2)),)}, r"val must be a pair \(X_val, y_val\)"),
    ],
)
def test_fit_bad_arguments(kwargs, message):
    X, y = data.make_moons(10)
    args = {
        "model": nn.MLP([2, 2]),
        "loss": losses.softmax_cross_entropy,
        "optimizer": optim.SGD(lr=0.1),
        "X": X,
        "y": y,
        **kwargs,
    }
    with pytest.raises((ValueError, TypeError), match=message):
        train.fit(**args)


def test_a_loss_that_explodes_but_stays_finite_counts_as_divergence():
    losses = iter([2.0, 50.0, 3e6, 1.0])
    history = train.train_loop(
        lambda idx: (next(losses), {}), n=4, optimizer=optim.SGD(), epochs=1, batch_size=1
    )
    assert history.diverged_at == 3 and history.step_loss.tolist() == [2.0, 50.0, 3e6]


def test_the_loop_records_what_each_step_reports():
    def step(idx):
        return 1.0, {"size": len(idx), "parts": {"a": idx[0], "b": 2.0}}

    history = train.train_loop(step, n=10, optimizer=optim.SGD(), epochs=2, batch_size=4)
    assert history.extras["size"].tolist() == [4, 4, 2] * 2
    assert sorted(history.extras["parts"]) == ["a", "b"]
    assert history.extras["parts"]["b"].tolist() == [2.0] * 6
    quiet = train.train_loop(
        lambda idx: (1.0, {}), n=10, optimizer=optim.SGD(), epochs=1, batch_size=4
    )
    assert quiet.extras == {}


def test_the_lr_is_restored_when_a_step_raises_mid_run():
    opt, seen = optim.SGD(lr=0.5), []

    def step(idx):
        seen.append(opt.lr)
        if len(seen) == 3:
            raise KeyboardInterrupt  # e.g. a student stops the cell
        return 1.0, {}

    with pytest.raises(KeyboardInterrupt):
        train.train_loop(
            step, n=10, optimizer=opt, epochs=1, batch_size=1, schedule=lambda k: 0.1 * (k + 1)
        )
    assert seen == pytest.approx([0.05, 0.1, 0.15]) and opt.lr == 0.5


def test_stop_ends_training_after_the_step_it_is_asked_about():
    history = train.train_loop(
        lambda idx: (1.0, {}),
        n=10,
        optimizer=optim.SGD(),
        epochs=5,
        batch_size=2,
        stop=lambda losses: len(losses) == 7,
    )
    assert len(history.step_loss) == 7 and not history.diverged and not history.stopped_early


# --- lr range test ------------------------------------------------------------------------------


def test_lr_range_test_grows_the_lr_geometrically_and_restores_it():
    X, y = data.make_moons(200, noise=0.1, seed=0)
    opt = optim.SGD(lr=0.05, momentum=0.9)
    result = train.lr_range_test(
        nn.MLP([2, 16, 2]),
        losses.softmax_cross_entropy,
        opt,
        X,
        y,
        lr_min=1e-4,
        lr_max=1e2,
        steps=60,
        batch_size=20,
    )
    k = len(result.lrs)
    assert np.allclose(result.lrs, 1e-4 * 1e6 ** (np.arange(k) / 59))
    assert opt.lr == 0.05
    assert k < 60  # lr 100 blows the loss up before the end
    assert result.suggestion == pytest.approx(result.lrs[np.argmin(result.smoothed)] / 10)
    assert 1e-3 < result.suggestion < 1.0


def test_lr_range_test_keeps_a_blends_ratio():
    X, y = data.make_moons(100, seed=0)
    a, b = optim.SGD(lr=0.1), optim.Adam(lr=0.01)
    seen = []

    class Spy(optim.Blend):
        def _deltas(self, params, grads):
            seen.append((a.lr, b.lr))
            return super()._deltas(params, grads)

    train.lr_range_test(
        nn.MLP([2, 4, 2]),
        losses.softmax_cross_entropy,
        Spy([(0.5, a), (0.5, b)]),
        X,
        y,
        lr_min=1e-3,
        lr_max=1e-1,
        steps=5,
    )
    assert all(np.isclose(lr_b / lr_a, 0.1) for lr_a, lr_b in seen)
    assert seen[0][0] == pytest.approx(1e-3) and (a.lr, b.lr) == (0.1, 0.01)


class Concat:
    """A two-input model: an MLP on [a; b] (``forward(a, b)``, ``backward -> (da, db)``)."""

    def __init__(self, sizes):
        self.net = nn.MLP(sizes, seed=0)
        self.params, self.grads = self.net.params, self.net.grads

    def forward(self, a, b):
        return self.net.forward(np.concatenate([a, b], axis=1))

    def backward(self, dout):
        dX = self.net.backward(dout)
        return dX[:, :1], dX[:, 1:]


def test_a_fusion_model_is_range_tested_after_its_first_fit_and_told_so_before():
    from mmlearn import fusion

    ds = data.make_image_text(200, task="redundant", seed=0)
    X = (ds.images.reshape(len(ds.images), -1), ds.bow)
    model, loss = fusion.LateFusion(seed=0), losses.softmax_cross_entropy
    with pytest.raises(ValueError, match=r"no parameters yet: a LateFusion .* call its fit once"):
        train.lr_range_test(model, loss, optim.Adam(), X, ds.labels, steps=10)
    model.fit(X, ds.labels, epochs=1)
    before = model.get_params()
    result = train.lr_range_test(model, loss, optim.Adam(), X, ds.labels, steps=10)
    assert result.lrs[0] == pytest.approx(1e-5) and np.isfinite(result.losses[0])
    assert any(not np.array_equal(before[k], model.params[k]) for k in before)  # it trained


def test_lr_range_test_and_fit_take_a_tuple_of_inputs_as_one_input():
    X, y = data.make_moons(100, seed=0)
    options = {"lr_min": 1e-3, "lr_max": 10.0, "steps": 20, "batch_size": 10}
    one = train.lr_range_test(
        nn.MLP([2, 4, 2], seed=0), losses.softmax_cross_entropy, optim.SGD(lr=0.1), X, y, **options
    )
    two = train.lr_range_test(
        Concat([2, 4, 2]),
        losses.softmax_cross_entropy,
        optim.SGD(lr=0.1),
        (X[:, :1], X[:, 1:]),
        y,
        **options,
    )
    assert np.array_equal(one.losses, two.losses) and np.array_equal(one.lrs, two.lrs)
    fitted = train.fit(
        Concat([2, 4, 2]),
        losses.softmax_cross_entropy,
        optim.SGD(lr=0.1),
        (X[:, :1], X[:, 1:]),
        y,
        epochs=2,
        val=((X[:, :1], X[:, 1:]), y),
    )
    assert fitted.metrics["val_accuracy"].shape == (3,)


def test_lr_range_test_uses_the_ema_of_the_losses_and_stops_at_4x_its_minimum():
    X, y = data.make_moons(200, noise=0.1, seed=0)
    result = train.lr_range_test(
        nn.MLP([2, 16, 2]),
        losses.softmax_cross_entropy,
        optim.SGD(lr=0.05),
        X,
        y,
        lr_min=1e-3,
        lr_max=1e3,
        steps=80,
        smoothing=0.8,
    )
    assert np.array_equal(result.smoothed, train.ema(result.losses, 0.8))
    assert result.smoothed[-1] > 4 * result.smoothed.min()
    assert np.all(result.smoothed[:-1] <= 4 * np.minimum.accumulate(result.smoothed[:-1]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr_min": 1.0, "lr_max": 0.1}, "lr_max must be >"),
        ({"steps": 1}, "steps must be an int >= 2"),
        ({"lr_min": 0}, "lr_min must be"),
    ],
)
def test_lr_range_test_bad_arguments(kwargs, message):
    X, y = data.make_moons(20)
    with pytest.raises(ValueError, match=message):
        train.lr_range_test(
            nn.MLP([2, 2]), losses.softmax_cross_entropy, optim.SGD(lr=0.1), X, y, **kwargs
        )
