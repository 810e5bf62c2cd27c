"""What reporting's use cases need: a unit of work per transaction (a read leaves without committing,
which rolls back), like every service's use cases (identity's Deps is the model)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.reporting.adapters.tables import outbox


@dataclass(frozen=True)
class Deps:
    unit_of_work: Callable[[], UnitOfWork]

    @classmethod
    def over(cls, sessions: async_sessionmaker[AsyncSession]) -> Deps:
        """Units of work over these sessions, with reporting's outbox (tools, tests, benchmarks)."""
        writer = OutboxWriter(outbox)
        return cls(lambda: UnitOfWork(sessions, writer))
