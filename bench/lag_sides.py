"""The two receiving sides of reporting's event-lag figure (bench/reporting.py), each in a process of
its own (multiprocessing, spawn), as reporting runs apart from the gradebook when deployed: reporting's
read-model consumers, and the bare JetStream receiver they are compared with. Sharing one event loop
with the gradebook's generator and relay made each side wait for the others' turns, and on a loaded
machine the scheduler gave the one process a single share of the CPU for all of it.

Each side says "ready" once it is subscribed, sends back its lags (seconds, commit to applied or to
received) once it has seen `expected` events (or `limit` seconds passed), then waits for "bye" so the
benchmark can read its CPU time before it exits.
"""

from __future__ import annotations

import asyncio
import sys
import time
from multiprocessing.connection import Connection

from ejournal_platform.logging import configure_logging

GRADEBOOK_CONSUMER = "reporting-gradebook"


def reporting_side(nats_url: str, database_url: str, expected: int, limit: float, conn: Connection) -> None:
    configure_logging("bench", "WARNING", "console", stream=sys.stderr)
    asyncio.run(_reporting(nats_url, database_url, expected, limit, conn))


def bare_side(nats_url: str, expected: int, limit: float, conn: Connection) -> None:
    configure_logging("bench", "WARNING", "console", stream=sys.stderr)
    asyncio.run(_bare(nats_url, expected, limit, conn))


async def _reporting(nats_url: str, database_url: str, expected: int, limit: float, conn: Connection) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from ejournal_platform.db import make_engine
    from ejournal_platform.nats import connect
    from services.reporting.service_layer.consumers import ReadModelConsumers
    from services.reporting.service_layer.deps import Deps
    from services.reporting.service_layer.lag import LagTracker

    nc = await connect(nats_url, "bench-reporting-side")
    engine = make_engine(database_url)
    lag = LagTracker(window=expected * 2)
    consumers = ReadModelConsumers(
        nc.jetstream(), Deps.over(async_sessionmaker(engine, expire_on_commit=False)), lag
    )
    consumers.start()
    conn.send("ready")
    deadline = time.monotonic() + limit
    # applied_total, not snapshot(): a snapshot sorts the whole window (up to 60,000 lags), and asked
    # every 50 ms it took ~7 % of this process and held its event loop while batches waited.
    while lag.applied_total(GRADEBOOK_CONSUMER) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await consumers.stop()
    conn.send(lag.samples(GRADEBOOK_CONSUMER))
    conn.recv()  # "bye"
    await nc.close()
    await engine.dispose()


async def _bare(nats_url: str, expected: int, limit: float, conn: Connection) -> None:
    """An ephemeral pull consumer that only receives, acknowledges and times."""
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    from ejournal_platform.events import stream_name
    from ejournal_platform.nats import connect
    from services.reporting.service_layer.lag import commit_time

    nc = await connect(nats_url, "bench-bare-side")
    sub = await nc.jetstream().pull_subscribe(
        "ejournal.gradebook.>",
        stream=stream_name("gradebook"),
        config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW, ack_policy=AckPolicy.EXPLICIT),
    )
    conn.send("ready")
    samples: list[float] = []
    deadline = time.monotonic() + limit
    while len(samples) < expected and time.monotonic() < deadline:
        try:
            msgs = await sub.fetch(500, timeout=0.5)
        except TimeoutError:
            continue
        now = time.time()
        for msg in msgs:
            committed = commit_time((msg.headers or {}).get("ce-time", ""))
            if committed is not None:
                samples.append(now - committed)
            await msg.ack()
    await sub.unsubscribe()
    conn.send(samples)
    conn.recv()  # "bye"
    await nc.close()
