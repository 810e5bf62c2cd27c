"""The dead-letters replay connects as its own NATS user, `replay` (issue 18), not as the backup tool's
(which keeps the whole account): deploy/nats_permissions.py derives what it may do from the code, the
dead-letter stream's info, reading its messages and deleting those replayed, and publishing to the
subjects of the streams some service consumes (nothing else can have dead letters). Here, on a real
nats-server running the cluster's rendered nats.conf over TLS: a consumer buries an event as the runtime
does; `python -m ejournal_platform.dead_letters replay`'s own code, as `replay`, puts it back on its
subject, where the consumer finds it again; and the same user is refused everything else that matters:
fetching from, reading, deleting or making a consumer, acking for it, burying, purging or deleting the
dead letters, reading a service's stream, publishing to a stream nobody consumes, and subscribing to
events."""

from __future__ import annotations

import asyncio

import pytest

from deploy.nats_permissions import REPLAY, replayed_streams
from ejournal_platform import dead_letters
from ejournal_platform.events import stream_name
from ejournal_platform.services import SERVICES
from tests.infrastructure.test_nats_permissions import Refusals, as_user, publish_one_event, pull_consumer
from tests.infrastructure.test_nats_users import RenderedNats

pytestmark = pytest.mark.integration
STREAM, DURABLE, OWNER = stream_name("gradebook"), "notifier-gradebook", "notifier"  # notifier's real one


async def replay_command(server: RenderedNats, action: str) -> list[dict[str, object]]:
    """The operator's command (its code, not a copy of it), as the replay user, over mTLS."""
    tls = (server.tls.ca_file, server.tls.cert_file, server.tls.key_file)
    return await dead_letters._command(action, server.url(REPLAY), None, tls)


async def test_the_replay_user_replays_a_dead_letter_and_nothing_else(rendered_nats: RenderedNats) -> None:
    await publish_one_event(rendered_nats, "gradebook")
    async with as_user(rendered_nats, OWNER) as owner:  # notifier fails the event for the last time
        subscription = await pull_consumer(owner, STREAM, DURABLE)
        (message,) = await subscription.fetch(1, timeout=10)
        await dead_letters.bury(owner.jetstream(), message, DURABLE, RuntimeError("н/б"))
        await message.term()

    (replayed,) = await replay_command(rendered_nats, "replay")
    assert (replayed["consumer"], replayed["subject"]) == (DURABLE, "ejournal.gradebook.v1.Probe")
    assert await replay_command(rendered_nats, "list") == []  # removed from the dead letters

    unconsumed = next(s for s in SERVICES if stream_name(s) not in replayed_streams())
    refused = [
        f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{DURABLE}",  # fetch a service's durable
        f"$JS.API.CONSUMER.INFO.{STREAM}.{DURABLE}",
        f"$JS.API.CONSUMER.DELETE.{STREAM}.{DURABLE}",
        f"$JS.API.CONSUMER.CREATE.{STREAM}.{REPLAY}",
        f"$JS.ACK.{STREAM}.{DURABLE}.1.2.2.0.0",
        f"$JS.API.STREAM.MSG.GET.{STREAM}",  # a service's events (personal data) read one by one
        f"$JS.API.STREAM.PURGE.{dead_letters.STREAM}",
        f"$JS.API.STREAM.DELETE.{dead_letters.STREAM}",
        f"{dead_letters.SUBJECT_PREFIX}{DURABLE}",  # bury in a consumer's name
        f"ejournal.{unconsumed}.v1.Forged",  # no consumer, so never a dead letter to replay
    ]
    refusals = Refusals()
    async with as_user(rendered_nats, REPLAY, refusals) as client:
        for subject in refused:
            await client.publish(subject, b'{"batch": 1}', reply=client.new_inbox())
        await client.subscribe("ejournal.gradebook.>")
        for _ in range(100):  # the server answers a refused SUB on its own time, not before the PONG
            await client.flush()
            if refusals.of("subscription", "ejournal.gradebook.>"):
                break
            await asyncio.sleep(0.05)
    for subject in refused:
        assert refusals.of("publish", subject), (subject, refusals.errors)
    assert refusals.of("subscription", "ejournal.gradebook.>"), refusals.errors
    violations = [e for e in refusals.errors if "permissions violation" in e.lower()]
    assert len(violations) == len(refused) + 1, refusals.errors

    async with as_user(rendered_nats, OWNER) as owner:  # the replayed event waits for notifier, untouched
        info = await owner.jetstream().consumer_info(STREAM, DURABLE)
        assert (info.delivered.consumer_seq, info.num_pending) == (1, 1), info


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_cannot_replay(rendered_nats: RenderedNats, service: str) -> None:
    """Why the replay needs a user of its own: no service may read the dead letters."""
    refusals, subject = Refusals(), f"$JS.API.STREAM.MSG.GET.{dead_letters.STREAM}"
    async with as_user(rendered_nats, service, refusals) as client:
        await client.publish(subject, b'{"seq": 1}', reply=client.new_inbox())
        for _ in range(100):  # the -ERR comes on the server's own time, as for the refused SUB above
            await client.flush()
            if refusals.of("publish", subject):
                break
            await asyncio.sleep(0.05)
    assert refusals.of("publish", subject), refusals.errors
