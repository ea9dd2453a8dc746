"""Mini-batches and mini-batch descent."""

import numpy as np
import pytest

from mmlearn import data, linreg, optim, schedules, train


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


def test_full_batch_descent_equals_run_on_the_landscape():
    traj = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=0.3), 100, epochs=7)
    ref = optim.run(optim.SGD(lr=0.3), linreg.landscape(X, Y), start=[0.0, 0.0], steps=7)
    np.testing.assert_allclose(traj.xs, ref.xs, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(traj.losses, ref.losses, rtol=1e-12)
    assert traj.examples.tolist() == [0, 100, 200, 300, 400, 500, 600, 700]


def test_minibatch_records_examples_and_converges_with_a_schedule():
    traj = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=0.1), 16, epochs=10,
                                   schedule=schedules.inverse_time(0.05))
    assert len(traj.xs) == 10 * 7 + 1 and traj.examples[-1] == 1000
    best = linreg.landscape(X, Y).min_value()
    assert traj.losses[-1] - best < 0.01
    # the schedule is applied per step and the lr restored afterwards
    opt = optim.SGD(lr=0.1)
    train.minibatch_descent(OBJ, 100, [0.0, 0.0], opt, 16, 1, schedule=lambda t: 0.0)
    assert opt.lr == 0.1


def test_a_zero_learning_rate_after_step_one_freezes_the_path():
    traj = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=0.1), 10, epochs=1,
                                   schedule=lambda t: 1.0 if t == 0 else 0.0)
    assert not np.allclose(traj.xs[1], 0.0)
    np.testing.assert_array_equal(traj.xs[1:], np.repeat(traj.xs[1:2], 10, axis=0))


def test_divergence_stops_early_without_warnings(recwarn):
    traj = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=5.0), 1, epochs=5)
    assert traj.diverged_at is not None and len(traj.xs) == traj.diverged_at + 1
    assert len(recwarn) == 0


def test_same_seed_same_path():
    a = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=0.1), 4, 2, seed=5)
    b = train.minibatch_descent(OBJ, 100, [0.0, 0.0], optim.SGD(lr=0.1), 4, 2, seed=5)
    assert np.array_equal(a.xs, b.xs)
