"""Every self-check keeps its promise: fed any wrong answer it prints one ✗ line and raises
nothing (nor hangs); fed the notebooks' solution in another legitimate form (a list or a tuple
for an array, float32, a whole float for an int) it prints ✓; fed a wrong value in any other
argument (the problem the notebook passes) it prints one line too, never raises.

The checks are found from ``mm.check.__all__``, so a new one is covered as soon as it gets its
right answer in ``RIGHT``."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from helpers import central_difference, gradient_descent, pool_backward, time_limit

import mmlearn as mm
from mmlearn import check

# --- the notebooks' solutions (their `solution`-tagged cells) ---------------------------------


def _linreg_grad(w, b, x, y):
    r = w * x + b - y
    return 2 * np.mean(r * x), 2 * np.mean(r)


def _my_minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def _my_cosine(step, total_steps):
    t = min(step, total_steps)
    return 0.5 * (1 + np.cos(np.pi * t / total_steps))


def _adam_update(p, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _my_blend_delta(deltas, weights):
    total = sum(weights)
    return sum(w / total * d for w, d in zip(weights, deltas))


def _linear_model_grads(W, b, X, y):
    r = X @ W + b - y
    return 2 / len(y) * X.T @ r, 2 / len(y) * r.sum(axis=0)


def _linear_backward(X, W, dout):
    return X.T @ dout, dout.sum(axis=0), dout @ W.T


def _bag_of_words(captions, vocab):
    index = {word: j for j, word in enumerate(vocab)}
    bow = np.zeros((len(captions), len(vocab)))
    for i, caption in enumerate(captions):
        for word in mm.data.tokenize(caption):
            if word in index:
                bow[i, index[word]] += 1
    return bow


def _tensor_features(h_image, h_text):
    ones = np.ones((len(h_image), 1))
    v, t = np.hstack([ones, h_image]), np.hstack([ones, h_text])
    return (v[:, :, None] * t[:, None, :]).reshape(len(v), -1)


def _pcgrad_project(g_i, g_j):
    dot = g_i @ g_j
    return g_i if dot >= 0 else g_i - dot / (g_j @ g_j) * g_j


def _early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        if epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best


RAW = dict(zip("xy", mm.widgets.linreg_data("raw")))  # notebook 02's data
STANDARDISED = dict(zip("xy", mm.widgets.linreg_data("standardised")))  # notebook 03's


def _stability_limit_case():
    x = RAW["x"]
    A = np.column_stack([x, np.ones_like(x)])
    return {"x": x}, {"lr_max": 2 / np.linalg.eigvalsh(2 / len(x) * A.T @ A)[-1]}


def _best_constant_step_case():
    lam_min, lam_max = np.linalg.eigvalsh(mm.linreg.hessian(RAW["x"]))
    return {"x": RAW["x"]}, {"lr_best": 2 / (lam_min + lam_max)}


_S = np.array([3.0, 0.1]) ** 2 + np.array([4.0, 0.1]) ** 2

#: check name -> (its problem arguments, its answer arguments with the right answers)
RIGHT = {
    "predicted_regime": ({"a": 3.0, "lr": 0.6}, {"prediction": "oscillating"}),
    "parabola_without_half": ({"c": 3.0}, {"lr_one_step": 1 / 6, "lr_max": 1 / 3}),
    "steps_to_tolerance": ({"a": 1.0, "lr": 0.5, "x0": 2.0, "tol": 1e-3}, {"steps": 11}),
    "gd_loop": ({}, {"my_gd": gradient_descent}),
    "gradient": (
        {"f": lambda v: float(np.sum(v**3)), "x": np.array([0.5, -1.0, 2.0])},
        {"my_grad": lambda v: 3 * v**2},
    ),
    "loss_gradient": ({"name": "mse"}, {"my_grad": lambda p, t: 2 * (p - t) / p.size}),
    "numerical_gradient": ({}, {"my_numerical_grad": central_difference}),
    "error_shrink_factors": ({}, {"forward_factor": 10**0.5, "central_factor": 10}),
    "stability_limit": _stability_limit_case(),
    "linreg_gradient": ({}, {"my_grad": _linreg_grad}),
    "best_constant_step": _best_constant_step_case(),
    "lowest_loss_setting": (RAW, {"lr_times_lambda": 1.9}),
    "minibatches": ({}, {"my_iterate": _my_minibatches}),
    "steps_per_epoch": ({"n": 1000, "batch_size": 64}, {"steps": int(np.ceil(1000 / 64))}),
    "cosine_schedule": ({}, {"my_cosine": _my_cosine}),
    "sgd_stability": (STANDARDISED, {"prediction": "smaller"}),
    "robbins_monro": ({}, {"answer": {"1/t", "1/t**0.75"}}),
    "momentum_prediction": ({}, {"prediction": "converges"}),
    "heavy_ball_limit": ({}, {"lr_max": 2 * (1 + 0.9)}),
    "bias_correction": ({}, {"my_correction": lambda beta, t: 1 / (1 - beta**t)}),
    "adam_step": ({}, {"my_adam_update": _adam_update}),
    "adagrad_effective_lr": ({}, {"answer": 0.1 / (np.sqrt(_S) + 1e-10)}),
    "blend_delta": ({}, {"my_blend_delta": _my_blend_delta}),
    "blended_sgd_lr": ({}, {"answer": 0.25 * 0.2 + 0.75 * 0.04}),
    "state_floats": ({}, {"answer": 1000 + 1000 + 2 * 1000}),
    "article_a_methods": ({}, {"answer": 1}),
    "article_a_gradients": ({}, {"my_grads": _linear_model_grads}),
    "linear_backward": ({}, {"my_fn": _linear_backward}),
    "relu_backward": ({}, {"my_fn": lambda X, dout: dout * (X > 0)}),
    "parameter_count": (
        {},
        {
            "my_fn": lambda sizes: sum(
                (fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
            )
        },
    ),
    "conv_pool_shape": (
        {},
        {"my_fn": lambda s, o, k, p: (s[0], o, (s[2] - k + 1) // p, (s[3] - k + 1) // p)},
    ),
    "maxpool_backward": ({}, {"my_fn": pool_backward}),
    "boundary_width": ({}, {"prediction": 6}),
    "bag_of_words": ({}, {"my_fn": _bag_of_words}),
    "late_fusion_logits": (
        {},
        {"my_fn": lambda f_image, f_text, alpha: alpha * f_image + (1 - alpha) * f_text},
    ),
    "tensor_features": ({}, {"my_fn": _tensor_features}),
    "quiet_aux_weight": (
        {"task_losses": {"digit": 2.3, "ink": 392.0}, "lambdas": (0.001, 0.003, 0.01, 1.0)},
        {"answer": 0.003},
    ),
    "uncertainty_optimum": ({}, {"my_fn": lambda task_loss: task_loss}),
    "fourth_score": ({}, {"my_fn": lambda s33, s35, s53: s35 + s53 - s33}),
    "greater_prediction": ({"measured": 0.9}, {"prediction": 0.85}),
    "pcgrad_project": ({}, {"my_fn": _pcgrad_project}),
    "balancing_weight": ({"grad_norms": {"digit": 1.0, "ink": 0.5}}, {"answer": 2.0}),
    "slowest_batch_per_step": (
        {"losses": {"SGD": {8: 1.8, 32: 1.7, 128: 1.6}, "Adam": {8: 1.9, 32: 1.6, 128: 1.4}}},
        {"answer": 8},
    ),
    "range_test_lr": (
        {"lr_min": 1e-5, "lr_max": 10.0, "steps": 150, "stopped_after": 132},
        {"answer": 1e-5 * 1e6 ** (131 / 149)},
    ),
    "early_stopping": ({}, {"my_fn": _early_stopping}),
}

# --- other forms of a right answer ----------------------------------------------------------


def _as_lists(value):
    """Arrays as (nested) lists, tuples as lists: what a student may return instead."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [_as_lists(v) for v in value]
    return value


