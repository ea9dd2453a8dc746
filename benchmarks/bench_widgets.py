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


BENCHMARKS = [
    Benchmark("00 gd_1d dashboard redraw (compute+draw+png)", _gd_1d, target_ms=60),
]
