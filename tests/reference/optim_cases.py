"""The optimizer-option grid and the deterministic problem shared by the torch reference
generator (make_torch_reference.py, needs torch) and tests/test_optim.py (does not)."""

import itertools

import numpy as np

SHAPES = {"w": (4, 3), "b": (3,), "s": ()}
STEPS = 300


def initial_params() -> dict[str, np.ndarray]:
    return {
        name: np.cos(np.arange(np.prod(shape)) * 1.7 + i).reshape(shape)
        for i, (name, shape) in enumerate(SHAPES.items())
    }


def gradient(name: str, p: np.ndarray, t: int) -> np.ndarray:
    """A gradient that depends on the parameter (so errors compound) and on the step."""
    phase = np.arange(p.size).reshape(p.shape) * 0.7 + len(name)
    return np.sin(1.3 * t + phase) + 0.1 * p


def cases() -> list[tuple[str, dict]]:
    """(optimizer name, keyword arguments) for every option combination that is valid."""
    out = []
    for mom, damp, nest, wd, mx in itertools.product(
        [0, 0.9], [0, 0.3], [False, True], [0, 0.05], [False, True]
    ):
        if not nest or (mom > 0 and damp == 0):
            out.append(
                (
                    "SGD",
                    dict(
                        lr=0.05,
                        momentum=mom,
                        dampening=damp,
                        nesterov=nest,
                        weight_decay=wd,
                        maximize=mx,
                    ),
                )
            )
    for lrd, wd, iav, mx in itertools.product([0, 0.01], [0, 0.05], [0, 0.1], [False, True]):
        out.append(
            (
                "Adagrad",
                dict(
                    lr=0.1,
                    lr_decay=lrd,
                    weight_decay=wd,
                    initial_accumulator_value=iav,
                    eps=1e-10,
                    maximize=mx,
                ),
            )
        )
    for mom, cen, wd, mx in itertools.product([0, 0.9], [False, True], [0, 0.05], [False, True]):
        out.append(
            (
                "RMSprop",
                dict(
                    lr=0.01,
                    alpha=0.9,
                    eps=1e-8,
                    weight_decay=wd,
                    momentum=mom,
                    centered=cen,
                    maximize=mx,
                ),
            )
        )
    for name in ("Adam", "AdamW"):
        for ams, wd, mx in itertools.product([False, True], [0, 0.05], [False, True]):
            out.append(
                (
                    name,
                    dict(
                        lr=0.01,
                        betas=(0.8, 0.95),
                        eps=1e-8,
                        weight_decay=wd,
                        amsgrad=ams,
                        maximize=mx,
                    ),
                )
            )
    return out


def case_id(name: str, kwargs: dict) -> str:
    return name + "(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
