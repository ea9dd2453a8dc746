"""A tiny benchmark runner: median wall time of repeated calls, after a warm-up.

A benchmark module ``bench_*.py`` defines ``BENCHMARKS``, a list of :class:`Benchmark`. Each
``make_fn()`` is called once (set-up, not timed) and returns the callable that is timed.
Benchmarks measure; they never fail a test run (``make bench`` is not part of ``make test``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Benchmark:
    name: str
    make_fn: Callable[[], Callable[[], object]]
    target_ms: float | None = None  # the budget the issue/design sets, shown beside the result
    repeat: int = 30
    warmup: int = 3


@dataclass
class Result:
    name: str
    median_ms: float
    q1_ms: float
    q3_ms: float
    target_ms: float | None

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.median_ms <= self.target_ms else "OVER BUDGET"


def measure(bench: Benchmark) -> Result:
    fn = bench.make_fn()
    for _ in range(bench.warmup):
        fn()
    times = []
    for _ in range(bench.repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    q1, median, q3 = statistics.quantiles(times, n=4)
    return Result(bench.name, median, q1, q3, bench.target_ms)


def table(results: list[Result]) -> str:
    width = max([len(r.name) for r in results] + [9])
    header = f"{'benchmark':<{width}}  {'median ms':>10}  {'IQR ms':>15}  {'target ms':>9}  verdict"
    lines = [header, "-" * len(header)]
    for r in results:
        target = f"{r.target_ms:g}" if r.target_ms is not None else "-"
        iqr = f"{r.q1_ms:.2f}–{r.q3_ms:.2f}"
        lines.append(f"{r.name:<{width}}  {r.median_ms:>10.2f}  {iqr:>15}  {target:>9}  "
                     f"{r.verdict}")
    return "\n".join(lines)
