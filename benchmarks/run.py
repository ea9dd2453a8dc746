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

from harness import measure, table  # noqa: E402


def main(argv: list[str]) -> int:
    results = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        for bench in module.BENCHMARKS:
            if argv and not any(word in bench.name for word in argv):
                continue
            results.append(measure(bench))
            print(f"  measured {bench.name}", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
