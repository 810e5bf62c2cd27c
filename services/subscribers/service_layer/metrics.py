"""Delivery status per subscriber: one query, shared by the API (ListSubscribers) and the Prometheus
gauges the dispatcher refreshes every few seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prometheus_client import Counter, Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from services.subscribers.adapters import subscribers_repo
from services.subscribers.service_layer.deps import Deps

DELIVERIES = Counter(
    "ejournal_webhook_deliveries_total",
    "Webhook delivery tries by outcome (delivered, failed, dead)",
    ["outcome"],
)
PENDING = Gauge("ejournal_webhook_pending", "Deliveries waiting, per subscriber", ["subscriber_id"])
DEAD = Gauge("ejournal_webhook_dead_letters", "Dead-lettered deliveries, per subscriber", ["subscriber_id"])
LAG = Gauge(
    "ejournal_webhook_lag_seconds",
    "Age of the oldest waiting event (now minus its publication), per subscriber; 0 when none waits",
    ["subscriber_id"],
)


@dataclass(frozen=True)
class Status:
    delivered: int
    pending: int
    dead: int
    lag_seconds: float
    last_delivered_at: datetime | None
    last_error: str


async def statuses(session: AsyncSession, now: datetime, ids: list[str] | None = None) -> dict[str, Status]:
    rows = await subscribers_repo.status_rows(session, ids or [])
    return {
        str(r.subscriber_id): Status(
            int(r.delivered),
            int(r.pending),
            int(r.dead),
            max((now - r.oldest_waiting).total_seconds(), 0.0) if r.oldest_waiting else 0.0,
            r.last_delivered_at,
            r.last_error or "",
        )
        for r in rows
    }


async def refresh(deps: Deps, now: datetime) -> None:
    async with deps.unit_of_work() as uow:
        session = uow.session
        found = await statuses(session, now)
    for subscriber, status in found.items():
        PENDING.labels(subscriber).set(status.pending)
        DEAD.labels(subscriber).set(status.dead)
        LAG.labels(subscriber).set(status.lag_seconds)
