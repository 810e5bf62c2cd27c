"""Issue 18: the named Prometheus metrics exist on a service's /metrics and move with what happens.

- identity as it runs in the stack (run_service, real PostgreSQL and NATS) answers /metrics on its
  probe port only with the bearer token; failed sign-ins move `ejournal_logins_total` and, at the
  lockout, `ejournal_lockouts_total`; each call moves `ejournal_grpc_server_handled_total` by method
  and code; the outbox gauges are there;
- the outbox relay's gauges count unpublished rows and their age, and fall to 0 once published;
- a consumer's redeliveries and pending counts move as a handler fails once and JetStream holds events.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator

import grpc
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.demo.seed.identity import DEMO_PASSWORD, seed_demo
from deploy.local.servers import NatsServer, free_port
from ejournal.gradebook.v1 import events_pb2 as gradebook_events
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.dead_letters import Redelivery
from ejournal_platform.events import Event, ReceivedEvent, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxRelay, OutboxWriter
from ejournal_platform.runtime import run_service
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.tests.integration.test_outbox_delivery import tables, wait_until
from services.identity.adapters import tables as identity_tables
from services.identity.entrypoints.main import wire
from services.identity.settings import IdentitySettings

pytestmark = pytest.mark.integration
TOKEN = "scrape-" + uuid.uuid4().hex
LOGIN = "/ejournal.identity.v1.IdentityService/Login"


def scrape(port: int, token: str | None) -> tuple[int, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            text = reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {}
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    return 200, samples


@pytest.fixture
async def identity(databases: Databases, nats_server: NatsServer) -> AsyncIterator[tuple[str, int]]:
    url = databases.fresh("identity")
    await seed_demo(url)
    port, health_port = free_port(), free_port()
    settings = IdentitySettings(
        database_url=url,
        nats_url=nats_server.url,
        grpc_port=port,
        health_port=health_port,
        metrics_token=TOKEN,
        log_format="console",
        signing_key_passphrase=SecretStr("metrics-test-passphrase"),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_service(settings, wire, outbox_table=identity_tables.outbox, stop=stop))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        await channel.channel_ready()
    yield f"127.0.0.1:{port}", health_port
    stop.set()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 15)


async def test_sign_ins_lockouts_and_calls_move_the_metrics_behind_the_token(
    identity: tuple[str, int],
) -> None:
    address, health_port = identity
    assert (await asyncio.to_thread(scrape, health_port, None))[0] == 404
    assert (await asyncio.to_thread(scrape, health_port, "wrong"))[0] == 404
    status, before = await asyncio.to_thread(scrape, health_port, TOKEN)
    assert status == 200
    assert ("ejournal_outbox_backlog", ()) in before
    assert ("ejournal_outbox_oldest_age_seconds", ()) in before

    login = "kz.teacher1"
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb_grpc.IdentityServiceStub(channel)
        assert (await stub.Login(pb.LoginRequest(login=login, password=DEMO_PASSWORD))).access_token
        for _ in range(3):  # the third wrong password in a row locks the account
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.Login(pb.LoginRequest(login=login, password="not the password"))
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    _, after = await asyncio.to_thread(scrape, health_port, TOKEN)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("ejournal_logins_total", outcome="succeeded") == 1
    assert moved("ejournal_logins_total", outcome="wrong_password") == 3
    assert moved("ejournal_lockouts_total") == 1
    assert moved("ejournal_grpc_server_handled_total", method=LOGIN, code="OK") == 1
    assert moved("ejournal_grpc_server_handled_total", method=LOGIN, code="UNAUTHENTICATED") == 3
    assert moved("ejournal_grpc_server_handling_seconds_count", method=LOGIN) == 4


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_outbox_gauges_count_unpublished_rows_and_their_age(
    databases: Databases, nats_server: NatsServer
) -> None:
    metadata, outbox, _, _ = tables()
    engine = make_engine(databases.empty(metadata))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    writer = OutboxWriter(outbox)
    nc = await connect(nats_server.url, "gauges-test")
    js = nc.jetstream()
    await ensure_stream(js, "gradebook")  # the events' subjects are the gradebook's
    relay = OutboxRelay(engine, writer, js, source="ejournal/gradebook")
    try:
        async with sessions() as session, session.begin():
            payload = gradebook_events.MarkRecorded(journal_id=str(uuid.uuid4()))
            await writer.write(session, [Event(payload, subject="journal/x") for _ in range(3)])
        await asyncio.sleep(0.2)
        backlog, age = await relay.measure_backlog()
        assert (backlog, gauge("ejournal_outbox_backlog")) == (3, 3)
        assert age >= 0.2 and gauge("ejournal_outbox_oldest_age_seconds") == age
        assert await relay.publish_pending() == 3
        assert await relay.measure_backlog() == (0, 0.0)
        assert (gauge("ejournal_outbox_backlog"), gauge("ejournal_outbox_oldest_age_seconds")) == (0, 0)
    finally:
        await nc.close()
        await engine.dispose()


async def test_a_consumer_counts_its_redeliveries_and_pending_events(
    databases: Databases, nats_server: NatsServer
) -> None:
    metadata, outbox, inbox, effects = tables()
    engine = make_engine(databases.empty(metadata))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    service = f"lag{uuid.uuid4().hex[:6]}"
    failed_once: set[str] = set()
    gate = asyncio.Event()

    async def apply(uow: UnitOfWork, event: ReceivedEvent) -> None:
        await gate.wait()  # nothing is applied until the test has seen the events pending
        if event.id not in failed_once:
            failed_once.add(event.id)
            raise ConnectionError("the read model's database blinked")
        await uow.session.execute(insert(effects).values(event_id=event.id, applied=1))

    nc = await connect(nats_server.url, "lag-test")
    js = nc.jetstream()
    await ensure_stream(js, service)
    consumer = EventConsumer(
        js, lambda: UnitOfWork(sessions, OutboxWriter(outbox)), inbox, name=service,
        stream=stream_name(service), subjects=[f"ejournal.{service}.>"], handler=apply, batch=1,
        redelivery=Redelivery(delays=(0.05,), max_deliver=5),
    )  # fmt: skip
    for _ in range(4):
        event_id = str(uuid.uuid4())
        await js.publish(
            f"ejournal.{service}.v1.Thing", b"", headers={"Nats-Msg-Id": event_id, "ce-id": event_id}
        )
    task = asyncio.create_task(consumer.run())
    try:

        async def pending_seen() -> bool:
            return (gauge("ejournal_consumer_pending", consumer=service) or 0) >= 3

        await wait_until(pending_seen, 20, "the consumer's pending events in the gauge")
        gate.set()

        async def all_applied() -> bool:
            return (
                len(failed_once) == 4
                and (gauge("ejournal_consumer_redeliveries_total", consumer=service) or 0) >= 4
            )

        await wait_until(all_applied, 30, "every event applied after one failure each")
        assert gauge("ejournal_consumer_redeliveries_total", consumer=service) == 4
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await nc.close()
        await engine.dispose()
