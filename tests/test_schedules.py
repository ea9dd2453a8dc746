"""Learning-rate schedules: boundary values, shapes, and bad input."""

import numpy as np
import pytest

from mmlearn import schedules


def test_constant():
    assert schedules.constant()(0) == 1.0
    np.testing.assert_array_equal(schedules.constant()(np.arange(3)), 1.0)


def test_step_decay_boundaries():
    s = schedules.step_decay(step_size=10, gamma=0.5)
    assert [s(t) for t in (0, 9, 10, 19, 20)] == [1.0, 1.0, 0.5, 0.5, 0.25]


def test_exponential():
    s = schedules.exponential(0.9)
    assert s(0) == 1.0 and s(2) == pytest.approx(0.81)


def test_cosine_boundaries():
    s = schedules.cosine(100, min_factor=0.1)
    assert s(0) == 1.0 and s(100) == pytest.approx(0.1) and s(500) == pytest.approx(0.1)
    assert s(50) == pytest.approx(0.55)
    assert np.all(np.diff(s(np.arange(101))) <= 0)


def test_warmup_cosine_boundaries():
    s = schedules.warmup_cosine(warmup_steps=5, total_steps=25)
    np.testing.assert_allclose(s(np.arange(5)), [0.2, 0.4, 0.6, 0.8, 1.0])
    assert s(5) == 1.0 and s(15) == pytest.approx(0.5) and s(25) == pytest.approx(0.0)
    assert s(99) == pytest.approx(0.0)


def test_inverse_time_satisfies_robbins_monro():
    s = schedules.inverse_time(0.1)
    assert s(0) == 1.0 and s(10) == 0.5
    # Σ η diverges: every block [N, 2N) adds about 10·ln 2 however large N is; Σ η² converges:
    # the same block adds about 100 (1/N − 1/2N) → 0.
    for n in (10_000, 100_000):
        block = s(np.arange(n, 2 * n))
        assert block.sum() > 6.5 and (block**2).sum() < 60 / n


def test_scalars_in_scalars_out_arrays_in_arrays_out():
    for s in (
        schedules.cosine(10),
        schedules.step_decay(3),
        schedules.inverse_time(1.0),
        schedules.exponential(0.5),
        schedules.warmup_cosine(2, 10),
        schedules.constant(),
    ):
        assert isinstance(s(3), float)
        assert s(np.arange(4)).shape == (4,)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: schedules.step_decay(0), "step_size must be an int >= 1"),
        (lambda: schedules.step_decay(5, gamma=1.5), "gamma must be"),
        (lambda: schedules.exponential(0.0), "gamma must be"),
        (lambda: schedules.cosine(10, min_factor=2.0), "min_factor must be"),
        (lambda: schedules.warmup_cosine(10, 10), "total_steps must be an int >= 11"),
        (lambda: schedules.inverse_time(-1.0), "decay must be"),
        (lambda: schedules.cosine(10)(-1), "step must be an int"),
        (lambda: schedules.cosine(10)(1.5), "step must be an int"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
