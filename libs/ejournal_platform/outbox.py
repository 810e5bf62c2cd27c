"""Transactional outbox: events are rows written in the change's own transaction; a relay publishes
them to JetStream afterwards.

Delivery is at-least-once by construction (a row is marked published only after JetStream acked it)
and duplicates are removed twice: JetStream drops a second message with the same Nats-Msg-Id inside
the stream's duplicate window, and consumers record processed event ids in their inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from nats.js import JetStreamContext
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ejournal_platform.cancellation import stop_requested
from ejournal_platform.context import current_request_id
from ejournal_platform.event_partitions import install_on_create
from ejournal_platform.events import Event, headers_for
from ejournal_platform.logging import get_logger
from ejournal_platform.metrics import OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from ejournal_platform.telemetry import current_traceparent, published_span

log = get_logger(__name__)

# How often the relay counts its backlog for the gauges (a scrape every 15 s or so reads them).
MEASURE_EVERY_SECONDS = 2.0


def define_outbox(metadata: MetaData) -> Table:
    """Partitioned by week of `occurred_at` (event_partitions.py): a week is pruned by dropping it.

    A partitioned table's unique keys must hold its partition key, so the keys are (seq, occurred_at)
    and (event_id, occurred_at). What keeps an event_id once in the outbox is unchanged: the id is made
    with its event (uuid4 in `Event`, uuidv7() in `queue_encoded`) together with its time, so a
    second row of the same event has the same pair and is refused; and downstream a repeated id is
    dropped by JetStream's Nats-Msg-Id window and, past it, by the consumers' inbox."""
    table = Table(
        "outbox",
        metadata,
        Column("seq", BigInteger, Identity(), primary_key=True),
        Column("event_id", Uuid, nullable=False),
        Column("event_type", Text, nullable=False),
        Column("subject", Text, nullable=False),
        Column("occurred_at", DateTime(timezone=True), primary_key=True),  # the partition key
        Column("payload", LargeBinary, nullable=False),
        Column("request_id", Text),
        Column("published_at", DateTime(timezone=True)),
        # The W3C traceparent of the span that wrote the row: the relay continues that trace.
        Column("traceparent", Text),
        UniqueConstraint("event_id", "occurred_at", name="uq_outbox_event_id"),
        postgresql_partition_by="RANGE (occurred_at)",
    )
    # The relay only ever looks for unpublished rows in commit order (a partial index per partition,
    # merged in seq order across them).
    Index("ix_outbox_unpublished", table.c.seq, postgresql_where=table.c.published_at.is_(None))
    install_on_create(table)
    return table


def define_inbox(metadata: MetaData) -> Table:
    """Processed event ids per consumer: inserting the id is what makes a handler's effect exactly-once.

    Partitioned by week of the event's own time (`occurred_at`, from its ce-time header), which every
    delivery of one event carries alike; the claim (inbox.py) keeps (consumer, event_id) unique."""
    table = Table(
        "inbox",
        metadata,
        Column("consumer", Text, primary_key=True),
        Column("event_id", Uuid, primary_key=True),
        Column("occurred_at", DateTime(timezone=True), primary_key=True),  # the partition key
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        postgresql_partition_by="RANGE (occurred_at)",
    )
    # Pruning asks whether an old week holds an id processed lately; BRIN answers that for a few pages.
    Index("ix_inbox_processed_at", table.c.processed_at, postgresql_using="brin")
    install_on_create(table)
    return table


@dataclass(frozen=True)
class Pruned:
    """What one pruning removed: whole week partitions, and rows deleted one by one."""

    partitions_dropped: int
    rows_deleted: int


@dataclass(frozen=True)
class EncodedEvents:
    """Events of one type and subject, already wire-encoded (a batch write's thousands of cells)."""

    event_type: str  # the message's full name, e.g. ejournal.gradebook.v1.MarkRecorded
    subject: str
    occurred_at: datetime
    payloads: Sequence[bytes]


class OutboxWriter:
    """Writes events into the outbox inside the caller's transaction and wakes the relay after commit.

    Two ways in, both in the change's own transaction: `write` (what `UnitOfWork.commit` does with the
    events a use case added) and the one fast path, `queue_encoded` (through
    `UnitOfWork.queue_encoded`): a batch of pre-encoded payloads of one type as a single INSERT ...
    unnest(bytea[]) on the transaction's psycopg connection, so a batch write can send it in the same
    pipelined round trip as its own statements. Either way the rows are the same, and the relay,
    headers and tracing treat them alike."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.wakeup = asyncio.Event()
        # uuidv7(): a batch's ids grow in the order they are written (PostgreSQL 18), so each lands at
        # the right-hand end of the (event_id, occurred_at) index, as seq does in the others; random
        # ids put every row of a save on another page of it (docs/perf "Stop 31").
        self._insert_encoded = (
            f"INSERT INTO {table.name} (event_id, event_type, subject, occurred_at, payload, request_id,"
            " traceparent) SELECT uuidv7(), %b, %b, %b, u.p, %b, %b FROM unnest(%b::bytea[]) AS u(p)"
        )

    async def queue_encoded(self, conn: psycopg.AsyncConnection[Any], batch: EncodedEvents) -> None:
        """Insert the batch's rows on `conn` (inside the caller's pipeline, if it has one). A bytea
        array measured faster than hex text for payloads of a few hundred bytes."""
        values = (
            batch.event_type,
            batch.subject,
            batch.occurred_at,
            current_request_id(),
            # The relay continues the writing call's trace from each row (ejournal_platform.telemetry).
            current_traceparent(),
            list(batch.payloads),
        )
        async with conn.cursor() as cur:
            await cur.execute(self._insert_encoded, values, prepare=True)

    async def write(self, session: AsyncSession, events: Sequence[Event]) -> None:
        request_id = current_request_id()
        traceparent = current_traceparent()
        await session.execute(
            insert(self.table),
            [
                {
                    "event_id": event.id,
                    "event_type": event.type,
                    "subject": event.subject,
                    "occurred_at": event.time,
                    "payload": event.payload.SerializeToString(deterministic=True),
                    "request_id": request_id,
                    "traceparent": traceparent,
                }
                for event in events
            ],
        )

    def notify(self) -> None:
        self.wakeup.set()


class OutboxRelay:
    """Publishes unpublished outbox rows in commit order, a batch per transaction.

    Rows are locked with SKIP LOCKED, so two relays (say, two replicas) never publish the same batch
    at once; a relay killed between publishing and marking leaves the rows unpublished, and the next
    attempt's duplicates are dropped by JetStream's duplicate window.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        writer: OutboxWriter,
        js: JetStreamContext,
        source: str,
        *,
        batch: int = 500,
        idle_seconds: float = 0.05,
        ack_timeout: float = 10.0,
        before_marking: Callable[[int], Awaitable[None]] | None = None,
        keep_published: timedelta = timedelta(days=7),
    ) -> None:
        self._engine = engine
        self._table = writer.table
        self._wakeup = writer.wakeup
        self._js = js
        self._source = source
        self._batch = batch
        self._idle = idle_seconds
        self._ack_timeout = ack_timeout
        # Crash-point injection for tests: runs after JetStream acked a batch, before it is marked.
        self._before_marking = before_marking
        # Published rows are kept a while for investigation, then removed so the table stays small.
        self._keep_published = keep_published
        self._next_purge = 0.0
        self._next_measure = 0.0

    async def publish_pending(self) -> int:
        """Publish one batch; return how many rows were published (0 when none waited)."""
        t = self._table
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(
                        t.c.seq,
                        t.c.event_id,
                        t.c.event_type,
                        t.c.subject,
                        t.c.occurred_at,
                        t.c.payload,
                        t.c.traceparent,
                    )
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.seq)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            acks = []
            for row in rows:
                event_id = str(row.event_id)
                headers = headers_for(
                    event_id, row.event_type, self._source, row.subject, row.occurred_at.isoformat()
                )
                with published_span(row.event_type, row.traceparent, headers):
                    acks.append(await self._js.publish_async(row.event_type, row.payload, headers=headers))
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that arrives
            # just as the acks do, and the relay then never stops (stop_requested, issue 19).
            async with asyncio.timeout(self._ack_timeout):
                await asyncio.gather(*acks)
            if self._before_marking is not None:
                await self._before_marking(len(rows))
            await conn.execute(
                update(t).where(t.c.seq.in_([row.seq for row in rows])).values(published_at=datetime.now(UTC))
            )
        return len(rows)

    async def measure_backlog(self) -> tuple[int, float]:
        """Set the outbox gauges: unpublished rows and the age of the oldest (the partial index on
        unpublished rows keeps this cheap however large the table)."""
        t = self._table
        async with self._engine.connect() as conn:
            count, oldest = (
                await conn.execute(
                    select(func.count(), func.min(t.c.occurred_at)).where(t.c.published_at.is_(None))
                )
            ).one()
        age = max(0.0, (datetime.now(UTC) - oldest).total_seconds()) if oldest is not None else 0.0
        OUTBOX_BACKLOG.set(count)
        OUTBOX_OLDEST_AGE.set(age)
        return int(count), age

    async def purge_published(self) -> Pruned:
        """Make the event tables' coming weeks' partitions, then prune what is older than `keep_published`.

        Published outbox rows are kept a while for investigation; the inbox (the service's `inbox`
        table) only has to remember an event while JetStream may still deliver it again: redeliveries
        come within the consumer's ack wait and at most five deliveries (dead letters), so a week is
        ample; without pruning the inbox grows by one row per consumed event forever (issue 19).
        Whole weeks are dropped; unpublished rows are never removed (event_partitions.py)."""
        async with self._engine.begin() as conn:
            await conn.execute(select(func.ejournal_event_partitions()))
        pruned = func.ejournal_prune_event_partitions(self._keep_published).table_valued(
            "partitions_dropped", "rows_deleted"
        )
        async with self._engine.begin() as conn:
            dropped, deleted = (
                await conn.execute(select(pruned.c.partitions_dropped, pruned.c.rows_deleted))
            ).one()
        if dropped or deleted:
            log.info("event tables pruned", partitions_dropped=dropped, rows_deleted=deleted)
        return Pruned(int(dropped), int(deleted))

    async def run(self) -> None:
        """Publish until cancelled; on any failure (NATS or database down) back off and try again."""
        failures = 0
        while True:
            stop_requested()
            try:
                if time.monotonic() >= self._next_measure:  # before publishing: a stuck relay shows
                    self._next_measure = time.monotonic() + MEASURE_EVERY_SECONDS
                    await self.measure_backlog()
                published = await self.publish_pending()
                if time.monotonic() >= self._next_purge:
                    await self.purge_published()
                    self._next_purge = time.monotonic() + 3600
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                delay = min(0.1 * 2**failures, 5.0)
                log.warning("outbox relay failed; retrying", error=repr(error), retry_in=delay)
                await asyncio.sleep(delay)
                continue
            if published < self._batch:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._idle):
                        await self._wakeup.wait()
