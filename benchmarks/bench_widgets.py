"""Dashboard redraw latency: compute + draw + PNG render, as one slider move costs."""

from __future__ import annotations

import itertools

from harness import Benchmark

from mmlearn import widgets


def _gd_1d():
    frame = widgets.gd_1d_frame()
    settings = itertools.cycle([(1.0, 0.5), (1.0, 1.5), (2.0, 1.2), (4.0, 0.9)])

    def redraw():
        a, lr = next(settings)
        widgets.draw_gd_1d(frame, widgets.compute_gd_1d(a, lr))
        return frame.png()

    return redraw


def _tangent():
    frame = widgets.tangent_frame()
    settings = itertools.cycle([("Huber", 0.6, -2.0), ("MAE", 0.01, -1.0), ("MSE", 1.2, -8.0)])

    def redraw():
        widgets.draw_tangent(frame, widgets.compute_tangent(*next(settings)))
        return frame.png()

    return redraw


def _linreg():
    frame = widgets.linreg_frame()
    widgets.draw_linreg_gd(frame, widgets.compute_linreg_gd(1.0, "raw"))  # contours drawn once
    factors = itertools.cycle([0.5, 1.0, 1.9, 2.1])

    def redraw():
        widgets.draw_linreg_gd(frame, widgets.compute_linreg_gd(next(factors), "raw"))
        return frame.png()

    return redraw


def _sgd(batch_size):
    def make():
        frame = widgets.sgd_frame()
        rates = itertools.cycle([0.05, 0.1, 0.2, 0.3])

        def redraw():
            widgets.draw_sgd(frame, widgets.compute_sgd(batch_size, next(rates)))
            return frame.png()

        return redraw
    return make


def _race():
    frame = widgets.race_frame()
    widgets.draw_race(frame, widgets.compute_race("Rosenbrock", 1e-3, 1e-3, 0.9, 1e-2, 0.1, 0.9))
    rates = itertools.cycle([1e-3, 5e-4, 2e-3])

    def redraw():  # one lr slider moved: four optimizers x 250 steps, recomputed and redrawn
        lr = next(rates)
        widgets.draw_race(frame, widgets.compute_race("Rosenbrock", lr, 1e-3, 0.9, 1e-2, 0.1, 0.9))
        return frame.png()

    return redraw


def _blend():
    frame = widgets.race_frame(widgets.BLEND_RACERS)
    widgets.draw_race(frame, widgets.compute_blend("Rosenbrock"))
    weights = itertools.cycle([0.1, 0.4, 0.8])

    def redraw():  # one weight slider moved: 3 members + the blend, 250 steps each
        widgets.draw_race(frame, widgets.compute_blend("Rosenbrock", next(weights), 0.4, 0.4))
        return frame.png()

    return redraw


BENCHMARKS = [
    Benchmark("00 gd_1d dashboard redraw (compute+draw+png)", _gd_1d, target_ms=60),
    Benchmark("01 tangent dashboard redraw (compute+draw+png)", _tangent, target_ms=60),
    Benchmark("02 linreg dashboard redraw, lr slider (compute+draw+png)", _linreg, target_ms=60),
    Benchmark("03 sgd dashboard redraw, batch 16 (compute+draw+png)", _sgd(16), target_ms=60),
    Benchmark("03 sgd dashboard redraw, batch 1 = 500 steps (compute+draw+png)", _sgd(1),
              target_ms=60),
    Benchmark("04 race dashboard redraw, 4 x 250 steps (compute+draw+png)", _race, target_ms=60),
    Benchmark("05 blend dashboard redraw, 4 x 250 steps (compute+draw+png)", _blend,
              target_ms=60),
]
