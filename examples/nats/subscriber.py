"""A reference NATS subscriber for ejournal's events (issue 20): pull, deduplicate, handle, acknowledge.

    pip install nats-py nkeys
    python examples/nats/subscriber.py --creds sis.creds --url nats://export.example.edu:4222 \\
        --stream EXPORT_<university_id> --consumer sub-<subscriber_id> --inbox-prefix _INBOX_<...>

Everything after `--creds` is in the answer your administrator got when registering your system
(`POST /api/v1/universities/{university_id}/nats-subscribers`: `credentials.url`, `.stream`,
`.consumer`, `.inbox_prefix`; `.creds` is the file). Those credentials may only:

- pull from *your* durable consumer (it was made for you, filtered to the event types you were
  granted, on your university's export stream) and acknowledge what you pulled;
- subscribe to your own inbox prefix (so use `inbox_prefix` as below: any other inbox is refused) and
  to `export.<your university>.<granted types>`.

They cannot publish an event, create or change a consumer, or read another university's stream.

Each message is one event: the body is its payload (canonical JSON by default), the CloudEvents
attributes are headers (`ce-id`, `ce-type`, `ce-subject`, `ce-time`, `ce-source`,
`ce-datacontenttype`). This subscriber:

1. handles each event and acknowledges it only then; an event not acknowledged within a minute comes
   again (at-least-once), so
2. deduplicates by `ce-id`: keep the ids you handled in your database, in the same transaction as the
   effect (this example keeps them in memory);
3. resumes after downtime by itself: the consumer is durable, so the next pull continues after the
   last acknowledged event. To replay from a point in time, the administrator restarts your consumer
   (`POST /api/v1/subscribers/{subscriber_id}/nats/restart {"start_time": "2026-09-01T00:00:00Z"}`).

Order: the stream keeps the events of your university in publication order, and this subscriber
handles one batch at a time in that order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    subject: str
    time: str
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class NatsSubscriber:
    url: str
    creds: str  # path of the .creds file
    stream: str
    consumer: str
    inbox_prefix: str
    handled: set[str] = field(default_factory=set)  # your database's table of handled ce-ids
    _nc: Client | None = None
    _sub: JetStreamContext.PullSubscription | None = None

    async def connect(self, **options: Any) -> Client:
        self._nc = await nats.connect(
            self.url, user_credentials=self.creds, inbox_prefix=self.inbox_prefix, **options
        )
        # One pull subscription for the connection's life: messages that arrive after a fetch gave up
        # wait in it for the next fetch instead of being lost until their redelivery (out of order).
        self._sub = await self._nc.jetstream().pull_subscribe_bind(durable=self.consumer, stream=self.stream)
        return self._nc

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()

    async def pull(
        self, handle: Callable[[Event], Awaitable[None]], batch: int = 100, wait: float = 2.0
    ) -> int:
        """One pull: handle each new event in order, acknowledge it; the number of messages pulled."""
        assert self._sub is not None, "connect() first"
        try:
            messages: list[Msg] = await self._sub.fetch(batch, timeout=wait)
        except TimeoutError:  # nothing new (nats-py raises asyncio.TimeoutError or its own subclass)
            return 0
        for msg in messages:
            headers = msg.headers or {}
            event = Event(
                headers.get("ce-id", ""), headers.get("ce-type", ""), headers.get("ce-subject", ""),
                headers.get("ce-time", ""), headers.get("ce-datacontenttype", ""), msg.data,
            )  # fmt: skip
            if event.id not in self.handled:
                await handle(event)
                self.handled.add(event.id)  # in your database: the same transaction as the effect
            await msg.ack()
        return len(messages)

    async def run(self, handle: Callable[[Event], Awaitable[None]]) -> None:
        while True:
            await self.pull(handle)


async def _print(event: Event) -> None:
    print(event.time, event.type, event.subject, event.body[:200].decode(errors="replace"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("url", "creds", "stream", "consumer", "inbox-prefix"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    subscriber = NatsSubscriber(args.url, args.creds, args.stream, args.consumer, args.inbox_prefix)

    async def go() -> None:
        await subscriber.connect()
        try:
            await subscriber.run(_print)
        finally:
            await subscriber.close()

    asyncio.run(go())


if __name__ == "__main__":
    main()
