"""Each service's NATS user may publish only its own events and use only the JetStream API it needs
(issue 18): deploy/nats_permissions.py derives the lists from the code (the streams each service's
consumers name: their streams and their durable names) and writes them into the NATS chart's values.
Here the rendered configuration runs on a real nats-server, over TLS as on the cluster: every service,
as its own user, creates its stream, publishes its events and consumes the streams its code consumes
through its own durables, exactly as the runtime does (ensure_stream, a durable pull consumer, acks,
the dead-letter stream); publishing another service's event, consuming a stream it does not consume,
subscribing to events directly, and using another service's consumer on a stream it does consume
(fetching from it, deleting it, burying under its name) or a consumer of a name its code never makes
are refused by the server."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import nats
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from deploy.nats_permissions import consumed_streams, consumers, main
from ejournal_platform import dead_letters
from ejournal_platform.events import stream_name
from ejournal_platform.nats import ensure_stream
from ejournal_platform.services import SERVICES
from services.curriculum.service_layer import recorded_cells
from services.subscribers.domain.routing import OFFERED_SERVICES
from tests.infrastructure.test_nats_users import RenderedNats, connect_when_up, one_try


@pytest.mark.unit
def test_the_chart_values_hold_the_permissions_the_code_needs() -> None:
    main(["--check"])  # exits naming the stale values file otherwise


@pytest.mark.unit
def test_the_derived_streams_follow_the_code() -> None:
    """Literal stream names, a comprehension over a tuple (notifier), over an imported constant
    (subscribers) and the reporting projections' all count."""
    assert consumed_streams("subscribers") == {stream_name(s) for s in OFFERED_SERVICES}
    assert consumed_streams("notifier") == {stream_name("workflow"), stream_name("gradebook")}
    assert consumed_streams("reporting") == {stream_name(s) for s in SERVICES[:5]} - {
        stream_name("reporting")
    }
    assert consumed_streams("identity") == frozenset()


@pytest.mark.unit
def test_the_derived_durables_follow_the_code() -> None:
    """Literal names, a module constant (curriculum's recorded cells), f-strings over a tuple
    (notifier) and over an imported constant (subscribers), and the reporting projections' names."""
    assert consumers("subscribers") == {(stream_name(s), f"subscribers-{s}") for s in OFFERED_SERVICES}
    assert consumers("notifier") == {
        (stream_name("workflow"), "notifier-workflow"),
        (stream_name("gradebook"), "notifier-gradebook"),
    }
    assert consumers("curriculum") == {
        (stream_name("gradebook"), "curriculum-gradebook"),
        (stream_name("gradebook"), recorded_cells.CONSUMER),
        (stream_name("identity"), "curriculum-identity"),
    }
    assert consumers("reporting") == {
        (stream_name(s), f"reporting-{s}") for s in ("identity", "curriculum", "gradebook", "workflow")
    }
    assert consumers("identity") == frozenset()


