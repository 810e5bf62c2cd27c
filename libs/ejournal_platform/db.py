"""Async SQLAlchemy 2 (psycopg 3) engine and the unit of work every use case runs in.

The unit of work owns one transaction. Use cases add domain events to it; on commit they are written
to the outbox table in that same transaction, so an event exists if and only if its change does.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Self

import psycopg
from sqlalchemy import Engine, MetaData, event, exc
from sqlalchemy.ext import asyncio as sqlalchemy_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

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


# A pooled connection unused for longer than this is checked with a round trip before it is lent; one
# in use a moment ago is lent as it is (issue 19: the check was one of a save's round trips).
PING_AFTER_IDLE_SECONDS = 5.0
_CHECKED_IN_AT = "ejournal_checked_in_at"


def make_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """An engine whose pool keeps up to 2 x `pool_size` connections open.

    The most connections at once is what it always was (`pool_size` + as many overflow); they are all
    kept, because an overflow connection closed on return had to be opened again by the next burst
    (16 teachers saving at once: a new PostgreSQL backend, authentication and cold plan caches for a
    share of the saves). A connection idle for over PING_AFTER_IDLE_SECONDS is pinged before use
    (`pool_pre_ping` pinged on every checkout); if the server restarted meanwhile the ping fails and
    the whole pool is replaced, as with pre-ping. A connection that dies within those seconds fails
    its one statement as UNAVAILABLE (retried by the callers of idempotent RPCs), and the pool
    replaces every connection older than that failure."""
    # Through the module, so that tracing's SQLAlchemy instrumentation (telemetry.py) sees the engine.
    engine = sqlalchemy_asyncio.create_async_engine(
        url, pool_size=2 * pool_size, max_overflow=0, pool_pre_ping=False, echo=echo
    )
    _ping_when_idle(engine.sync_engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def checked_in(dbapi_connection: Any, record: Any) -> None:
        if record is not None and dbapi_connection is not None:
            record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        last = record.info.get(_CHECKED_IN_AT)  # none: a connection opened just now
        if last is None or time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError(str(error)) from error  # the pool reconnects, as pre-ping
            raise


class UnitOfWork:
    """`async with uow:` opens a transaction; `await uow.commit()` writes events and commits.

    Leaving the block without commit rolls back, events included.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], outbox: OutboxWriter) -> None:
        self._session_factory = session_factory
        self._outbox = outbox
        self._events: list[Event] = []
        self._encoded = False
        self._committed = False

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._events = []
        self._encoded = False
        self._committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    def add_event(self, event: Event) -> None:
        if self._committed:
            raise RuntimeError("an event added after the transaction was committed would be lost")
        self._events.append(event)

    def committed_by_caller(self) -> None:
        """The caller has queued COMMIT itself, as the last statement of its write pipeline (one round
        trip less): nothing may join the transaction after it, and `commit` only settles the session
        (psycopg sends no COMMIT for a connection with no transaction open) and wakes the relay."""
        if self._events:
            raise RuntimeError("events added to the unit of work would not be written before COMMIT")
        self._committed = True

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


class ExplicitTransaction:
    """A pooled psycopg connection lent without the ORM session, for a hot call that sends BEGIN and
    COMMIT itself inside its pipelines (the gradebook's WriteMarks). The session's checkout, its switch
    to autocommit and back, its commit and close cost more client CPU than the call's own SQL work
    (issue 19, docs/perf stop 31); this takes the connection straight from the engine's pool (the
    pool's events, such as the ping after idleness, still run).

    `async with ExplicitTransaction(engine, outbox) as tx:` lends `tx.connection` in autocommit mode:
    until the caller's BEGIN every statement commits on its own. `await tx.commit()` commits what is
    still open (nothing when the caller queued COMMIT in its pipeline) and wakes the relay for the
    events queued on it. Leaving the block rolls back any transaction still open (an exception, or no
    commit) and gives the connection back to the pool in transactional mode; a connection that cannot
    be cleaned (broken, or interrupted mid-pipeline) is closed rather than lent again. The outbox goes
    through `queue_encoded` only: there is no session to write added events with."""

    def __init__(self, engine: AsyncEngine, outbox: OutboxWriter) -> None:
        self._engine = engine
        self._outbox = outbox
        self._encoded = False
        self._fairy: PoolProxiedConnection | None = None

    @classmethod
    def of(cls, sessions: async_sessionmaker[AsyncSession], outbox: OutboxWriter) -> ExplicitTransaction:
        """A connection of the pool the sessions are bound to (the service's one engine)."""
        engine = sessions.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        return cls(engine, outbox)

    async def __aenter__(self) -> Self:
        fairy = await self._engine.raw_connection()
        driver = fairy.driver_connection
        try:
            assert isinstance(driver, psycopg.AsyncConnection)
            await driver.set_autocommit(True)
        except BaseException:
            await greenlet_spawn(fairy.invalidate)
            raise
        self._fairy = fairy
        self.connection: psycopg.AsyncConnection[Any] = driver
        self._encoded = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        fairy, self._fairy = self._fairy, None
        assert fairy is not None
        try:
            await self.connection.rollback()  # nothing is sent when no transaction is open
            await self.connection.set_autocommit(False)
        except BaseException:
            await greenlet_spawn(fairy.invalidate)
            raise
        await greenlet_spawn(fairy.close)  # back to the pool (its reset sends nothing: no transaction)

    async def queue_encoded(self, conn: psycopg.AsyncConnection[Any], batch: EncodedEvents) -> None:
        """As UnitOfWork.queue_encoded: the rows commit or roll back with the caller's transaction."""
        await self._outbox.queue_encoded(conn, batch)
        self._encoded = True

    def committed_by_caller(self) -> None:
        """The caller queued COMMIT as its pipeline's last statement (see UnitOfWork's); `commit` then
        sends nothing and only wakes the relay."""

    async def commit(self) -> None:
        await self.connection.commit()  # psycopg sends COMMIT only for an open transaction
        if self._encoded:
            self._encoded = False
            self._outbox.notify()
