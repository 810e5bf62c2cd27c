"""NATS for outside systems on real parts (issue 20): the export nats-server runs in operator mode and
trusts only JWTs; an administrator registers a system through the API and gets credentials; the
reference subscriber (examples/nats/subscriber.py) reads with them its university's granted events,
history before the registration included, once each and in order per subject; the same credentials
cannot publish, cannot read another university's stream or another subscriber's consumer, cannot make
a consumer of their own; a restart from a point in time replays."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import nats
import pytest
from nats.js.api import ConsumerConfig

from deploy.local.servers import NatsServer
from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal_platform.testing.fixtures import Databases
from examples.nats.subscriber import Event, NatsSubscriber
from services.subscribers.domain import natsauth
from services.subscribers.tests.harness import ExportNatsServer, Published, Subscribers, running_subscribers
from services.subscribers.tests.semester import University, semester

pytestmark = pytest.mark.integration

GRADEBOOK = "ejournal.gradebook.v1.>"


@pytest.fixture
def internal_nats(nats_factory: Callable[[], NatsServer]) -> NatsServer:
    return nats_factory()


@pytest.fixture
def export_nats(tmp_path: Path) -> Iterator[ExportNatsServer]:
    server = ExportNatsServer(natsauth.export_setup(), tmp_path / "export")
    server.start()
    yield server
    server.stop()


async def register_nats(
    s: Subscribers, university_id: str, *types: str, start_time: str = ""
) -> pb.RegisterNatsSubscriberResponse:
    reply: pb.RegisterNatsSubscriberResponse = await s.stub.RegisterNatsSubscriber(
        pb.RegisterNatsSubscriberRequest(
            university_id=university_id, event_types=types, start_time=start_time
        ),
        metadata=s.admin(university_id),
    )
    return reply


def reference_subscriber(tmp_path: Path, reply: pb.RegisterNatsSubscriberResponse) -> NatsSubscriber:
    c = reply.credentials
    creds = tmp_path / f"{reply.subscriber.subscriber_id}.creds"
    creds.write_text(c.creds)
    return NatsSubscriber(c.url, str(creds), c.stream, c.consumer, c.inbox_prefix)


class Collected:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def __call__(self, event: Event) -> None:
        self.events.append(event)

    def by_subject(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for e in self.events:
            found[e.subject].append(e.id)
        return found


async def pull_until(s: Subscribers, sub: NatsSubscriber, got: Collected, count: int) -> None:
    async def pulled() -> int:
        await sub.pull(got, batch=200, wait=0.5)
        return len(got.events)

    await s.until_async(pulled, lambda n: n >= count, seconds=120)


def expected(published: list[Published], subjects: set[str], prefix: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for p in published:
        if p.subject in subjects and p.event_type.startswith(prefix):
            found[p.subject].append(p.event_id)
    return found


async def publish_all(s: Subscribers, events: list[Any]) -> list[Published]:
    return [await s.publish(subject, payload) for subject, payload in events]


async def test_a_restricted_nats_subscriber_reads_only_its_universitys_granted_events_and_cannot_publish(
    databases: Databases, internal_nats: NatsServer, export_nats: ExportNatsServer, tmp_path: Path
) -> None:
    ours, theirs = University(), University()
    mine, other = semester(ours), semester(theirs)
    async with running_subscribers(databases, internal_nats, export=export_nats.export_config()) as s:
        # Half of both semesters happens before anyone registers: the export stream keeps it.
        published = await publish_all(s, mine[: len(mine) // 2] + other[: len(other) // 2])
        sis = await register_nats(s, ours.university_id, GRADEBOOK)
        lms = await register_nats(s, theirs.university_id, "ejournal.gradebook.v1.MarkRecorded")
        published += await publish_all(s, other[len(other) // 2 :] + mine[len(mine) // 2 :])

        c = sis.credentials
        assert sis.subscriber.kind == "nats" and c.url == export_nats.url
        assert c.stream == f"EXPORT_{ours.university_id}" and c.consumer.startswith("sub-")
        assert list(c.subjects) == [f"export.{ours.university_id}.{GRADEBOOK}"]
        assert "BEGIN NATS USER JWT" in c.creds and "BEGIN USER NKEY SEED" in c.creds
        claims = natsauth.decode(c.creds.split("\n")[1])  # signed by the export account's signing key
        assert claims["nats"]["issuer_account"] == export_nats.setup.account
        assert claims["exp"] > datetime.now(UTC).timestamp()

        want = expected(published, {subject for subject, _ in mine}, "ejournal.gradebook.")
        reader = reference_subscriber(tmp_path, sis)
        await reader.connect()
        got = Collected()
        try:
            await pull_until(s, reader, got, sum(map(len, want.values())))
            assert await reader.pull(got, wait=0.5) == 0  # nothing more: no duplicate, nothing of theirs
        finally:
            await reader.close()
        # Exactly once, in publication order per subject, history before the registration included.
        assert got.by_subject() == want
        assert {e.type.split(".")[1] for e in got.events} == {"gradebook"}
        first = got.events[0]
        assert first.content_type == "application/json" and isinstance(first.json(), dict)

        # The same credentials, used for anything else, are refused by the server.
        problems: list[str] = []

        async def record(error: Exception) -> None:
            problems.append(str(error).lower())

        nc = await nats.connect(
            export_nats.url, user_credentials=reader.creds, inbox_prefix=c.inbox_prefix, error_cb=record,
            allow_reconnect=False,
        )  # fmt: skip
        try:
            stream_before = await stream_count(export_nats, ours.university_id)
            # publishing an event, into its own university's stream
            await nc.publish(f"export.{ours.university_id}.ejournal.gradebook.v1.MarkRecorded", b"{}")
            # reading another university's subjects live
            await nc.subscribe(f"export.{theirs.university_id}.>")
            # pulling from another university's subscriber's consumer
            js = nc.jetstream()
            foreign = await js.pull_subscribe_bind(
                durable=lms.credentials.consumer, stream=lms.credentials.stream
            )
            with pytest.raises(nats.errors.TimeoutError):
                await foreign.fetch(1, timeout=1)
            # making a consumer of its own (e.g. unfiltered) on its university's stream
            with pytest.raises(nats.errors.TimeoutError):
                await js.add_consumer(c.stream, ConsumerConfig(durable_name="mine"), timeout=1)
            # listening on the inboxes everyone else uses
            await nc.subscribe("_INBOX.>")
            await nc.flush()
            await s.until(lambda: len(problems) >= 5, seconds=30)
        finally:
            await nc.close()
        assert any(f'publish to "export.{ours.university_id}.' in p for p in problems)
        assert any(f'subscription to "export.{theirs.university_id}.>"' in p for p in problems)
        assert any(
            f'publish to "$js.api.consumer.msg.next.{lms.credentials.stream.lower()}' in p for p in problems
        )
        assert any('publish to "$js.api.consumer.' in p and "create" in p for p in problems), problems
        assert any('subscription to "_inbox.>"' in p for p in problems)
        assert await stream_count(export_nats, ours.university_id) == stream_before


async def stream_count(server: ExportNatsServer, university_id: str) -> int:
    nc = await server_connection(server)
    try:
        info = await nc.jetstream().stream_info(f"EXPORT_{university_id}")
        return int(info.state.messages)
    finally:
        await nc.close()


async def server_connection(server: ExportNatsServer) -> Any:
    from services.subscribers.service_layer.export import connect_service

    return await connect_service(server.export_config(), name="test-inspector")


async def test_a_restart_from_a_point_in_time_replays_and_the_credentials_still_work(
    databases: Databases, internal_nats: NatsServer, export_nats: ExportNatsServer, tmp_path: Path
) -> None:
    ours = University()
    mine = semester(ours, lessons=2)
    marks = "ejournal.gradebook.v1.MarkRecorded"
    async with running_subscribers(databases, internal_nats, export=export_nats.export_config()) as s:
        early = await publish_all(s, mine)
        sis = await register_nats(s, ours.university_id, marks)
        reader = reference_subscriber(tmp_path, sis)
        await reader.connect()
        try:
            got = Collected()
            early_marks = [p.event_id for p in early if p.event_type == marks]
            await pull_until(s, reader, got, len(early_marks))
            cut = datetime.now(UTC)
            late = await publish_all(
                s, [e for e in semester(ours, lessons=2) if e[1].DESCRIPTOR.full_name == marks]
            )
            await pull_until(s, reader, got, len(early_marks) + len(late))
            # Once each, in order per subject (journal); journals interleave as intake routed them.
            assert got.by_subject() == expected(early + late, {p.subject for p in early + late}, marks)

            # The administrator restarts the consumer from `cut`: the late marks come again (the
            # subscriber deduplicates them by ce-id), and nothing before `cut`.
            await s.stub.RestartNatsSubscription(
                pb.RestartNatsSubscriptionRequest(
                    subscriber_id=sis.subscriber.subscriber_id, start_time=cut.isoformat()
                ),
                metadata=s.admin(ours.university_id),
            )
            again = Collected()
            reader.handled.clear()
            await pull_until(s, reader, again, len(late))
            assert again.by_subject() == expected(late, {p.subject for p in late}, marks)
        finally:
            await reader.close()


async def test_nats_registration_and_restart_are_the_universitys_administrators(
    databases: Databases, internal_nats: NatsServer, export_nats: ExportNatsServer
) -> None:
    ours, theirs = University(), University()
    async with running_subscribers(databases, internal_nats, export=export_nats.export_config()) as s:
        request = pb.RegisterNatsSubscriberRequest(university_id=ours.university_id, event_types=[GRADEBOOK])
        for metadata in (
            s.admin(theirs.university_id),
            s.person(("teacher", "university", ours.university_id)),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await s.stub.RegisterNatsSubscriber(request, metadata=metadata)
            assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        bad = pb.RegisterNatsSubscriberRequest(university_id=ours.university_id, event_types=[GRADEBOOK],
                                               start_time="yesterday")  # fmt: skip
        with pytest.raises(grpc.aio.AioRpcError) as invalid:
            await s.stub.RegisterNatsSubscriber(bad, metadata=s.admin(ours.university_id))
        assert invalid.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "start_time" in str(
            invalid.value.details()
        )
        # A restart of a subscriber of another university looks like one that does not exist.
        sis = await register_nats(s, ours.university_id, GRADEBOOK)
        for subscriber_id in (sis.subscriber.subscriber_id, "00000000-0000-0000-0000-000000000000"):
            with pytest.raises(grpc.aio.AioRpcError) as hidden:
                await s.stub.RestartNatsSubscription(
                    pb.RestartNatsSubscriptionRequest(subscriber_id=subscriber_id),
                    metadata=s.admin(theirs.university_id),
                )
            assert hidden.value.code() == grpc.StatusCode.PERMISSION_DENIED
        # A NATS subscriber pulls at its own pace: pausing it is refused, naming the field.
        with pytest.raises(grpc.aio.AioRpcError) as unpausable:
            await s.stub.SetSubscriberActive(
                pb.SetSubscriberActiveRequest(subscriber_id=sis.subscriber.subscriber_id, active=False),
                metadata=s.admin(ours.university_id),
            )
        assert unpausable.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "subscriber_id" in str(unpausable.value.details())
        listed = await s.stub.ListSubscribers(
            pb.ListSubscribersRequest(university_id=ours.university_id), metadata=s.admin(ours.university_id)
        )
        assert [(x.kind, x.url) for x in listed.subscribers] == [("nats", export_nats.url)]


async def test_nats_registration_is_refused_without_an_export_server(
    databases: Databases, internal_nats: NatsServer
) -> None:
    ours = University()
    async with running_subscribers(databases, internal_nats) as s:
        with pytest.raises(grpc.aio.AioRpcError) as off:
            await register_nats(s, ours.university_id, GRADEBOOK)
        assert off.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert json.dumps(str(off.value.details()))  # worded, not an internal error
