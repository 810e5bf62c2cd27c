"""Webhooks end to end on real parts (issue 20): events published on JetStream reach a real HTTP
receiver once each, in order per subject, signed the Standard Webhooks way, only of the subscriber's
university and granted types; a forged signature is refused; a receiver that is down gets its
deliveries later; what it never accepts is dead-lettered, listed and replayed."""

from __future__ import annotations

import asyncio
import base64
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import grpc
import pytest
from standardwebhooks.webhooks import Webhook

from deploy.local.servers import NatsServer, free_port
from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal_platform.testing.fixtures import Databases
from examples.webhooks.receiver import Delivery, WebhookReceiver
from services.subscribers.tests.harness import Published, Subscribers, running_subscribers
from services.subscribers.tests.semester import University, semester

pytestmark = pytest.mark.integration

GRADEBOOK_AND_REOPENS = ("ejournal.gradebook.v1.>", "ejournal.workflow.v1.ReopenCaseStepRecorded")


@pytest.fixture
def nats(nats_factory: Callable[[], NatsServer]) -> NatsServer:
    return nats_factory()  # a server of its own: the consumers replay its streams from the start


@pytest.fixture
def receivers() -> Iterator[list[WebhookReceiver]]:
    started: list[WebhookReceiver] = []
    yield started
    for receiver in started:
        receiver.stop()


def start(receivers: list[WebhookReceiver], secret: str, port: int = 0) -> WebhookReceiver:
    receiver = WebhookReceiver(secret, port)
    receiver.start()
    receivers.append(receiver)
    return receiver


async def publish_all(s: Subscribers, events: list) -> list[Published]:  # type: ignore[type-arg]
    return [await s.publish(subject, payload) for subject, payload in events]