class Refusals:
    """The server's -ERR lines (nats-py hands permission violations to error_cb, keeping the connection)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    async def record(self, error: Exception) -> None:
        self.errors.append(str(error))

    def of(self, kind: str, subject: str) -> bool:
        wanted = f'permissions violation for {kind} to "{subject.lower()}"'
        return any(wanted in e.lower() for e in self.errors)


@contextlib.asynccontextmanager
async def as_user(
    server: RenderedNats, service: str, refusals: Refusals | None = None
) -> AsyncIterator[Client]:
    await (await connect_when_up(server.url(service), server.tls)).close()  # the server is up
    options = one_try(server.url(service), server.tls)
    if refusals is not None:
        options["error_cb"] = refusals.record
    client = await nats.connect(**options)
    try:
        yield client
    finally:
        await client.close()


async def publish_one_event(server: RenderedNats, service: str) -> None:
    async with as_user(server, service) as client:
        js = client.jetstream()
        await ensure_stream(js, service)
        ack = await js.publish(
            f"ejournal.{service}.v1.Probe", b"x", headers={"Nats-Msg-Id": str(uuid.uuid4())}
        )
        assert ack.stream == stream_name(service)


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_does_what_its_code_does_and_nothing_of_another(
    rendered_nats: RenderedNats, service: str
) -> None:
    # Its own events, as the relay publishes them, into the stream it creates itself.
    await publish_one_event(rendered_nats, service)
    for stream in consumed_streams(service):  # the publishers' streams, each made by its owner
        await publish_one_event(rendered_nats, stream.removeprefix("EJOURNAL_").lower())
    # Another service's consumer on a stream this one consumes too, made by its owner, with a message.
    theirs = sorted(
        (stream, durable, other)
        for other in SERVICES
        if other != service
        for stream, durable in consumers(other)
        if stream in consumed_streams(service)
    )
    if theirs:
        their_stream, their_durable, owner_of_it = theirs[0]
        async with as_user(rendered_nats, owner_of_it) as owner:
            await pull_consumer(owner, their_stream, their_durable)
    refusals = Refusals()
    async with as_user(rendered_nats, service, refusals) as client:
        js = client.jetstream()
        # Each stream it consumes, through each durable its code makes, as EventConsumer / BatchConsumer
        # do: a durable pull consumer, fetch, ack, the lag's consumer info; reporting's rebuild deletes.
        for stream, durable in sorted(consumers(service)):
            subscription = await pull_consumer(client, stream, durable)
            (message,) = await subscription.fetch(1, timeout=10)
            await message.ack_sync()
            assert (await js.consumer_info(stream, durable)).num_ack_pending == 0
            assert (await js.stream_info(stream)).state.messages >= 1
            await js.delete_consumer(stream, durable)
        if consumers(service):  # a consumer buries what it cannot apply, under its own name
            await dead_letters.ensure_stream(js)
            own = min(durable for _, durable in consumers(service))
            await js.publish(f"{dead_letters.SUBJECT_PREFIX}{own}", b"x")
        refused_too: list[tuple[str, str]] = []
        if theirs:  # another's consumer: not fetched from, not deleted, nothing buried in its name
            made_up = f"$JS.API.CONSUMER.CREATE.{their_stream}.{service}-made-up"
            refused_too = [
                ("publish", f"$JS.API.CONSUMER.MSG.NEXT.{their_stream}.{their_durable}"),
                ("publish", f"$JS.API.CONSUMER.DELETE.{their_stream}.{their_durable}"),
                ("publish", f"{dead_letters.SUBJECT_PREFIX}{their_durable}"),
                ("publish", made_up),  # a consumer of a name its code never makes
            ]
            for _, subject in refused_too:
                await client.publish(subject, b'{"batch": 1}', reply=client.new_inbox())
        # Refused: another's events, a stream it does not consume, events without JetStream.
        other = next(s for s in SERVICES if s != service)
        await client.publish(f"ejournal.{other}.v1.Forged", b"forged")
        foreign = [s for s in SERVICES if s != service and stream_name(s) not in consumed_streams(service)]
        with pytest.raises(TimeoutError):  # the request is dropped by the server: no answer comes
            await js.consumer_info(stream_name(foreign[0]), "anything", timeout=1)
        await client.subscribe(f"ejournal.{other}.>")
        for _ in range(100):  # the server answers a refused SUB on its own time, not before the PONG
            await client.flush()
            if refusals.of("subscription", f"ejournal.{other}.>"):
                break
            await asyncio.sleep(0.05)
    assert refusals.of("publish", f"ejournal.{other}.v1.Forged"), refusals.errors
    assert refusals.of("publish", f"$JS.API.CONSUMER.INFO.{stream_name(foreign[0])}.anything"), (
        refusals.errors
    )
    assert refusals.of("subscription", f"ejournal.{other}.>"), refusals.errors
    for kind, subject in refused_too:
        assert refusals.of(kind, subject), (subject, refusals.errors)
    violations = [e for e in refusals.errors if "permissions violation" in e.lower()]
    assert len(violations) == 3 + len(refused_too), refusals.errors  # nothing it needs was refused
    if theirs:  # and the other's consumer is as its owner left it: there, nothing delivered
        async with as_user(rendered_nats, owner_of_it) as owner:
            info = await owner.jetstream().consumer_info(their_stream, their_durable)
            assert info.delivered.consumer_seq == 0 and info.num_pending >= 1, info
            await owner.jetstream().delete_consumer(their_stream, their_durable)


async def pull_consumer(client: Client, stream: str, durable: str) -> JetStreamContext.PullSubscription:
    """A durable pull consumer on the whole stream, as EventConsumer makes one (with a filter)."""
    owner = stream.removeprefix("EJOURNAL_").lower()
    config = ConsumerConfig(
        durable_name=durable, deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT
    )
    return await client.jetstream().pull_subscribe(
        f"ejournal.{owner}.>", durable=durable, stream=stream, config=config
    )
