"""What every use case needs: a unit of work per transaction (or, for a hot read, a pooled connection
without the ORM session) and a clock (tests move it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import ExplicitTransaction, UnitOfWork
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


class UnitsOfWork:
    """`deps.uow()` opens a unit of work; `deps.uow.explicit_transaction()` lends a connection of the
    same pool without the ORM session, for a read on every grid the portal opens (ListGroupMembers),
    where the session's layers cost more client CPU than the read's SQL (docs/perf/README.md, stop 32)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], outbox: OutboxWriter) -> None:
        self._sessions = sessions
        # Imports write tens of thousands of events in one transaction: write them in bulk.
        self._writer = BulkOutboxWriter(outbox)

    def __call__(self) -> UnitOfWork:
        return ReadableUnitOfWork(self._sessions, self._writer)

    def explicit_transaction(self) -> ExplicitTransaction:
        return ExplicitTransaction.of(self._sessions, self._writer)


def unit_of_work_factory(sessions: async_sessionmaker[AsyncSession], outbox: OutboxWriter) -> UnitsOfWork:
    return UnitsOfWork(sessions, outbox)


@dataclass
class Deps:
    uow: UnitsOfWork
    clock: Callable[[], datetime] = field(default=utc_now)
