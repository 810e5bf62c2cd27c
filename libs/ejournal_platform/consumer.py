"""Durable pull consumers whose handlers have an exactly-once effect.

Each message is handled in one unit of work (one database transaction) that first inserts its event
id into the inbox; a redelivered or duplicated event finds its id there and is acknowledged without
running the handler again. The handler gets that unit of work, like any use case: it reads and writes
through `uow.session` and the service's repositories, adds the events it causes with `uow.add_event`
(written to the outbox in the same transaction), and the consumer commits. A failing handler's
message is redelivered with a growing delay and, after its last delivery, moved to the dead-letter
stream (dead_letters.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import Table

from ejournal_platform.cancellation import stop_requested
from ejournal_platform.db import UnitOfWork
from ejournal_platform.dead_letters import DEFAULT_REDELIVERY, Redelivery
from ejournal_platform.events import CE_ID, CE_SOURCE, CE_SUBJECT, CE_TIME, CE_TYPE, ReceivedEvent
from ejournal_platform.inbox import claim
from ejournal_platform.logging import get_logger
from ejournal_platform.metrics import ConsumerLag, observe_delivery
from ejournal_platform.telemetry import consumed_span

log = get_logger(__name__)

Handler = Callable[[UnitOfWork, ReceivedEvent], Awaitable[None]]


def received(msg: Msg) -> ReceivedEvent:
    headers = msg.headers or {}  # nats-py builds a new dict for each message: no copy needed
    return ReceivedEvent(
        id=headers[CE_ID],
        type=headers.get(CE_TYPE, msg.subject),
        source=headers.get(CE_SOURCE, ""),
        subject=headers.get(CE_SUBJECT, ""),
        time=headers.get(CE_TIME, ""),
        data=msg.data,
        headers=headers,
    )


class EventConsumer:
    def __init__(
        self,
        js: JetStreamContext,
        unit_of_work: Callable[[], UnitOfWork],
        inbox: Table,
        *,
        name: str,
        stream: str,
        subjects: list[str],
        handler: Handler,
        batch: int = 200,
        redelivery: Redelivery = DEFAULT_REDELIVERY,
    ) -> None:
        self._js = js
        self._unit_of_work = unit_of_work
        self._inbox = inbox
        self.name = name
        self._stream = stream
        self._subjects = subjects
        self._handler = handler
        self._batch = batch
        self._redelivery = redelivery

    async def handle(self, msg: Msg) -> bool:
        """Apply one message; True when acknowledged, False when left for redelivery."""
        event = received(msg)
        observe_delivery(self.name, msg.metadata.num_delivered or 1)
        try:
            with consumed_span(self.name, event.type, event.headers):
                async with self._unit_of_work() as uow:
                    claimed = await uow.session.execute(claim(self._inbox, self.name, [event]))
                    if claimed.first() is not None:
                        await self._handler(uow, event)
                    await uow.commit()
        except Exception as error:
            log.warning("event handler failed", consumer=self.name, event_id=event.id, error=repr(error))
            await self._redelivery.failed(self._js, msg, self.name, error)
            return False
        await msg.ack()
        return True

    async def run(self) -> None:
        """Fetch and handle until cancelled, riding out NATS and database outages."""
        config = ConsumerConfig(
            durable_name=self.name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30,
            max_ack_pending=10_000,
            **self._redelivery.server_limits(),
            filter_subjects=self._subjects if len(self._subjects) > 1 else None,
        )
        while True:
            try:
                sub = await self._js.pull_subscribe(
                    self._subjects[0], durable=self.name, stream=self._stream, config=config
                )
                break
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("consumer cannot subscribe yet", consumer=self.name, error=repr(error))
                await asyncio.sleep(0.5)
        lag = ConsumerLag(self._js, self._stream, self.name)
        while True:
            stop_requested()  # nats-py's fetch can report a cancellation as a timeout
            try:
                await lag.observe()
                messages = await sub.fetch(self._batch, timeout=1)
            except TimeoutError:
                continue
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("consumer fetch failed", consumer=self.name, error=repr(error))
                await asyncio.sleep(0.25)
                continue
            for msg in messages:
                await self.handle(msg)
