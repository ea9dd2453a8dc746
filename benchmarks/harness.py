"""A tiny benchmark runner: median wall time of repeated calls, after a warm-up.

A benchmark module ``bench_*.py`` defines ``BENCHMARKS``, a list of :class:`Benchmark`, and may
define ``COMPARISONS``, a list of :class:`Comparison` against a peer library (e.g. torch). Each
``make_*()`` is called once (set-up, not timed) and returns the callable that is timed.
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
        lines.append(
            f"{r.name:<{width}}  {r.median_ms:>10.2f}  {iqr:>15}  {target:>9}  {r.verdict}"
        )
    return "\n".join(lines)


def optional_torch():
    """torch, set to one thread (like numpy here), or None when it is not installed: torch is
    an optional peer in the comparisons, never a dependency."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


@dataclass
class Comparison:
    """Ours against a peer, timed in interleaved rounds (so drift hits both alike).
    ``make_peer`` returns None when the peer is not installed: the row says so."""

    name: str
    make_ours: Callable[[], Callable[[], object]]
    make_peer: Callable[[], Callable[[], object] | None]
    target_ratio: float | None = None  # ours / peer must be at most this
    rounds: int = 25
    calls: int = 200  # calls per round; a round's time / calls is one sample


def compare(c: Comparison) -> tuple[str, float, float | None, tuple[float, float, float] | None]:
    """(name, ours µs per call, peer µs per call or None, ratio quartiles or None).

    The ratio is taken round by round — ours against the peer's round right after it — and
    its median and quartiles reported: on a noisy machine, neighbouring rounds share the
    machine's mood, so a paired ratio is steadier than a ratio of two separate medians."""
    ours, peer = c.make_ours(), c.make_peer()
    fns = [ours] + ([peer] if peer is not None else [])
    samples: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        for _ in range(c.calls):  # warm-up: one full round
            fn()
    for _ in range(c.rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(c.calls):
                fn()
            samples[i].append((time.perf_counter() - start) / c.calls * 1e6)
    medians = [statistics.median(s) for s in samples]
    if peer is None:
        return c.name, medians[0], None, None
    q1, median, q3 = statistics.quantiles([a / b for a, b in zip(*samples)], n=4)
    return c.name, medians[0], medians[1], (q1, median, q3)


def comparison_table(rows: list[tuple], targets: list[float | None], peer: str) -> str:
    width = max([len(r[0]) for r in rows] + [10])
    header = (
        f"{'comparison':<{width}}  {'ours µs':>9}  {peer + ' µs':>9}  {'ratio':>6}  "
        f"{'ratio IQR':>11}  {'target':>6}  verdict"
    )
    lines = [header, "-" * len(header)]
    for (name, ours, theirs, ratios), target in zip(rows, targets):
        if theirs is None:
            lines.append(
                f"{name:<{width}}  {ours:>9.1f}  {'-':>9}  {'-':>6}  {'-':>11}  "
                f"{'-':>6}  skipped: {peer} not installed"
            )
            continue
        q1, ratio, q3 = ratios
        verdict = "" if target is None else ("ok" if ratio <= target else "OVER BUDGET")
        target_text = "-" if target is None else f"{target:.2f}"
        lines.append(
            f"{name:<{width}}  {ours:>9.1f}  {theirs:>9.1f}  {ratio:>6.2f}  "
            f"{q1:>5.2f}–{q3:<5.2f}  {target_text:>6}  {verdict}"
        )
    return "\n".join(lines)
