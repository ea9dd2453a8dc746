"""Shared test helpers."""

import numpy as np

from mmlearn.gradcheck import numerical_grad, relative_error


def assert_grad_close(f, grad, x, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """The analytic gradient agrees with central differences: small relative error, or — where
    the gradient is ~0 and the relative error only measures round-off — a tiny absolute one."""
    analytic, numeric = np.asarray(grad(np.array(x, dtype=float))), numerical_grad(f, x)
    err = relative_error(analytic, numeric)
    worst = float(np.max(np.abs(analytic - numeric))) if analytic.size else 0.0
    assert err < rtol or worst < atol, f"relative error {err:.2e}, max abs diff {worst:.2e}"


def assert_model_grads_close(model, loss_fn, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Every ``model.grads[name]`` that ``model.backward`` fills agrees with central differences
    of ``loss_fn() -> (value, dL/d outputs)``, which runs the forward pass."""
    _, dout = loss_fn()
    model.backward(dout)
    analytic = {name: g.copy() for name, g in model.grads.items()}
    for name, p in model.params.items():
        original = p.copy()

        def f(x, p=p):
            p[...] = x
            return loss_fn()[0]

        numeric = numerical_grad(f, original)
        p[...] = original
        err = relative_error(analytic[name], numeric)
        worst = float(np.max(np.abs(analytic[name] - numeric)))
        assert err < rtol or worst < atol, f"{name}: relative error {err:.2e}, abs {worst:.2e}"