def _as_tuples(value):
    """Arrays and lists as (nested) tuples."""
    if isinstance(value, np.ndarray):
        return tuple(_as_tuples(v) for v in value) if value.ndim else value.item()
    if isinstance(value, (tuple, list)):
        return tuple(_as_tuples(v) for v in value)
    return value


def _as_float32(value):
    """Every float (array) in float32; ints and index arrays left alone."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" or isinstance(value, float):
        return np.float32(value) if np.ndim(value) == 0 else value.astype(np.float32)
    if isinstance(value, (tuple, list)):
        return type(value)(_as_float32(v) for v in value)
    return value


def _as_floats(value):
    """Ints as whole floats (a count computed with np.ceil is a float)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_as_floats(v) for v in value)
    return value


FORMS = {
    "lists": _as_lists,
    "tuples": _as_tuples,
    "float32": _as_float32,
    "whole floats": _as_floats,
}


def _in_form(answer, form):
    if callable(answer):
        return lambda *args: FORMS[form](answer(*args))
    return FORMS[form](answer)


# --- wrong answers of every kind ------------------------------------------------------------


def _raises(*args):
    raise ValueError("a bug in the student's code")


def _returns_nan(*args):
    return np.nan


def _forgets_return(*args):
    result = len(args)  # noqa: F841 (the work is done, the return forgotten)


def _stub(*args): ...


def _mutates(*args):
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
            arg *= 2.0
    return args[0]


def _endless(*args):
    while True:
        yield np.arange(3)


