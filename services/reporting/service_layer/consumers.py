"""The read-model consumers of reporting, one durable consumer per publishing service's stream, and
the switch that stops and restarts them (a rebuild needs them stopped)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ejournal_platform import dead_letters
from ejournal_platform.batch_consumer import BatchEventConsumer, stop_task
from ejournal_platform.logging import get_logger
from services.reporting.adapters.tables import inbox
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.projections import curriculum, gradebook, identity, workflow
from services.reporting.service_layer.projections.registry import Projector

log = get_logger(__name__)

PROJECTORS: tuple[Projector, ...] = (
    identity.projector,
    curriculum.projector,
    gradebook.projector,
    workflow.projector,
)


@dataclass(frozen=True)
class Backlog:
    consumer: str
    stream: str
    pending: int  # in the stream, not yet delivered to this consumer
    unacknowledged: int  # delivered, not yet applied
    dead_letters: int = 0  # given up on after the last delivery (ejournal_platform.dead_letters)


class ReadModelConsumers:
    def __init__(
        self,
        js: JetStreamContext,
        deps: Deps,
        lag: LagTracker,
        *,
        batch: int = 500,
        projectors: Sequence[Projector] = PROJECTORS,
    ) -> None:
        self.js = js
        self.lag = lag
        self.consumers = [
            BatchEventConsumer(
                js,
                deps.unit_of_work,
                inbox,
                name=p.name,
                stream=p.stream,
                subjects=p.subjects,
                handler=p,
                batch=batch,
                on_applied=lag.record,
                pipelined=True,  # projections only write: a batch's statements go in one round trip
            )
            for p in projectors
        ]
        self._tasks: list[asyncio.Task[None]] = []
        # The rebuild's finishing step (re-archiving), when a rebuild is under way or has run.
        self.after_rebuild: asyncio.Task[None] | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.consumers]

    def start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(c.run(), name=c.name) for c in self.consumers]

    async def stop(self) -> None:
        if self.after_rebuild is not None and not self.after_rebuild.done():
            self.after_rebuild.cancel()
        tasks, self._tasks = self._tasks, []
        await asyncio.gather(*(stop_task(task) for task in tasks))

    async def run(self) -> None:
        """The service's background loop: consume until cancelled."""
        self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    async def forget_positions(self) -> None:
        """Delete the durable consumers: the next start replays each stream from its first event."""
        for consumer in self.consumers:
            with contextlib.suppress(NotFoundError):
                await self.js.delete_consumer(consumer.stream, consumer.name)

    async def backlog(self) -> list[Backlog]:
        return [
            replace(backlog, dead_letters=await dead_letters.count(self.js, backlog.consumer))
            for backlog in await self.positions()
        ]

    async def positions(self) -> list[Backlog]:
        """Each consumer's pending and unacknowledged counts, without its dead letters."""
        result = []
        for consumer in self.consumers:
            try:
                info = await self.js.consumer_info(consumer.stream, consumer.name)
            except NotFoundError:
                # Not subscribed yet: all of its stream is pending (nothing when there is no stream yet).
                try:
                    stream = await self.js.stream_info(consumer.stream)
                except NotFoundError:
                    result.append(Backlog(consumer.name, consumer.stream, 0, 0))
                else:
                    result.append(Backlog(consumer.name, consumer.stream, int(stream.state.messages), 0))
                continue
            result.append(
                Backlog(
                    consumer.name, consumer.stream, int(info.num_pending or 0), int(info.num_ack_pending or 0)
                )
            )
        return result
