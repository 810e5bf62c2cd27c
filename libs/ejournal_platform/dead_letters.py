"""Poisoned messages: an event a consumer still fails to apply after `max_deliver` deliveries is moved
to the dead-letter stream with the error, so it stops retrying without end and somebody is told.

- `Redelivery` is a consumer's policy: a failed message is redelivered after a growing delay (nak with
  delay), and at the last delivery it is buried: published to `EJOURNAL_DEAD_LETTERS` on
  `ejournal.dead.<consumer>` (the original payload and headers, plus the consumer, stream, subject,
  deliveries and error), then terminated, so JetStream never delivers it again. JetStream's own
  `max_deliver` is set a little beyond it, as a safety net for messages never answered at all.
- `python -m ejournal_platform.dead_letters list|replay [--consumer NAME]` is the operator's command:
  replaying republishes each dead letter to its original subject (with a fresh `Nats-Msg-Id`, as the
  original's is still in the stream's duplicate window) and removes it from the dead-letter stream;
  consumers' inboxes make a replay harmless to those that had applied it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from ejournal_platform.logging import configure_logging, get_logger
from ejournal_platform.metrics import CONSUMER_DEAD_LETTERS

log = get_logger(__name__)

STREAM = "EJOURNAL_DEAD_LETTERS"
SUBJECT_PREFIX = "ejournal.dead."
H_CONSUMER, H_STREAM, H_SUBJECT = "ejournal-dead-consumer", "ejournal-dead-stream", "ejournal-dead-subject"
H_ERROR, H_DELIVERIES = "ejournal-dead-error", "ejournal-dead-deliveries"
DEAD_HEADERS = (H_CONSUMER, H_STREAM, H_SUBJECT, H_ERROR, H_DELIVERIES, "Nats-Msg-Id")


@dataclass(frozen=True)
class Redelivery:
    delays: Sequence[float] = (0.2, 1.0, 5.0, 30.0)  # after the 1st, 2nd, ... failed delivery
    max_deliver: int = 5  # the delivery that fails for the last time is buried

    def server_limits(self) -> dict[str, Any]:
        """JetStream's own limit, past ours: only a message we never answered (a crash while applying
        it, each time) reaches it. No server-side `backoff`: it would override the delays of our naks."""
        return {"max_deliver": self.max_deliver + 2}

    async def failed(self, js: JetStreamContext, msg: Msg, consumer: str, error: BaseException) -> None:
        deliveries = msg.metadata.num_delivered or 1
        if deliveries >= self.max_deliver:
            try:
                await bury(js, msg, consumer, error)
            except Exception as burial:  # NATS itself is away: retry later like any failure
                log.warning("cannot bury a dead letter yet", consumer=consumer, error=repr(burial))
            else:
                CONSUMER_DEAD_LETTERS.labels(consumer).inc()
                await msg.term()
                return
        await msg.nak(delay=self.delays[min(deliveries, len(self.delays)) - 1])


DEFAULT_REDELIVERY = Redelivery()


async def ensure_stream(js: JetStreamContext) -> None:
    config = StreamConfig(name=STREAM, subjects=[f"{SUBJECT_PREFIX}>"], storage=StorageType.FILE)
    try:
        await js.stream_info(STREAM)
    except NotFoundError:
        await js.add_stream(config)


async def bury(js: JetStreamContext, msg: Msg, consumer: str, error: BaseException) -> None:
    await ensure_stream(js)
    headers = {k: v for k, v in (msg.headers or {}).items() if k != "Nats-Msg-Id"}
    headers |= {
        H_CONSUMER: consumer,
        H_STREAM: msg.metadata.stream,
        H_SUBJECT: msg.subject,
        H_ERROR: quote(repr(error)[:2000]),  # headers are ASCII; errors quote Cyrillic values (н/б)
        H_DELIVERIES: str(msg.metadata.num_delivered),
        # One dead letter per (consumer, stream position), however often the burial is retried.
        "Nats-Msg-Id": f"dead:{consumer}:{msg.metadata.stream}:{msg.metadata.sequence.stream}",
    }
    await js.publish(f"{SUBJECT_PREFIX}{consumer}", msg.data, headers=headers)
    log.error(
        "event moved to the dead-letter stream", consumer=consumer, subject=msg.subject, error=repr(error)
    )


@dataclass(frozen=True)
class DeadLetter:
    sequence: int
    consumer: str
    subject: str
    error: str
    deliveries: int
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def original_headers(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k not in DEAD_HEADERS}


async def dead_letters(js: JetStreamContext, consumer: str | None = None) -> list[DeadLetter]:
    try:
        info = await js.stream_info(STREAM)
    except NotFoundError:
        return []
    found: list[DeadLetter] = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
        try:
            raw = await js.get_msg(STREAM, sequence)
        except NotFoundError:  # removed by a replay
            continue
        headers = dict(raw.headers or {})
        letter = DeadLetter(
            sequence=sequence,
            consumer=headers.get(H_CONSUMER, ""),
            subject=headers.get(H_SUBJECT, ""),
            error=unquote(headers.get(H_ERROR, "")),
            deliveries=int(headers.get(H_DELIVERIES, "0") or 0),
            data=raw.data or b"",
            headers=headers,
        )
        if consumer is None or letter.consumer == consumer:
            found.append(letter)
    return found


async def count(js: JetStreamContext, consumer: str) -> int:
    """Dead letters waiting for a consumer (the lag endpoint shows it)."""
    subject = f"{SUBJECT_PREFIX}{consumer}"
    try:
        info = await js.stream_info(STREAM, subjects_filter=subject)
    except NotFoundError:
        return 0
    return int((info.state.subjects or {}).get(subject, 0))


async def replay(js: JetStreamContext, consumer: str | None = None) -> list[DeadLetter]:
    """Republish each dead letter to its original subject, then remove it from the dead letters."""
    replayed = []
    for letter in await dead_letters(js, consumer):
        headers = letter.original_headers | {"Nats-Msg-Id": f"replay:{uuid.uuid4()}"}
        await js.publish(letter.subject, letter.data, headers=headers)
        await js.delete_msg(STREAM, letter.sequence)
        replayed.append(letter)
    return replayed


async def _command(
    action: str, nats_url: str, consumer: str | None, tls_files: tuple[Path | None, ...] = ()
) -> list[dict[str, Any]]:
    from ejournal_platform.nats import NatsTls, connect

    client = await connect(nats_url, "dead-letters", NatsTls(*tls_files))
    try:
        js = client.jetstream()
        letters = await (replay(js, consumer) if action == "replay" else dead_letters(js, consumer))
    finally:
        await client.close()
    return [
        {
            "sequence": x.sequence,
            "consumer": x.consumer,
            "subject": x.subject,
            "event_id": x.headers.get("ce-id"),
            "deliveries": x.deliveries,
            "error": x.error,
        }
        for x in letters
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="List or replay the events consumers could not apply.")
    parser.add_argument("action", choices=["list", "replay"])
    parser.add_argument("--consumer", help="only this consumer's dead letters")
    parser.add_argument("--nats-url", default="nats://127.0.0.1:4222")
    # In a service's pod: its EJOURNAL_<SERVICE>_NATS_CA_FILE (the cluster's NATS serves TLS only).
    parser.add_argument("--nats-ca-file", type=Path, help="the CA of a NATS that serves TLS")
    # …and its _NATS_CERT_FILE and _NATS_KEY_FILE: the cluster's NATS verifies clients (mTLS).
    parser.add_argument("--nats-cert-file", type=Path, help="a client certificate, for mTLS")
    parser.add_argument("--nats-key-file", type=Path, help="its private key")
    args = parser.parse_args(argv)
    configure_logging("dead-letters", "WARNING", "console", stream=sys.stderr)  # stdout is the JSON
    tls_files = (args.nats_ca_file, args.nats_cert_file, args.nats_key_file)
    letters = asyncio.run(_command(args.action, args.nats_url, args.consumer, tls_files))
    print(json.dumps({"action": args.action, "dead_letters": letters}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
