"""What every use case needs: sessions, the outbox, a clock, and the classroom secrets port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import ExplicitTransaction, UnitOfWork
from ejournal_platform.outbox import OutboxWriter


class ClassroomSecrets(Protocol):
    """The classroom's QR secret (KG-09), owned by curriculum (GetClassroomSecret)."""

    async def secret(self, classroom_id: str) -> bytes: ...

    def forget(self, classroom_id: str) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Gradebook:
    sessions: async_sessionmaker[AsyncSession]
    outbox: OutboxWriter
    secrets: ClassroomSecrets
    clock: Callable[[], datetime] = field(default=utc_now)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox)

    def explicit_transaction(self) -> ExplicitTransaction:
        """A connection of the sessions' pool without a session (WriteMarks' common case)."""
        return ExplicitTransaction.of(self.sessions, self.outbox)

    def now(self) -> datetime:
        return self.clock()
