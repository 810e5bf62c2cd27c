"""The batch consumer's exactly-once effect: every event counted once although the consumer is stopped
and restarted in the middle of the stream, duplicates arrive with new message ids, and one event fails
twice before it succeeds (it is retried alone; the rest of its batch is not held back)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import pytest
from sqlalchemy import Column, Integer, Table, Text, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.batch_consumer import BatchEventConsumer, Delivery, stop_task
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import headers_for, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxWriter, define_inbox, define_outbox
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration

EVENTS = 3_000


# pipelined: the claim and the handler's writes sent together before the claim's answer is known; the
# duplicates below are refused by that answer and their batch rolled back and applied the careful way.
@pytest.mark.parametrize(("batch", "pipelined"), [(1, False), (500, False), (500, True)])
async def test_every_event_has_one_effect_through_restarts_duplicates_and_failures(
    databases: Databases, nats_factory: Callable[[], NatsServer], batch: int, pipelined: bool
) -> None:
    metadata = new_metadata()
    inbox = define_inbox(metadata)
    outbox = define_outbox(metadata)
    effects = Table("effects", metadata, Column("event", Text, primary_key=True), Column("n", Integer))
    url = databases.empty(metadata)
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    server = nats_factory()
    nc = await connect(server.url, "batch-test")
    js = nc.jetstream()
    await ensure_stream(js, "gradebook")
    failures = {"left": 2}

    async def count(uow: UnitOfWork, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            value = delivery.event.parse(gb.MarkRecorded).value
            if value == "boom" and failures["left"] > 0:
                failures["left"] -= 1
                raise RuntimeError("a handler that fails twice")
            statement = insert(effects).values(event=value, n=1)
            await uow.session.execute(
                statement.on_conflict_do_update(index_elements=["event"], set_={"n": effects.c.n + 1})
            )

    def consumer() -> BatchEventConsumer:
        return BatchEventConsumer(
            js,
            lambda: UnitOfWork(sessions, OutboxWriter(outbox)),
            inbox,
            name="counter",
            stream=stream_name("gradebook"),
            subjects=["ejournal.gradebook.>"],
            handler=count,
            batch=batch,
            pipelined=pipelined,
        )

    async def publish(first: int, last: int, *, duplicate: bool = False) -> None:
        for i in range(first, last):
            value = "boom" if i == 1234 else str(i)
            headers = headers_for(
                f"00000000-0000-4000-8000-{i:012d}",
                "ejournal.gradebook.v1.MarkRecorded",
                "test",
                "journal/j",
                "",
            )
            if duplicate:
                headers["Nats-Msg-Id"] = f"again-{i}"  # JetStream keeps it; only the inbox can drop it
            payload = gb.MarkRecorded(journal_id="j", value=value).SerializeToString()
            await js.publish("ejournal.gradebook.v1.MarkRecorded", payload, headers=headers)

    async def applied() -> int:
        async with sessions() as session:
            return int((await session.execute(select(func.count()).select_from(effects))).scalar_one())

    await publish(0, EVENTS // 2)
    task = asyncio.create_task(consumer().run())
    async with asyncio.timeout(120):
        while await applied() < EVENTS // 4:
            await asyncio.sleep(0.01)
    await stop_task(task)  # stopped in the middle, with a batch possibly half-acknowledged
    await publish(EVENTS // 2, EVENTS)
    await publish(0, 200, duplicate=True)
    task = asyncio.create_task(consumer().run())
    # A batch fetched when the first consumer stopped comes back after ack_wait. Wait while work
    # progresses (a loaded machine is slow, not wrong); give up only after 90 s without progress.
    seen, still = -1, 0.0
    while (now := await applied()) < EVENTS and still < 90:
        still = 0.0 if now != seen else still + 0.05
        seen = now
        await asyncio.sleep(0.05)
    await stop_task(task)
    async with sessions() as session:
        counts = dict((await session.execute(select(effects.c.event, effects.c.n))).all())
    assert len(counts) == EVENTS
    assert set(counts.values()) == {1}, "every event applied exactly once"
    assert failures["left"] == 0, "the failing event was retried until it succeeded"
    await nc.close()
    await engine.dispose()
