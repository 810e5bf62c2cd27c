"""Events through the outbox (commit in the service's transaction, relay to JetStream) against the
raw pattern: the same events published straight to JetStream with publish_async."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.harness import servers
from bench.report import figure, size
from ejournal.gradebook.v1 import events_pb2
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import Event, headers_for, new_event_id
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxRelay, OutboxWriter, define_outbox

EVENTS = size(20_000, 1_000)
PER_TRANSACTION = 500


def payload(i: int) -> events_pb2.MarkRecorded:
    return events_pb2.MarkRecorded(journal_id="j", lesson_id=str(i // 30), student_id=str(i % 30), value="5")


async def measure() -> None:
    with servers() as s:
        metadata = new_metadata()
        outbox = define_outbox(metadata)
        url = s.database("bench_outbox")
        engine = make_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        nc = await connect(s.nats.url, "bench")
        js = nc.jetstream()
        await ensure_stream(js, "gradebook")

        started = time.perf_counter()
        acks = []
        for i in range(EVENTS):
            headers = headers_for(
                new_event_id(), "ejournal.gradebook.v1.MarkRecorded", "bench", "journal/j", ""
            )
            acks.append(
                await js.publish_async(
                    "ejournal.gradebook.v1.MarkRecorded", payload(i).SerializeToString(), headers=headers
                )
            )
        await asyncio.gather(*acks)
        raw = EVENTS / (time.perf_counter() - started)

        writer = OutboxWriter(outbox)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        relay = OutboxRelay(engine, writer, js, "ejournal/bench", batch=1000)
        relay_task = asyncio.create_task(relay.run())
        started = time.perf_counter()
        for first in range(0, EVENTS, PER_TRANSACTION):
            async with UnitOfWork(sessions, writer) as uow:
                for i in range(first, first + PER_TRANSACTION):
                    uow.add_event(Event(payload=payload(i), subject="journal/j"))
                await uow.commit()
        # Wait for the relay to publish them all; a relay that died says why instead of a silent hang.
        while (await js.stream_info("EJOURNAL_GRADEBOOK")).state.messages < 2 * EVENTS:
            if relay_task.done():
                relay_task.result()  # raises what stopped it
                raise RuntimeError("the outbox relay stopped before publishing every event")
            await asyncio.sleep(0.01)
        ours = EVENTS / (time.perf_counter() - started)
        relay_task.cancel()
        await asyncio.gather(relay_task, return_exceptions=True)
        await nc.close()
        await engine.dispose()
        figure("events committed and published, per second", ours, raw, "events/s")


def main() -> None:
    asyncio.run(measure())
