"""A poisoned event with real NATS and PostgreSQL: the consumer tries it `max_deliver` times with a
growing delay, then moves it to the dead-letter stream with the error while the events after it are
applied; the operator command lists it; after the fix, a replay applies it exactly once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.local.servers import NatsServer
from ejournal_platform import dead_letters
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import ReceivedEvent, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.tests.integration.test_outbox_delivery import count, tables, wait_until

pytestmark = pytest.mark.integration
QUICK = dead_letters.Redelivery(delays=(0.05, 0.1), max_deliver=3)


def operator(action: str, nats_url: str, consumer: str) -> dict[str, list[dict[str, object]]]:
    command = [sys.executable, "-m", "ejournal_platform.dead_letters", action, "--consumer", consumer]
    done = subprocess.run([*command, "--nats-url", nats_url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


async def test_a_poisoned_event_is_dead_lettered_then_replayed_once(
    databases: Databases, nats_server: NatsServer
) -> None:
    service = f"poison{uuid.uuid4().hex[:6]}"
    metadata, outbox, inbox, effects = tables()
    engine = make_engine(databases.empty(metadata))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    poisoned = str(uuid.uuid4())
    attempts: dict[str, int] = {}
    fixed = False

    async def apply(uow: UnitOfWork, event: ReceivedEvent) -> None:
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if event.id == poisoned and not fixed:
            raise ValueError("mark value 'н/б' not on the scale")  # the bug an operator later fixes
        await uow.session.execute(insert(effects).values(event_id=event.id, applied=1))

    nc = await connect(nats_server.url, "poison-test")
    js = nc.jetstream()
    await ensure_stream(js, service)
    consumer = EventConsumer(
        js, lambda: UnitOfWork(sessions, OutboxWriter(outbox)), inbox, name=service,
        stream=stream_name(service), subjects=[f"ejournal.{service}.>"],
        handler=apply, redelivery=QUICK,
    )  # fmt: skip
    task = asyncio.create_task(consumer.run())
    try:
        ids = [str(uuid.uuid4()), poisoned, str(uuid.uuid4())]
        for event_id in ids:
            headers = {"Nats-Msg-Id": event_id, "ce-id": event_id}
            await js.publish(f"ejournal.{service}.v1.MarkRecorded", event_id.encode(), headers=headers)

        async def buried() -> bool:
            return await dead_letters.count(js, service) == 1

        await wait_until(buried, 30, "the poisoned event to reach the dead letters")
        assert attempts[poisoned] == QUICK.max_deliver  # tried exactly max_deliver times, then no more
        assert await count(sessions, "SELECT count(*) FROM effects") == 2  # the others went through
        listed = (await asyncio.to_thread(operator, "list", nats_server.url, service))["dead_letters"]
        assert [(x["event_id"], x["deliveries"]) for x in listed] == [(poisoned, 3)]
        assert "not on the scale" in str(listed[0]["error"])
        await asyncio.sleep(0.5)
        assert attempts[poisoned] == QUICK.max_deliver  # terminated: JetStream does not deliver it again

        fixed = True
        replayed = (await asyncio.to_thread(operator, "replay", nats_server.url, service))["dead_letters"]
        assert [x["event_id"] for x in replayed] == [poisoned]

        async def applied() -> bool:
            return await count(sessions, "SELECT count(*) FROM effects") == 3

        await wait_until(applied, 30, "the replayed event to be applied")
        assert await dead_letters.count(js, service) == 0
        async with sessions() as session:
            rows = await session.execute(
                text("SELECT applied FROM effects WHERE event_id = :id"), {"id": poisoned}
            )
            assert rows.scalars().all() == [1]  # exactly once
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()
        await engine.dispose()
