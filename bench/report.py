"""Figures the same way in every benchmark: ours, the raw counterpart's for the same work in the same
run, and the ratio. Each figure is printed and kept, so `python -m bench` can write them all as JSON
(EJOURNAL_BENCH_JSON=<path>): {"<name>": {"ours", "raw", "unit", "better"}}. The figures the
performance issue names (`gateway_write_marks_per_s`, …: a bare identifier) keep their own name;
the others are named "<benchmark>/<figure>"."""

from __future__ import annotations

import os
import re
import statistics
from typing import Any

FIGURES: dict[str, dict[str, Any]] = {}
# The benchmark now running (set by bench/__main__.py); figures are named "<benchmark>/<what>".
current = "bench"


def tiny() -> bool:
    """EJOURNAL_BENCH_TINY=1: the smallest run that still produces every figure (for the bench's own
    test; its numbers mean nothing)."""
    return os.environ.get("EJOURNAL_BENCH_TINY") == "1"


def size(full: int, small: int) -> int:
    return small if tiny() else full


def figure(what: str, ours: float, raw: float, unit: str, higher_is_better: bool = True) -> None:
    ratio = ours / raw if raw else float("nan")
    sense = "higher is better" if higher_is_better else "lower is better"
    ours_text = f"ejournal {ours:>12,.2f} {unit:<8}"
    print(f"{what:<48} {ours_text} raw {raw:>12,.2f} {unit:<8} ratio {ratio:6.2f} ({sense})", flush=True)
    FIGURES[what if re.fullmatch(r"[a-z0-9_]+", what) else f"{current}/{what}"] = {
        "ours": ours,
        "raw": raw,
        "unit": unit,
        "better": "higher" if higher_is_better else "lower",
    }


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
