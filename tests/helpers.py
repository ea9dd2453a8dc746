"""Shared test helpers."""

import os
import signal
import subprocess
from contextlib import contextmanager

import numpy as np

from mmlearn.gradcheck import check_model, numerical_grad, relative_error


class TimeLimitExceeded(BaseException):
    """A hang. A BaseException, like KeyboardInterrupt, so that code which turns every
    Exception into a message (a self-check) cannot swallow it."""


@contextmanager
def time_limit(seconds: float):
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (a hang becomes a
    failing test)."""

    def hang(signum, frame):
        raise TimeLimitExceeded(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_grad_close(f, grad, x, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """The analytic gradient agrees with central differences: small relative error, or — where
    the gradient is ~0 and the relative error only measures round-off — a tiny absolute one."""
    analytic, numeric = np.asarray(grad(np.array(x, dtype=float))), numerical_grad(f, x)
    err = relative_error(analytic, numeric)
    worst = float(np.max(np.abs(analytic - numeric))) if analytic.size else 0.0
    assert err < rtol or worst < atol, f"relative error {err:.2e}, max abs diff {worst:.2e}"


def assert_model_grads_close(model, loss_fn, rtol: float = 1e-6) -> None:
    """Every ``model.grads[name]`` that ``model.backward`` fills agrees with central differences
    of ``loss_fn() -> (value, dL/d outputs)``, which runs the forward pass."""
    errors = check_model(model, loss_fn)
    assert errors.keys() == model.params.keys()
    bad = {name: err for name, err in errors.items() if err >= rtol}
    assert not bad, f"relative errors {bad}"


def central_difference(f, x, eps):
    """Notebook 01's solution to the numerical-gradient exercise: ``(f(x + eps e_i) - f(x - eps
    e_i)) / (2 eps)`` for every coordinate i of the array ``x``."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def gradient_descent(grad, x0, lr, steps):
    """Notebook 00's solution to the gradient-descent-loop exercise: the iterates
    ``[x0, x1, ..., x_steps]`` of ``x <- x - lr * grad(x)``."""
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return xs


def pool_backward(X, dout, size, mode="max"):
    """Notebook 06's solution to the max-pool backward exercise (``mode="max"``: each window's
    gradient goes to its maximum), or a typical mistake: ``"mean"`` (spread evenly, as an
    average pool does) or ``"copy"`` (copied to every input). ``X`` (n, c, h, w), ``dout``
    (n, c, h // size, w // size); returns dX like X."""
    n, c, h, w = X.shape
    oh, ow = h // size, w // size
    windows = X[:, :, : oh * size, : ow * size].reshape(n, c, oh, size, ow, size)
    share = {
        "max": windows == windows.max(axis=(3, 5), keepdims=True),
        "mean": np.full(windows.shape, 1 / size**2),
        "copy": np.ones(windows.shape),
    }[mode]
    dX = np.zeros_like(X)
    dX[:, :, : oh * size, : ow * size] = (share * dout[:, :, :, None, :, None]).reshape(
        n, c, oh * size, ow * size
    )
    return dX


def stop_process_group(process: subprocess.Popen, grace: float) -> None:
    """Stop ``process`` and everything it started (it was started with
    ``start_new_session=True``): SIGTERM to its process group, then SIGKILL if it has not
    exited after ``grace`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def assert_verdict(capsys, ok: bool, says: str = "") -> None:
    """The self-check just printed a ✓ (``ok``) or a ✗ message containing ``says``."""
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out, out
