"""A pipelined batch (claim, writes and COMMIT in one round trip) holding an event claimed before: the
claim's abort must keep the optimistic attempt from committing anything, and the batch is then applied
the careful way, its new events once and the old one not at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pytest
from nats.js import JetStreamContext
from sqlalchemy import Column, Integer, Table, Text, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.batch_consumer import BatchEventConsumer, Delivery
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.inbox import claim_fresh
from ejournal_platform.outbox import OutboxWriter, define_inbox, define_outbox
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration

RAW_UPSERT = (
    "INSERT INTO effects (event, n) VALUES (%(event)s, 1) ON CONFLICT (event) DO UPDATE SET n = effects.n + 1"
)


def _delivery(n: int) -> Delivery:
    event = ReceivedEvent(
        id=f"00000000-0000-4000-8000-{n:012d}",
        type="ejournal.test.v1.Counted",
        source="test",
        subject="s",
        time="2026-12-03T12:00:00+00:00",
        data=str(n).encode(),
        headers={},
    )
    return Delivery(event, stream_seq=n)


# orm: the handler's statements go through SQLAlchemy, which reads each result (the claim's error comes
# back from the first of them, wrapped); raw: they are only queued, as reporting's projections' are (the
# error comes at the pipeline's sync).
@pytest.mark.parametrize("writes", ["orm", "raw"])
async def test_a_batch_with_an_event_claimed_before_commits_nothing_optimistic(
    databases: Databases, writes: str
) -> None:
    metadata = new_metadata()
    inbox = define_inbox(metadata)
    outbox = define_outbox(metadata)
    effects = Table("effects", metadata, Column("event", Text, primary_key=True), Column("n", Integer))
    engine = make_engine(databases.empty(metadata))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    handed: list[list[str]] = []  # what the handler was given, attempt by attempt

    async def count(uow: UnitOfWork, deliveries: Sequence[Delivery]) -> None:
        handed.append([d.event.data.decode() for d in deliveries])
        conn = await driver_connection(uow.session)
        for delivery in deliveries:
            value = delivery.event.data.decode()
            if writes == "raw":
                await conn.execute(RAW_UPSERT, {"event": value})
                continue
            statement = insert(effects).values(event=value, n=1)
            await uow.session.execute(
                statement.on_conflict_do_update(index_elements=["event"], set_={"n": effects.c.n + 1})
            )

    consumer = BatchEventConsumer(
        cast(JetStreamContext, None),  # the batch is applied directly: nothing is fetched or acked
        lambda: UnitOfWork(sessions, OutboxWriter(outbox)),
        inbox,
        name="counter",
        stream="unused",
        subjects=["unused"],
        handler=count,
        pipelined=True,
    )
    batch = [_delivery(n) for n in (1, 2, 3)]
    async with UnitOfWork(sessions, OutboxWriter(outbox)) as uow:  # event 2 was applied before
        assert await claim_fresh(uow.session, inbox, "counter", [batch[1].event]) == {batch[1].event.id}
        await uow.commit()

    applied = await consumer._apply_batch(batch)

    assert [d.event.id for d in applied] == [batch[0].event.id, batch[2].event.id]
    assert handed == [["1", "2", "3"], ["1", "3"]], "the optimistic attempt, then the careful one"
    async with sessions() as session:
        counts = dict((await session.execute(select(effects.c.event, effects.c.n))).all())
        claimed = set((await session.execute(select(inbox.c.event_id))).scalars())
    assert counts == {"1": 1, "3": 1}, "nothing of the optimistic attempt was committed"
    assert {str(i) for i in claimed} == {d.event.id for d in batch}
    await engine.dispose()
