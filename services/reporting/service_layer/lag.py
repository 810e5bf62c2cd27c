"""How far behind the read models are: per consumer, the time from an event's commit (its `ce-time`,
stamped by the publisher's unit of work) to the commit of the read-model transaction that applied it.

Kept in memory (the last `window` events per consumer): it describes this process's recent past,
which is what an operator or the benchmark asks about; the stream's backlog comes from NATS.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ejournal_platform.batch_consumer import Delivery


def commit_time(ce_time: str) -> float | None:
    try:
        return datetime.fromisoformat(ce_time).timestamp()
    except ValueError:
        return None


@dataclass(frozen=True)
class LagSnapshot:
    consumer: str
    samples: int
    applied_total: int
    p50_seconds: float
    p99_seconds: float
    max_seconds: float
    last_event_time: float  # commit time of the newest event applied (epoch seconds; 0 if none)
    last_applied_at: float


def _percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


class LagTracker:
    def __init__(self, window: int = 20_000) -> None:
        self._window = window
        self._samples: dict[str, deque[float]] = {}
        self._applied: dict[str, int] = {}
        self._last_event: dict[str, float] = {}
        self._last_applied: dict[str, float] = {}

    def record(self, consumer: str, deliveries: Sequence[Delivery], applied_at: float) -> None:
        samples = self._samples.setdefault(consumer, deque(maxlen=self._window))
        for delivery in deliveries:
            committed = commit_time(delivery.event.time)
            if committed is None:
                continue
            samples.append(max(applied_at - committed, 0.0))
            self._last_event[consumer] = max(self._last_event.get(consumer, 0.0), committed)
        self._applied[consumer] = self._applied.get(consumer, 0) + len(deliveries)
        self._last_applied[consumer] = applied_at

    def applied_total(self, consumer: str) -> int:
        """Events applied so far; cheap to ask often (snapshot sorts the whole window)."""
        return self._applied.get(consumer, 0)

    def samples(self, consumer: str) -> list[float]:
        return list(self._samples.get(consumer, ()))

    def reset(self) -> None:
        self._samples.clear()
        self._applied.clear()
        self._last_event.clear()
        self._last_applied.clear()

    def snapshot(self, consumer: str) -> LagSnapshot:
        ordered = sorted(self._samples.get(consumer, ()))
        return LagSnapshot(
            consumer=consumer,
            samples=len(ordered),
            applied_total=self._applied.get(consumer, 0),
            p50_seconds=_percentile(ordered, 50),
            p99_seconds=_percentile(ordered, 99),
            max_seconds=ordered[-1] if ordered else 0.0,
            last_event_time=self._last_event.get(consumer, 0.0),
            last_applied_at=self._last_applied.get(consumer, 0.0),
        )
