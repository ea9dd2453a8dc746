"""Self-checks of notebook 03 · SGD and mini-batches: one epoch of shuffled mini-batches, the
steps it takes, the cosine learning-rate schedule, a prediction about SGD's largest stable
learning rate (tested on the dashboard), and which schedules meet the Robbins–Monro
conditions."""

from __future__ import annotations

from itertools import islice

import numpy as np

from .. import linreg, optim, schedules, train
from .common import WrongAnswer, call, coerce, coerce_choice, describe, report, self_check


def _read_epoch(my_iterate, n: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """The batches of ``my_iterate(n, batch_size, rng)`` as flat index arrays. At most n + 1 are
    read, so that an endless generator cannot hang the check (an epoch has at most n)."""
    batches = call(my_iterate, "my_iterate", n, batch_size, np.random.default_rng(seed))
    try:
        iterator = iter(batches)
    except Exception:
        raise WrongAnswer(
            f"my_iterate should return (or yield) index arrays, got {describe(batches)}"
        ) from None
    try:
        read = list(islice(iterator, n + 1))
    except Exception as exc:  # a generator runs the student's code while it is read
        raise WrongAnswer(f"my_iterate raised {type(exc).__name__}: {exc}") from None
    if len(read) > n:
        raise WrongAnswer(
            f"my_iterate gave more than {n} batches for n = {n} examples (the "
            "check stopped reading there): one epoch uses every index once."
        )
    return [index_array(batch, f"batch {i}") for i, batch in enumerate(read)]


def index_array(batch, name: str) -> np.ndarray:
    """``batch`` as a flat array of indices; a mask or floats are wrong even where their values
    look right, since ``X[batch]`` would not pick those examples."""
    indices = coerce(batch, name, shape=None).ravel()
    kind = np.asarray(batch).dtype.kind
    if kind == "b":
        raise WrongAnswer(
            f"{name} is a mask of True/False; yield the indices themselves "
            "(integers), e.g. order[start:start + batch_size]."
        )
    if indices.size and kind not in "iu":
        raise WrongAnswer(
            f"{name} holds {np.asarray(batch).dtype} values, not integers: "
            "X[batch] needs integer indices (rng.permutation(n) gives them)."
        )
    return indices


@self_check
def minibatches(my_iterate) -> None:
    """Exercise: ``my_iterate(n, batch_size, rng)`` yields one epoch of index arrays: every
    index exactly once, in batches of ``batch_size`` (the last may be shorter), shuffled by rng."""
    n, size = 22, 5
    batches = _read_epoch(my_iterate, n, size, seed=0)
    if not batches:
        return report(False, "my_iterate yielded no batches.")
    sizes = [len(b) for b in batches]
    seen = np.concatenate(batches)
    if sorted(seen.tolist()) != list(range(n)):
        missing = sorted(set(range(n)) - set(seen.tolist()))
        return report(
            False,
            f"an epoch must visit every index 0..{n - 1} exactly once; "
            f"missing {missing}, {len(seen) - len(set(seen.tolist()))} repeated.",
        )
    if sizes[:-1] != [size] * (len(sizes) - 1) or not 0 < sizes[-1] <= size:
        return report(False, f"batch sizes {sizes}: all but the last should be {size}.")
    if seen.tolist() == list(range(n)):
        return report(
            False,
            "the indices come in order 0, 1, 2, ...: shuffle them with "
            "rng.permutation(n) first, or each batch sees neighbours only.",
        )
    again, other = _read_epoch(my_iterate, n, size, seed=0), _read_epoch(my_iterate, n, size, 1)
    if len(again) != len(batches) or any(not np.array_equal(a, b) for a, b in zip(batches, again)):
        return report(
            False,
            "the same rng seed gave different batches: draw the "
            "permutation from the rng you are given, not from np.random.",
        )
    if all(np.array_equal(a, b) for a, b in zip(batches, other)):
        return report(False, "different seeds gave the same batches: use the rng argument.")
    report(True, f"{len(batches)} batches of sizes {sizes}: every index once, shuffled by rng.")


@self_check
def cosine_schedule(my_cosine) -> None:
    """Exercise: ``my_cosine(step, total_steps)`` = ½(1 + cos(π·step/total)) until total_steps,
    then 0 — the lr multiplier of ``mmlearn.schedules.cosine(total_steps)``."""
    total = 40
    reference = schedules.cosine(total)
    for step in (0, 10, 20, 33, 40, 55):
        mine = coerce(call(my_cosine, "my_cosine", step, total), f"my_cosine({step}, {total})")
        expected = reference(step)
        if not np.isclose(mine, expected, rtol=1e-6, atol=1e-7):
            where = (
                "after total_steps it should stay at 0"
                if step > total
                else ("at step 0 it should be 1" if step == 0 else "½(1 + cos(π·step/total))")
            )
            return report(
                False, f"at step {step}: yours {mine:.6f}, expected {expected:.6f} — {where}."
            )
    report(True, "matches schedules.cosine: 1 at the start, ½ halfway, 0 at the end and after.")


@self_check
def steps_per_epoch(n: int, batch_size: int, steps) -> None:
    """Exercise: optimizer steps in one epoch of n examples in batches of batch_size."""
    steps = coerce(steps, "steps")
    expected = -(-n // batch_size)  # ceil(n / batch_size)
    if steps == expected:
        last = n - (expected - 1) * batch_size
        return report(
            True,
            f"{expected} steps: {expected - 1} full batches of {batch_size} and "
            f"a last one of {last}.",
        )
    if np.isclose(steps, n / batch_size):
        return report(False, f"{steps:g} is n / batch_size; a step needs a whole batch: round up.")
    if steps == n // batch_size:
        return report(
            False,
            f"{steps:g} leaves out the last, shorter batch of "
            f"{n % batch_size} examples: round up, not down.",
        )
    report(False, f"not {steps:.10g}: an epoch visits all {n} examples, {batch_size} per step.")


def first_divergence(x, y, batch_size: int, lrs, epochs: int = 5, seed: int = 0):
    """``(lr, step)``: the first of ``lrs`` at which constant-rate mini-batch SGD on the linear
    regression (x, y) from (0, 0) diverges within ``epochs`` epochs, and the step where it
    did; ``(None, None)`` when none does. The same runs as notebook 03's dashboard."""
    objective = linreg.objective(x, y)
    for lr in lrs:
        traj = train.minibatch_descent(
            objective, len(x), np.zeros(2), optim.SGD(lr=lr), batch_size, epochs, seed=seed
        )
        if traj.diverged_at:
            return float(lr), traj.diverged_at
    return None, None


@self_check
def sgd_stability(x, y, prediction) -> None:
    """Exercise (predict, then test on the dashboard): full-batch GD on the standardised
    regression is stable for every lr < 2/λ_max = 1. Is SGD's (batch 1) largest stable lr
    'smaller', the 'same' or 'larger'? Measured on the dashboard's runs (5 epochs, seed 0)."""
    word = coerce_choice(prediction, "prediction", ("smaller", "same", "larger"))
    lrs = np.round(np.arange(1, 20) * 0.05, 2)  # 0.05 ... 0.95, all below full batch's limit
    lr, step = first_divergence(x, y, 1, lrs)
    full_lr, _ = first_divergence(x, y, len(x), lrs)
    curvature = float(np.max(2 * (x**2 + 1)))  # of one example's loss (w·x_i + b − y_i)²
    evidence = (
        f"with batch 1, lr = {lr:g} already diverges (at step {step}), while batch "
        f"{len(x)} diverges at none of 0.05 ... 0.95"
        if lr is not None and full_lr is None
        else f"here batch 1 first diverges at lr = {lr}, batch {len(x)} at lr = {full_lr}"
    )
    if word == "smaller" and lr is not None and full_lr is None:
        return report(
            True,
            f"smaller: {evidence}. One example's loss (w·x_i + b − y_i)² has curvature "
            f"2(x_i² + 1), up to {curvature:.2f} here: a step meant for the average curvature "
            f"2 overshoots on such examples (their own limit is 2/{curvature:.2f} = "
            f"{2 / curvature:.2f}), and the overshoots add up.",
        )
    report(
        False,
        f"not '{word}': {evidence}. Look at the curvature of one example's loss "
        "(w·x_i + b − y_i)²: how large can 2(x_i² + 1) get?",
    )


#: Notebook 03's candidate schedules η_t (t = 1, 2, ...): does Σ η_t diverge, is Σ η_t² finite?
ROBBINS_MONRO = {
    "constant": (True, False, "Σ η_t² = ∞: the noise it adds never dies down"),
    "1/t": (True, True, "Σ 1/t = ∞ and Σ 1/t² = π²/6 < ∞"),
    "1/sqrt(t)": (True, False, "Σ 1/√t = ∞, but Σ (1/√t)² = Σ 1/t = ∞ too"),
    "1/t**0.75": (True, True, "Σ t^−0.75 = ∞ and Σ t^−1.5 < ∞"),
    "1/t**2": (False, True, "Σ 1/t² = π²/6 is finite: it can travel only a bounded distance"),
    "0.99**t": (
        False,
        True,
        "a geometric series, Σ 0.99^t = 99: it stops after a bounded distance",
    ),
}


def _names(answer, name: str, options) -> set[str]:
    """``answer`` read as a collection of names from ``options`` (spaces ignored)."""
    if answer is Ellipsis:
        raise WrongAnswer(f"not answered yet: {name} is still `...`")
    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        raise WrongAnswer(
            f'{name} should be a set of schedule names, e.g. {{"constant"}}, got {describe(answer)}'
        )
    names = set()
    for item in answer:
        word = item.replace(" ", "") if isinstance(item, str) else None
        if word not in options:
            raise WrongAnswer(f"{describe(item)} is not one of the schedules: {', '.join(options)}")
        names.add(word)
    return names


@self_check
def robbins_monro(answer) -> None:
    """Exercise (derive): which of notebook 03's schedules η_t meet both Robbins–Monro
    conditions, Σ η_t = ∞ and Σ η_t² < ∞?"""
    chosen = _names(answer, "robbins_monro", tuple(ROBBINS_MONRO))
    right = {name for name, (travels, settles, _) in ROBBINS_MONRO.items() if travels and settles}
    if chosen == right:
        why = "; ".join(f"{name}: {ROBBINS_MONRO[name][2]}" for name in sorted(right))
        return report(True, f"{', '.join(sorted(right))} — {why}.")
    wrong = sorted(chosen - right)
    if wrong:
        return report(False, f"{wrong[0]} fails: {ROBBINS_MONRO[wrong[0]][2]}.")
    report(
        False,
        f"{len(right - chosen)} more schedule(s) meet both conditions: check each sum again "
        "(hint: Σ t^−p is finite exactly when p > 1).",
    )
