"""Optimizer speed: one ``step`` on a small parameter dict (3 arrays of 10–1000 floats), against
``torch.optim`` when torch is installed (an optional peer, never a dependency; the ratio is
informational, there is no target), and :func:`mmlearn.trajectories.run` on a 2-D landscape for
250 steps, what the race and blend dashboards recompute per optimizer (their redraw budget is
in bench_widgets.py)."""

from __future__ import annotations

import numpy as np
from harness import Benchmark, Comparison, optional_torch

from mmlearn import landscapes, optim, trajectories

SHAPES = {"W": (10, 100), "b": (100,), "v": (10,)}
CONFIGS = {
    "SGD": {"lr": 0.01},
    "SGD momentum+nesterov": {"lr": 0.01, "momentum": 0.9, "nesterov": True},
    "Adagrad": {"lr": 0.01},
    "RMSprop centered+momentum": {"lr": 0.01, "momentum": 0.9, "centered": True},
    "Adam": {"lr": 1e-3},
    "AdamW amsgrad": {"lr": 1e-3, "amsgrad": True},
}


def _cls(label: str) -> str:
    return label.split()[0]


def _ours(label: str):
    def make():
        rng = np.random.default_rng(0)
        params = {k: rng.normal(size=s) for k, s in SHAPES.items()}
        grads = {k: rng.normal(size=s) * 1e-3 for k, s in SHAPES.items()}
        opt = getattr(optim, _cls(label))(**CONFIGS[label])
        return lambda: opt.step(params, grads)

    return make


def _torch(label: str):
    def make():
        torch = optional_torch()
        if torch is None:
            return None
        rng = np.random.default_rng(0)
        params = [torch.tensor(rng.normal(size=s), requires_grad=True) for s in SHAPES.values()]
        for p, s in zip(params, SHAPES.values()):
            p.grad = torch.tensor(rng.normal(size=s) * 1e-3)
        opt = getattr(torch.optim, _cls(label))(params, **CONFIGS[label])
        return opt.step

    return make


def _run(make_opt, landscape):
    return lambda: lambda: trajectories.run(make_opt(), landscape, steps=250)


COMPARISONS = [Comparison(f"step: {label}", _ours(label), _torch(label)) for label in CONFIGS]

BENCHMARKS = [
    Benchmark(
        "run 250 steps: SGD on Rosenbrock", _run(lambda: optim.SGD(lr=1e-3), landscapes.ROSENBROCK)
    ),
    Benchmark(
        "run 250 steps: SGD momentum on Rosenbrock",
        _run(lambda: optim.SGD(lr=1e-3, momentum=0.9), landscapes.ROSENBROCK),
    ),
    Benchmark(
        "run 250 steps: Adam on Rosenbrock",
        _run(lambda: optim.Adam(lr=0.05), landscapes.ROSENBROCK),
    ),
    Benchmark(
        "run 250 steps: RMSprop on Beale", _run(lambda: optim.RMSprop(lr=0.01), landscapes.BEALE)
    ),
    Benchmark(
        "run 250 steps: Blend(momentum, RMSprop, SGD) on Rosenbrock",
        _run(
            lambda: optim.Blend(
                [
                    (0.4, optim.SGD(lr=1e-3, momentum=0.9)),
                    (0.4, optim.RMSprop(lr=0.01)),
                    (0.2, optim.SGD(lr=1e-3)),
                ]
            ),
            landscapes.ROSENBROCK,
        ),
    ),
]
