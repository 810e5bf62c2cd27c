"""`python -m bench [NAME ...]`: run the benchmarks (all, or the named ones) and print their figures.

Each benchmark is a module bench/<name>.py with a `main()`; each figure is printed beside the raw
server's figure for the same work, measured in the same run, and their ratio (see bench/report.py).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
NOT_BENCHMARKS = {"harness", "report"}


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in NOT_BENCHMARKS)


def run(names: list[str]) -> None:
    for name in names or available():
        module = importlib.import_module(f"bench.{name}")
        print(f"\n## {name}", flush=True)
        result = module.main()
        if inspect.iscoroutine(result):
            asyncio.run(result)


if __name__ == "__main__":
    unknown = set(sys.argv[1:]) - set(available())
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; available: {', '.join(available())}")
    run(sys.argv[1:])
