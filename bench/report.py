"""Printing figures the same way in every benchmark: ours, the raw server's, and the ratio."""

from __future__ import annotations

import statistics


def figure(what: str, ours: float, raw: float, unit: str, higher_is_better: bool = True) -> None:
    ratio = ours / raw if raw else float("nan")
    sense = "higher is better" if higher_is_better else "lower is better"
    ours_text = f"ejournal {ours:>12,.2f} {unit:<8}"
    print(f"{what:<48} {ours_text} raw {raw:>12,.2f} {unit:<8} ratio {ratio:6.2f} ({sense})")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
