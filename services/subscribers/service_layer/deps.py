"""What subscribers's use cases need: a unit of work per transaction (a read leaves without committing,
which rolls back), like every service's use cases (identity's Deps is the model), a clock, and the
server's configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.subscribers.adapters.tables import outbox


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    unit_of_work: Callable[[], UnitOfWork]
    clock: Callable[[], datetime] = utc_now
    # Webhooks to a loopback address over plain http: local development and tests only (settings).
    allow_loopback_http: bool = False

    @classmethod
    def over(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime] = utc_now,
        allow_loopback_http: bool = False,
    ) -> Deps:
        """Units of work over these sessions, with subscribers's outbox (tools, tests, benchmarks)."""
        writer = OutboxWriter(outbox)
        return cls(lambda: UnitOfWork(sessions, writer), clock, allow_loopback_http)
