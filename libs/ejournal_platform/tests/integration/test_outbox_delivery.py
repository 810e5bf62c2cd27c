"""The outbox delivers every event with an exactly-once effect while its relay and NATS die.

1,000 events are committed through the unit of work while a relay runs in a separate process. The
relay is killed with SIGKILL in the middle of publishing and nats-server is killed with SIGKILL and
restarted on the same store; a durable consumer applies every event to an `effects` table through the
inbox. Afterwards every event has been applied exactly once and every outbox row is marked published.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from sqlalchemy import Column, Integer, MetaData, Table, Uuid, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import events_pb2
from ejournal_platform.consumer import EventConsumer, Handler
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import Event, ReceivedEvent, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxWriter, define_inbox, define_outbox
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration

EVENTS = 1_000
SERVICE = "gradebook"


def tables() -> tuple[MetaData, Table, Table, Table]:
    metadata = new_metadata()
    outbox = define_outbox(metadata)
    inbox = define_inbox(metadata)
    effects = Table(
        "effects",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        Column("applied", Integer, nullable=False),
    )
    return metadata, outbox, inbox, effects


def start_relay(database_url: str, nats_url: str, marker: Path | None = None) -> subprocess.Popen[bytes]:
    extra = [str(marker)] if marker else []
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ejournal_platform.testing.relay_process",
            database_url,
            nats_url,
            "50",
            *extra,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


async def count(sessions: async_sessionmaker[AsyncSession], sql: str) -> int:
    async with sessions() as session:
        return int((await session.execute(text(sql))).scalar_one())


async def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():  # type: ignore[misc]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_every_event_has_exactly_one_effect_through_relay_and_nats_crashes(
    databases: Databases, nats_factory: Callable[[], NatsServer], tmp_path: Path
) -> None:
    metadata, outbox, inbox, effects = tables()
    url = databases.empty(metadata)
    nats_server = nats_factory()
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    writer = OutboxWriter(outbox)

    nc = await connect(nats_server.url, "test-consumer")
    await ensure_stream(nc.jetstream(), SERVICE)

    async def apply(uow: UnitOfWork, event: ReceivedEvent) -> None:
        mark = event.parse(events_pb2.MarkRecorded)
        assert mark.value == "5"
        await uow.session.execute(
            insert(effects)
            .values(event_id=event.id, applied=1)
            .on_conflict_do_update(
                index_elements=[effects.c.event_id], set_={"applied": effects.c.applied + 1}
            )
        )

    consumer = EventConsumer(
        nc.jetstream(),
        lambda: UnitOfWork(sessions, writer),
        inbox,
        name="effects",
        stream=stream_name(SERVICE),
        subjects=["ejournal.gradebook.>"],
        handler=apply,
        batch=100,
    )
    consumer_task = asyncio.create_task(consumer.run())
    marker = tmp_path / "published-not-marked"
    relay = start_relay(url, nats_server.url, marker)
    try:
        # Commit the events in 40 transactions of 25, as a service under load would.
        for batch in range(EVENTS // 25):
            async with UnitOfWork(sessions, writer) as uow:
                for i in range(25):
                    payload = events_pb2.MarkRecorded(
                        journal_id="j", lesson_id=f"l{batch}", student_id=str(i), value="5"
                    )
                    uow.add_event(Event(payload=payload, subject="journal/j"))
                await uow.commit()
            if batch == 8:
                # Kill the relay in the middle of a batch: JetStream has acked it, the rows are not marked.
                # A liveness bound, not a speed claim: it includes the relay process's start, which
                # took over 20 s on a loaded 2-core machine.
                await wait_until(lambda: _exists(marker), 120, "the relay to publish a batch")
                relay.kill()
                relay.wait()
                in_stream = (await nc.jetstream().stream_info(stream_name(SERVICE))).state.messages
                marked = await count(sessions, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")
                assert in_stream > marked, "the kill left acked events unmarked, to be published again"
                relay = start_relay(url, nats_server.url)
            if batch == 20:
                nats_server.kill()
            if batch == 26:
                nats_server.start()
            if batch == 32:
                relay.kill()
                relay.wait()
                relay = start_relay(url, nats_server.url)

        await wait_until(
            lambda: _at_least(sessions, "SELECT count(*) FROM effects", EVENTS), 90, "every effect"
        )
        await wait_until(
            lambda: _at_least(sessions, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", EVENTS),
            30,
            "every outbox row to be marked published",
        )
        await asyncio.sleep(1.0)  # let any straggling redelivery arrive before judging
        async with sessions() as session:
            applied = (
                await session.execute(select(func.count(), func.max(effects.c.applied)).select_from(effects))
            ).one()
        assert applied == (EVENTS, 1), "every event applied, none applied twice"
        assert await count(sessions, "SELECT count(*) FROM inbox") == EVENTS
        # JetStream's duplicate window dropped the republished batch: the stream holds each event once.
        assert (await nc.jetstream().stream_info(stream_name(SERVICE))).state.messages == EVENTS
    finally:
        relay.kill()
        relay.wait()
        consumer_task.cancel()
        await asyncio.gather(consumer_task, return_exceptions=True)
        await nc.close()
        await engine.dispose()


@asynccontextmanager
async def consuming(
    databases: Databases, nats_server: NatsServer, service: str, handler: Handler
) -> AsyncIterator[tuple[JetStreamContext, async_sessionmaker[AsyncSession]]]:
    """A fresh database and stream, and a running consumer applying `handler` to the stream."""
    metadata, outbox, inbox, _ = tables()
    engine = make_engine(databases.empty(metadata))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    nc = await connect(nats_server.url, f"{service}-test")
    js = nc.jetstream()
    await ensure_stream(js, service)
    consumer = EventConsumer(
        js, lambda: UnitOfWork(sessions, OutboxWriter(outbox)), inbox, name=service,
        stream=stream_name(service), subjects=[f"ejournal.{service}.>"],
        handler=handler,
    )  # fmt: skip
    task = asyncio.create_task(consumer.run())
    try:
        yield js, sessions
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()
        await engine.dispose()


async def test_a_duplicate_outside_the_dedup_window_still_has_one_effect(
    databases: Databases, nats_server: NatsServer
) -> None:
    """JetStream forgets message ids after its window; the inbox does not."""
    effects = tables()[3]
    calls = 0

    async def apply(uow: UnitOfWork, event: ReceivedEvent) -> None:
        nonlocal calls
        calls += 1
        await uow.session.execute(insert(effects).values(event_id=event.id, applied=1))

    async with consuming(databases, nats_server, "dupcheck", apply) as (js, sessions):
        event_id = "6f1c0a2e-6a59-4a55-9a43-3e2f1f0a9b11"
        for attempt in range(3):
            # A different Nats-Msg-Id each time, as after the duplicate window: JetStream keeps all three.
            headers = {"Nats-Msg-Id": f"{event_id}-{attempt}", "ce-id": event_id}
            await js.publish("ejournal.dupcheck.v1.Thing", b"", headers=headers)
        await wait_until(lambda: _consumer_idle(js, "dupcheck"), 20, "the consumer to ack all three")
        assert calls == 1
        assert await count(sessions, "SELECT count(*) FROM effects") == 1


async def test_a_failing_handler_gets_the_event_again_and_nothing_half_applied(
    databases: Databases, nats_server: NatsServer
) -> None:
    effects = tables()[3]
    attempts = 0

    async def flaky(uow: UnitOfWork, event: ReceivedEvent) -> None:
        nonlocal attempts
        attempts += 1
        await uow.session.execute(insert(effects).values(event_id=event.id, applied=attempts))
        if attempts == 1:
            raise RuntimeError("database hiccup after a partial write")

    async with consuming(databases, nats_server, "retrycheck", flaky) as (js, sessions):
        headers = {"ce-id": "0b7f4d3e-4c1e-4a7e-8a55-1d1d2b3c4d5e"}
        await js.publish("ejournal.retrycheck.v1.Thing", b"", headers=headers)
        await wait_until(
            lambda: _at_least(sessions, "SELECT count(*) FROM effects", 1), 20, "the retried effect"
        )
        async with sessions() as session:
            assert (
                await session.execute(select(effects.c.applied))
            ).scalar_one() == 2  # first write rolled back


async def _exists(path: Path) -> bool:
    return path.exists()


async def _at_least(sessions: async_sessionmaker[AsyncSession], sql: str, n: int) -> bool:
    return await count(sessions, sql) >= n


async def _consumer_idle(js: JetStreamContext, service: str) -> bool:
    info = await js.consumer_info(stream_name(service), service)
    return bool(info.num_ack_pending == 0 and info.num_pending == 0 and info.delivered.stream_seq >= 3)


async def test_published_rows_and_old_inbox_ids_are_purged_after_the_retention_and_unpublished_never(
    databases: Databases, nats_server: NatsServer
) -> None:
    import uuid
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from ejournal_platform.outbox import OutboxRelay, Pruned

    metadata, outbox, inbox, _ = tables()
    url = databases.empty(metadata)
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    writer = OutboxWriter(outbox)
    nc = await connect(nats_server.url, "purge-test")
    await ensure_stream(nc.jetstream(), SERVICE)
    try:
        async with UnitOfWork(sessions, writer) as uow:
            for i in range(3):
                uow.add_event(Event(payload=events_pb2.MarkRecorded(student_id=str(i)), subject="journal/j"))
            await uow.commit()
        relay = OutboxRelay(engine, writer, nc.jetstream(), "ejournal/test", keep_published=timedelta(days=7))
        assert await relay.publish_pending() == 3
        # Events of three weeks ago (no week partition here: the DEFAULT one holds them, pruned row by
        # row; test_event_partitions.py covers whole weeks): one published then, one still waiting.
        long_ago = datetime.now(UTC) - timedelta(days=21)
        async with engine.begin() as conn:
            await conn.execute(
                update(outbox).where(outbox.c.seq == 1).values(occurred_at=long_ago, published_at=long_ago)
            )
            await conn.execute(
                update(outbox).where(outbox.c.seq == 2).values(occurred_at=long_ago, published_at=None)
            )
        async with engine.begin() as conn:  # the inbox: one id processed long ago, one just now
            await conn.execute(
                insert(inbox).values(
                    consumer="c", event_id=uuid.uuid4(), occurred_at=long_ago, processed_at=long_ago
                )
            )
            await conn.execute(
                insert(inbox).values(consumer="c", event_id=uuid.uuid4(), occurred_at=datetime.now(UTC))
            )
        assert await relay.purge_published() == Pruned(partitions_dropped=0, rows_deleted=2)
        assert await count(sessions, "SELECT count(*) FROM outbox") == 2
        assert await count(sessions, "SELECT count(*) FROM inbox") == 1
    finally:
        await nc.close()
        await engine.dispose()
