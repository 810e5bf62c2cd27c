"""Async SQLAlchemy 2 (psycopg 3) engine and the unit of work every use case runs in.

The unit of work owns one transaction. Use cases add domain events to it; on commit they are written
to the outbox table in that same transaction, so an event exists if and only if its change does.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import psycopg
from sqlalchemy import MetaData
from sqlalchemy.ext import asyncio as sqlalchemy_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ejournal_platform.events import Event
from ejournal_platform.outbox import EncodedEvents, OutboxWriter

# Constraint names that Alembic autogenerate and humans can both predict.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    # Through the module, so that tracing's SQLAlchemy instrumentation (telemetry.py) sees the engine.
    return sqlalchemy_asyncio.create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, echo=echo
    )


class UnitOfWork:
    """`async with uow:` opens a transaction; `await uow.commit()` writes events and commits.

    Leaving the block without commit rolls back, events included.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], outbox: OutboxWriter) -> None:
        self._session_factory = session_factory
        self._outbox = outbox
        self._events: list[Event] = []
        self._encoded = False

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._events = []
        self._encoded = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    def add_event(self, event: Event) -> None:
        self._events.append(event)

    async def queue_encoded(self, conn: psycopg.AsyncConnection[Any], batch: EncodedEvents) -> None:
        """The outbox's one fast path (see OutboxWriter): pre-encoded events of one type written now,
        on this transaction's psycopg connection `conn` (possibly inside the caller's pipeline), rather
        than at commit. They commit or roll back with the change like any added event."""
        await self._outbox.queue_encoded(conn, batch)
        self._encoded = True

    async def commit(self) -> None:
        events, self._events = self._events, []
        encoded, self._encoded = self._encoded, False
        if events:
            await self._outbox.write(self.session, events)
        await self.session.commit()
        if events or encoded:
            self._outbox.notify()