def order_by_subject(deliveries: list[Delivery]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for d in deliveries:
        found[d.headers["ce-subject"]].append(d.event_id)
    return found


def expected(published: list[Published], wanted: Callable[[Published], bool]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for p in published:
        if wanted(p):
            found[p.subject].append(p.event_id)
    return found


def is_granted(p: Published) -> bool:
    return p.event_type.startswith("ejournal.gradebook.") or p.event_type.endswith("ReopenCaseStepRecorded")


async def test_a_semester_reaches_the_receiver_once_in_order_signed_and_only_its_universitys(
    databases: Databases, nats: NatsServer, receivers: list[WebhookReceiver]
) -> None:
    ours, theirs = University(), University()
    async with running_subscribers(databases, nats) as s:
        sis_port, lms_port = free_port(), free_port()
        sis = await s.register(ours.university_id, f"http://127.0.0.1:{sis_port}/sis", *GRADEBOOK_AND_REOPENS)
        assert sis.secret.startswith("whsec_")
        lms_secret = "whsec_" + base64.b64encode(b"L" * 32).decode()  # an administrator may give one
        lms = await s.register(ours.university_id, f"http://127.0.0.1:{lms_port}/lms",
                               "ejournal.gradebook.v1.MarkRecorded", content_type="application/protobuf",
                               secret=lms_secret)  # fmt: skip
        assert lms.secret == lms_secret
        # A third subscriber points at the SIS's receiver but signs with its own secret: to that
        # receiver its requests are forged, and are refused.
        forged = await s.register(
            ours.university_id, f"http://127.0.0.1:{sis_port}/sis", "ejournal.gradebook.v1.MarkRecorded"
        )
        sis_receiver, lms_receiver = (
            start(receivers, sis.secret, sis_port),
            start(receivers, lms_secret, lms_port),
        )

        # Their university's semester is interleaved with ours, and our structure comes last on
        # purpose: our events first wait (parked) for their university to become known, in order.
        mine, other = semester(ours), semester(theirs)
        units = ("university/", "faculty/", "department/", "specialty/", "group/")
        structure = [
            e for e in mine if e[0].startswith(units) and e[1].DESCRIPTOR.name == "StructureUnitDefined"
        ]
        rest = [e for e in mine if e not in structure]
        published = await publish_all(s, other[:20] + rest[:30] + other[20:])
        published += await publish_all(s, structure + rest[30:])

        ours_subjects = subjects_of(mine)
        want_sis = expected(published, lambda p: is_granted(p) and p.subject in ours_subjects)
        want_lms = expected(
            published, lambda p: p.event_type.endswith("MarkRecorded") and p.subject in ours_subjects
        )
        await s.until(lambda: len(sis_receiver.handled) >= sum(map(len, want_sis.values())), seconds=120)
        await s.until(lambda: len(lms_receiver.handled) >= sum(map(len, want_lms.values())), seconds=60)
        await s.until(lambda: sis_receiver.rejected > 0, seconds=30)
        await asyncio.sleep(0.5)  # anything extra (a duplicate, another university's event) would show now
        status = await s.stub.ListSubscribers(
            pb.ListSubscribersRequest(university_id=ours.university_id), metadata=s.admin(ours.university_id)
        )

    # Exactly once, in publication order per subject, nothing of theirs.
    assert order_by_subject(sis_receiver.handled) == want_sis
    assert order_by_subject(lms_receiver.handled) == want_lms
    assert sis_receiver.duplicates == lms_receiver.duplicates == 0
    theirs_ids = {p.event_id for p in published if p.subject in subjects_of(other)}
    assert not theirs_ids & {d.event_id for d in sis_receiver.handled + lms_receiver.handled}
    # The forged subscriber's requests were refused, none handled.
    assert {d.path for d in sis_receiver.handled} == {"/sis"} and sis_receiver.rejected > 0
    # CloudEvents binary mode, canonical JSON for the SIS, protobuf for the LMS.
    first = sis_receiver.handled[0]
    assert first.headers["ce-specversion"] == "1.0" and first.headers["ce-id"] == first.event_id
    assert first.headers["content-type"] == "application/json" and first.json()["journalId"]
    assert all(d.headers["content-type"] == "application/protobuf" for d in lms_receiver.handled)
    # The signature is Standard Webhooks': the package's own verifier accepts a JSON delivery.
    Webhook(sis.secret).verify(first.body, first.headers)
    by_id = {x.subscriber_id: x.status for x in status.subscribers}
    assert by_id[sis.subscriber.subscriber_id].delivered == sum(map(len, want_sis.values()))
    assert by_id[sis.subscriber.subscriber_id].pending == 0
    assert by_id[forged.subscriber.subscriber_id].delivered == 0


def subjects_of(events: list) -> set[str]:  # type: ignore[type-arg]
    return {subject for subject, _ in events}


async def test_a_forged_signature_is_refused_and_nothing_is_handled(receivers: list[WebhookReceiver]) -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    receiver = start(receivers, secret)
    body = json.dumps({"journalId": "x"}).encode()
    good = Webhook(secret)
    now = datetime.now(UTC)
    headers = {
        "webhook-id": "e1",
        "webhook-timestamp": str(int(now.timestamp())),
        "content-type": "application/json",
    }
    signed = {**headers, "webhook-signature": good.sign("e1", now, body.decode())}
    forged = {
        **headers,
        "webhook-signature": Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).sign(
            "e1", now, body.decode()
        ),
    }
    tampered_body = json.dumps({"journalId": "y"}).encode()
    assert receiver.receive("/", forged, body) == 401
    assert receiver.receive("/", signed, tampered_body) == 401
    assert receiver.handled == []
    assert receiver.receive("/", signed, body) == 204 and len(receiver.handled) == 1


async def test_deliveries_queue_while_the_receiver_is_down_then_arrive_in_order(
    databases: Databases, nats: NatsServer, receivers: list[WebhookReceiver]
) -> None:
    u = University()
    port = free_port()
    async with running_subscribers(databases, nats, retry_delays=(0.2, 0.4, 0.8, 1.6, 3.2, 6.4)) as s:
        reply = await s.register(u.university_id, f"http://127.0.0.1:{port}/in", "ejournal.gradebook.v1.>")
        published = await publish_all(s, semester(u, lessons=2))
        wanted = [p for p in published if p.event_type.startswith("ejournal.gradebook.")]

        # Nobody listens yet: the first delivery of each journal fails and is retried; the rest wait.
        await s.until_async(
            lambda: s.status(u.university_id), lambda st: st.pending == len(wanted) and bool(st.last_error)
        )
        status = await s.status(u.university_id)
        assert status.delivered == 0 and status.lag_seconds > 0 and "ConnectError" in status.last_error

        receiver = start(receivers, reply.secret, port)
        await s.until(lambda: len(receiver.handled) >= len(wanted), seconds=60)
        await asyncio.sleep(0.3)
        after = await s.status(u.university_id)

    assert order_by_subject(receiver.handled) == expected(wanted, lambda p: True)
    assert receiver.duplicates == 0
    assert (after.pending, after.dead, after.delivered, after.lag_seconds) == (0, 0, len(wanted), 0.0)


async def test_what_the_receiver_never_accepts_is_dead_lettered_listed_and_replayed_once(
    databases: Databases, nats: NatsServer, receivers: list[WebhookReceiver]
) -> None:
    u = University()
    port = free_port()
    broken = {"on": True}

    def handle(delivery: Delivery) -> None:
        if broken["on"] and delivery.headers["ce-type"].endswith("SectionClosed"):
            raise RuntimeError("the receiver's own bug")  # answered 500

    async with running_subscribers(databases, nats, retry_delays=(0.1, 0.2)) as s:
        reply = await s.register(u.university_id, f"http://127.0.0.1:{port}/in", "ejournal.gradebook.v1.>")
        receiver = WebhookReceiver(reply.secret, port, handle=handle)
        receiver.start()
        receivers.append(receiver)
        published = await publish_all(s, semester(u, lessons=1))
        wanted = [p for p in published if p.event_type.startswith("ejournal.gradebook.")]
        closed = {p.event_id for p in wanted if p.event_type.endswith("SectionClosed")}
        admin = s.admin(u.university_id)
        await s.until(lambda: len(receiver.handled) >= len(wanted) - len(closed), seconds=60)
        await s.until_async(lambda: s.status(u.university_id), lambda st: st.dead == len(closed))

        dead = await s.stub.ListDeadLetters(
            pb.ListDeadLettersRequest(subscriber_id=reply.subscriber.subscriber_id), metadata=admin
        )
        assert {d.event_id for d in dead.dead_letters} == closed
        assert all(d.attempts == 3 and "HTTP 500" in d.last_error for d in dead.dead_letters)

        broken["on"] = False  # the receiver is fixed; the administrator replays
        replayed = await s.stub.ReplayDeadLetters(
            pb.ReplayDeadLettersRequest(subscriber_id=reply.subscriber.subscriber_id), metadata=admin
        )
        assert replayed.replayed == len(closed)
        await s.until(lambda: len(receiver.handled) >= len(wanted), seconds=30)
        await asyncio.sleep(0.3)
        after = await s.status(u.university_id)

    assert sorted(d.event_id for d in receiver.handled) == sorted(p.event_id for p in wanted)
    assert receiver.duplicates == 0 and (after.dead, after.pending) == (0, 0)


async def test_only_the_universitys_administrator_manages_and_refusals_reveal_nothing(
    databases: Databases, nats: NatsServer
) -> None:
    ours, theirs = University(), University()
    async with running_subscribers(databases, nats) as s:
        mine = await s.register(ours.university_id, "https://sis.example/hooks", "ejournal.gradebook.v1.>")
        sub_id = mine.subscriber.subscriber_id
        their_admin = s.admin(theirs.university_id)
        # Another university's administrator: the same refusal for a subscriber of ours and one that
        # does not exist.
        codes = []
        for target in (sub_id, "6f1c2b9e-0000-4000-8000-000000000009"):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await s.stub.ListDeadLetters(
                    pb.ListDeadLettersRequest(subscriber_id=target), metadata=their_admin
                )
            codes.append((refused.value.code(), refused.value.details()))
        assert codes[0] == codes[1] and codes[0][0] == grpc.StatusCode.PERMISSION_DENIED
        # Registering for another university, or as a teacher, is refused.
        for who in (their_admin, s.person(("teacher", "university", ours.university_id))):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await s.stub.RegisterWebhook(
                    pb.RegisterWebhookRequest(
                        university_id=ours.university_id,
                        url="https://x.example/",
                        event_types=["ejournal.gradebook.v1.>"],
                    ),
                    metadata=who,
                )
            assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        listed = await s.stub.ListSubscribers(
            pb.ListSubscribersRequest(university_id=theirs.university_id), metadata=their_admin
        )
        assert list(listed.subscribers) == []
        # A client's mistakes name the field: identity's events are not offered, http is refused.
        for fields, field in (
            ({"event_types": ["ejournal.identity.v1.PersonCreated"]}, "event_types"),
            ({"url": "http://sis.example/"}, "url"),
            ({"secret": "nope"}, "secret"),
        ):
            request = pb.RegisterWebhookRequest(
                university_id=ours.university_id,
                url="https://sis.example/",
                event_types=["ejournal.gradebook.v1.>"],
            )
            for name, value in fields.items():
                request.ClearField(name)  # type: ignore[arg-type]
                if isinstance(value, list):
                    getattr(request, name).extend(value)
                else:
                    setattr(request, name, value)
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await s.stub.RegisterWebhook(request, metadata=s.admin(ours.university_id))
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert field in refused.value.details()
