"""Run every benchmarks/bench_*.py and print one table (``make bench``).

Usage: python benchmarks/run.py [substring ...]   — only benchmarks whose name contains one.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("MPLBACKEND", "Agg")

from harness import compare, comparison_table, measure, table  # noqa: E402


def _wanted(name: str, argv: list[str]) -> bool:
    return not argv or any(word in name for word in argv)


def main(argv: list[str]) -> int:
    results, comparisons = [], []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        for bench in getattr(module, "BENCHMARKS", []):
            if _wanted(bench.name, argv):
                results.append(measure(bench))
                print(f"  measured {bench.name}", file=sys.stderr)
        for comp in getattr(module, "COMPARISONS", []):
            if _wanted(comp.name, argv):
                comparisons.append((compare(comp), comp.target_ratio))
                print(f"  compared {comp.name}", file=sys.stderr)
    if results:
        print(table(results))
    if comparisons:
        print()
        print(
            comparison_table(
                [row for row, _ in comparisons], [t for _, t in comparisons], peer="torch"
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
