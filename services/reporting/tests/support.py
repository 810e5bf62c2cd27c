"""Helpers for reporting's integration tests: publish events as their services' relays do, and run
reporting's read-model consumers on a fresh database and a private NATS server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from deploy.local.servers import NatsServer
from ejournal_platform.db import make_engine
from ejournal_platform.events import headers_for, new_event_id
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.testing.fixtures import Databases
from services.reporting.demo.university import Published
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.rebuild import wait_caught_up

SERVICES = ("identity", "curriculum", "gradebook", "workflow")


async def publish(js: JetStreamContext, events: Iterable[Published], *, stamp_now: bool = False) -> list[str]:
    """Publish as an outbox relay would (Nats-Msg-Id = ce-id, CloudEvents headers); return the ids."""
    ids, acks = [], []
    for event in events:
        event_id = new_event_id()
        moment = time.time() if stamp_now else event.time.timestamp()
        headers = headers_for(
            event_id,
            event.payload.DESCRIPTOR.full_name,
            f"ejournal/{event.service}",
            event.subject,
            datetime.fromtimestamp(moment, UTC).isoformat(),
        )
        data = event.payload.SerializeToString(deterministic=True)
        acks.append(await js.publish_async(event.payload.DESCRIPTOR.full_name, data, headers=headers))
        ids.append(event_id)
        if len(acks) >= 2000:
            await asyncio.gather(*acks)
            acks = []
    await asyncio.gather(*acks)
    return ids


@dataclass
class Reporting:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    nc: Client
    js: JetStreamContext
    lag: LagTracker
    consumers: ReadModelConsumers

    async def scalar(self, sql: str, **params: object) -> object:
        async with self.sessions() as session:
            return (await session.execute(text(sql), params)).scalar_one()

    async def caught_up(self, timeout: float = 60) -> float:
        return await wait_caught_up(self.consumers, timeout)


@asynccontextmanager
async def reporting(
    databases: Databases, nats_factory: Callable[[], NatsServer], *, run: bool = True
) -> AsyncIterator[Reporting]:
    url = databases.fresh("reporting")
    nats_server = nats_factory()
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    nc = await connect(nats_server.url, "reporting-test")
    js = nc.jetstream()
    for service in SERVICES:
        await ensure_stream(js, service)
    lag = LagTracker()
    consumers = ReadModelConsumers(js, sessions, lag)
    if run:
        consumers.start()
    try:
        yield Reporting(url, engine, sessions, nc, js, lag, consumers)
    finally:
        await consumers.stop()
        await nc.close()
        await engine.dispose()
        nats_server.stop()
