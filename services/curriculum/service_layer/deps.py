"""What every use case needs: a unit of work per transaction and a clock (tests move it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.curriculum.adapters.bulk import BulkOutboxWriter


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReadableUnitOfWork(UnitOfWork):
    """Rows a use case returns stay readable after the block: leaving without commit (a read, a retry
    that changed nothing) rolls back, and a rollback would expire every loaded row; detach them first."""

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.session.expunge_all()
        await super().__aexit__(exc_type, exc, tb)


def unit_of_work_factory(
    sessions: async_sessionmaker[AsyncSession], outbox: OutboxWriter
) -> Callable[[], UnitOfWork]:
    # Imports write tens of thousands of events in one transaction: write them in bulk.
    writer = BulkOutboxWriter(outbox)
    return lambda: ReadableUnitOfWork(sessions, writer)


@dataclass
class Deps:
    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime] = field(default=utc_now)
