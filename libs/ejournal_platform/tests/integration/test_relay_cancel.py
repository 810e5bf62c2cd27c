"""A relay that is told to stop, stops, whatever it is waiting for at that moment.

The CI hang of `python -m bench identity outbox` (issue 19): the bench cancels the relay task once
JetStream holds every event and then awaits it. JetStream stores a message before it acks it, so the
bench could see the last message stored while the relay still awaited that last ack. On Python 3.11,
`asyncio.wait_for` returns the awaited result when a cancellation arrives after the awaited thing is
done but before the task resumed — the cancellation is lost, the relay goes on polling for ever, and
whoever awaits it hangs. These tests make exactly that interleaving, deterministically.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal.gradebook.v1 import events_pb2
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import Event
from ejournal_platform.outbox import OutboxRelay, OutboxWriter, define_inbox, define_outbox
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration


class HeldAcks:
    """A JetStream stand-in whose publish acks arrive when the test says so."""

    def __init__(self) -> None:
        self.acks: list[asyncio.Future[object]] = []
        self.published = asyncio.Event()

    async def publish_async(self, subject: str, payload: bytes, headers: dict[str, str]) -> Any:
        ack: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self.acks.append(ack)
        self.published.set()
        return ack


async def _settle(rounds: int = 20) -> None:
    """Let every ready task run until it blocks (here: the relay, on its acks)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


async def test_a_relay_cancelled_as_its_last_ack_arrives_stops(databases: Databases) -> None:
    metadata = new_metadata()
    outbox = define_outbox(metadata)
    define_inbox(metadata)
    url = databases.empty(metadata)
    engine = make_engine(url)
    writer = OutboxWriter(outbox)
    try:
        async with UnitOfWork(async_sessionmaker(engine, expire_on_commit=False), writer) as uow:
            uow.add_event(Event(payload=events_pb2.MarkRecorded(student_id="s"), subject="journal/j"))
            await uow.commit()
        js = HeldAcks()
        relay = OutboxRelay(engine, writer, js, "ejournal/test")  # type: ignore[arg-type]
        relay._next_measure = relay._next_purge = float("inf")  # only publishing, for a short trace
        task = asyncio.create_task(relay.run())
        await js.published.wait()
        await _settle()  # the relay now awaits its ack
        assert not task.done()
        js.acks[0].set_result(object())  # the ack arrives ...
        task.cancel()  # ... and, before the relay resumes, the order to stop
        done, _ = await asyncio.wait({task}, timeout=30)  # a bound for the old hang, not a speed check
        assert task in done, "the relay went on after it was cancelled"
        assert task.cancelled()
    finally:
        await engine.dispose()


async def test_a_relay_cancelled_as_its_idle_wait_is_woken_stops(databases: Databases) -> None:
    metadata = new_metadata()
    outbox = define_outbox(metadata)
    define_inbox(metadata)
    url = databases.empty(metadata)
    engine = make_engine(url)
    writer = OutboxWriter(outbox)
    try:
        js = HeldAcks()
        relay = OutboxRelay(engine, writer, js, "ejournal/test", idle_seconds=3600)  # type: ignore[arg-type]
        relay._next_measure = relay._next_purge = float("inf")
        task = asyncio.create_task(relay.run())
        for _ in range(200):  # the relay found nothing and now sleeps until woken
            await asyncio.sleep(0.01)
            if not writer.wakeup.is_set() and _idle(task):
                break
        writer.notify()  # a commit wakes it ...
        task.cancel()  # ... and the service stops before it ran
        done, _ = await asyncio.wait({task}, timeout=30)
        assert task in done, "the relay went on after it was cancelled"
        assert task.cancelled()
    finally:
        await engine.dispose()


def _idle(task: asyncio.Task[None]) -> bool:
    """The relay's task is suspended in its idle wait (its stack shows the wakeup's wait)."""
    return any(frame.f_code.co_name in ("wait", "wait_for") for frame in task.get_stack(limit=20))
