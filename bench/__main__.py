"""`python -m bench [NAME ...]`: run the benchmarks (all, or the named ones) and print their figures.

Each benchmark is a module bench/<name>.py with a `main()`; each figure is printed beside the raw
counterpart's figure for the same work, measured in the same run, and their ratio (bench/report.py).
With EJOURNAL_BENCH_JSON=<path> the figures are also written there as JSON. Logs go to stderr at
WARNING, so the services the benchmarks drive print no line per call.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import pkgutil
import sys
from pathlib import Path

from bench import report
from ejournal_platform.logging import configure_logging

HERE = Path(__file__).parent
NOT_BENCHMARKS = {
    "__main__", "harness", "report", "seed", "services", "raw_writes", "explain", "profiling", "app_cpu",
    "http_client",
    "outbox_plans",
    "lag_sides",
    "grid_forms",  # a diagnostic A/B of the grid's two reply forms, run on its own
}  # fmt: skip


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name not in NOT_BENCHMARKS)


def run(names: list[str]) -> dict[str, dict[str, object]]:
    configure_logging("bench", "WARNING", "console", stream=sys.stderr)
    # Benchmarks with options read them from sys.argv; run from here they take their defaults.
    sys.argv = sys.argv[:1]
    for name in names or available():
        module = importlib.import_module(f"bench.{name}")
        report.current = name
        print(f"\n## {name}", flush=True)
        result = module.main()
        if inspect.iscoroutine(result):
            asyncio.run(result)
    return report.FIGURES


if __name__ == "__main__":
    unknown = set(sys.argv[1:]) - set(available())
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; available: {', '.join(available())}")
    figures = run(sys.argv[1:])
    if target := os.environ.get("EJOURNAL_BENCH_JSON"):
        Path(target).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
