"""The batch consumer's fetch (jetstream_fetch.py) against a real server: every message once and in
order, a short batch returned when the server says there is no more, an empty stream waited on as
nats-py's fetch waits, and the subscription's byte count kept (nats-py's slow-consumer check reads it)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from deploy.local.servers import NatsServer
from ejournal_platform import jetstream_fetch
from ejournal_platform.nats import connect

pytestmark = pytest.mark.integration


@pytest.fixture
async def stream(nats_server: NatsServer) -> AsyncIterator[tuple[JetStreamContext, str]]:
    client = await connect(nats_server.url, "fetch-test")
    js = client.jetstream()
    name = f"fetch{uuid.uuid4().hex[:8]}"
    await js.add_stream(name=name, subjects=[f"{name}.>"])
    try:
        yield js, name
    finally:
        await js.delete_stream(name)
        await client.close()


async def _publish(js: JetStreamContext, name: str, first: int, last: int) -> None:
    for i in range(first, last):
        await js.publish(f"{name}.n", str(i).encode())


async def _subscribe(js: JetStreamContext, name: str) -> JetStreamContext.PullSubscription:
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT)
    return await js.pull_subscribe(f"{name}.>", durable="reader", stream=name, config=config)


async def test_batches_hold_every_message_once_in_order(stream: tuple[JetStreamContext, str]) -> None:
    js, name = stream
    await _publish(js, name, 0, 1_234)
    sub = await _subscribe(js, name)
    sizes, seen = [], []
    # A generous bound: a fetch that missed the server's "no more messages" would wait its whole timeout.
    async with asyncio.timeout(30):
        for _ in range(3):
            msgs = await jetstream_fetch.fetch(sub, 500, timeout=60)
            sizes.append(len(msgs))
            seen += [int(m.data) for m in msgs]
            for msg in msgs:
                await msg.ack()
    assert sizes == [500, 500, 234], "full batches, then the rest as soon as the server says that is all"
    assert seen == list(range(1_234))
    assert sub._sub is not None and sub._sub._pending_size == 0, "the bytes taken are counted out"


async def test_an_empty_stream_times_out_and_a_later_message_is_fetched(
    stream: tuple[JetStreamContext, str],
) -> None:
    js, name = stream
    sub = await _subscribe(js, name)
    with pytest.raises(TimeoutError):
        await jetstream_fetch.fetch(sub, 500, timeout=0.3)
    # nats-py's lingering request, which this wait is, returns at its timeout with what came.
    waiting = asyncio.create_task(jetstream_fetch.fetch(sub, 500, timeout=2))
    await asyncio.sleep(0.2)  # not needed for correctness: the message may come before or during the wait
    await _publish(js, name, 7, 8)
    msgs = await waiting
    assert [int(m.data) for m in msgs] == [7]