WRONG = {
    "None": None,
    "Ellipsis": ...,
    "a string": "0.5",
    "NaN": np.nan,
    "an array of the wrong shape": np.zeros((2, 1)),
    "a list": [1.0, 2.0, 3.0],
    "a function that raises": _raises,
    "a function returning NaN": _returns_nan,
    "a function that forgets return": _forgets_return,
    "a stub": _stub,
    "a function that mutates its input": _mutates,
    "an endless generator": _endless,
}


def _run(name, answers, capsys) -> str:
    problem, _ = RIGHT[name]
    with time_limit(10):
        assert getattr(check, name)(**problem, **answers) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"{name} should print exactly one line, got {out!r}"
    return out


def _cases():
    for name, (_, answers) in RIGHT.items():
        for argument in answers:
            yield name, argument


def test_every_public_check_has_a_right_answer_here():
    assert set(RIGHT) == set(check.__all__), "add the new check's right answer to RIGHT"


@pytest.mark.parametrize("name, argument", list(_cases()))
@pytest.mark.parametrize("form", ["as written", *FORMS])
def test_a_right_answer_in_any_legitimate_form_passes(capsys, name, argument, form):
    answers = RIGHT[name][1]
    answer = answers[argument] if form == "as written" else _in_form(answers[argument], form)
    out = _run(name, {**answers, argument: answer}, capsys)
    assert out.startswith("✓"), out


@pytest.mark.parametrize("name, argument", list(_cases()))
@pytest.mark.parametrize("kind", list(WRONG))
def test_a_wrong_answer_is_explained_never_raised(capsys, name, argument, kind):
    answers = RIGHT[name][1]
    out = _run(name, {**answers, argument: WRONG[kind]}, capsys)
    assert out.startswith("✗ "), out
    function_expected = callable(answers[argument])
    if kind in ("Ellipsis", "a stub") and (kind == "Ellipsis" or function_expected):
        assert "not answered yet" in out, out
    if kind == "None":
        assert "None" in out, out
    if kind == "a function that forgets return" and function_expected:
        assert "did you forget `return`" in out, out
    if kind == "a function that raises" and function_expected:
        assert "raised ValueError: a bug in the student's code" in out, out


def _problem_cases():
    """(check, argument) for every argument that is not an answer: the problem the notebook
    computes and passes (``x``, ``grad_norms``), which a student may have overwritten."""
    for name, (_, answers) in RIGHT.items():
        for argument in inspect.signature(getattr(check, name)).parameters:
            if argument not in answers:
                yield name, argument


@pytest.mark.parametrize("name, argument", list(_problem_cases()))
@pytest.mark.parametrize("kind", list(WRONG))
def test_a_wrong_problem_argument_is_explained_never_raised(capsys, name, argument, kind):
    problem, answers = RIGHT[name]
    with time_limit(10):
        assert getattr(check, name)(**{**problem, argument: WRONG[kind]}, **answers) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    if kind not in ("a list", "an array of the wrong shape"):  # those may be a valid problem
        assert out.startswith("✗ "), out  # None, NaN, text, a function where data belongs, ...
    if "could not use its arguments" in out:
        assert f"{name}(" in out and argument in out and "re-run" in out, out


def test_the_problem_arguments_are_fuzzed_too():
    assert len(list(_problem_cases())) >= 20  # the checks' x, y, grad_norms, losses, ...


# --- the examples the shared helpers were built for -----------------------------------------


def test_whole_floats_float32_and_lists_are_accepted(capsys):
    check.steps_per_epoch(1000, 64, np.ceil(1000 / 64))
    check.parabola_without_half(3, np.float32(1 / 6), np.float32(1 / 3))
    check.linear_backward(lambda X, W, dout: [X.T @ dout, dout.sum(axis=0), dout @ W.T])
    assert [line[0] for line in capsys.readouterr().out.splitlines()] == ["✓", "✓", "✓"]


def test_an_endless_generator_is_read_only_as_far_as_an_epoch_goes(capsys):
    def forever(n, batch_size, rng):
        while True:
            yield rng.permutation(n)[:batch_size]

    with time_limit(10):
        check.minibatches(forever)
    assert "stopped reading there" in capsys.readouterr().out


def test_a_stub_with_a_docstring_is_not_answered_yet_but_a_forgotten_return_is_named(capsys):
    def relu_backward(X, dout):
        """Return dout where X > 0, else 0."""
        ...

    def relu_backward_without_return(X, dout):
        dout * (X > 0)  # noqa: B018

    check.relu_backward(relu_backward)
    check.relu_backward(relu_backward_without_return)
    first, second = capsys.readouterr().out.splitlines()
    assert first == "✗ not answered yet: the body of my_fn is still `...`"
    assert second == "✗ my_fn returned None — did you forget `return`?"


def test_a_failed_conversion_is_not_blamed_on_the_students_function(capsys):
    check.numerical_gradient(lambda f, x, eps: "not numbers")
    out = capsys.readouterr().out
    assert "raised" not in out and "should be numbers, got 'not numbers' (str)" in out, out
