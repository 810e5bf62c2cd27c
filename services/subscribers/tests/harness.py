"""The subscribers service wired for tests on real parts: its own fresh PostgreSQL database, a real
NATS JetStream with the publishers' streams, the real consumers and dispatcher, the gRPC API behind
real token verification, and webhook receivers that are real HTTP servers (examples/webhooks)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from deploy.local.servers import NatsServer, binary, free_port
from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal.subscribers.v1 import subscribers_service_pb2_grpc as pb_grpc
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import headers_for, new_event_id, stream_name, stream_subjects
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.tokens import TestTokens
from services.subscribers.adapters import tables
from services.subscribers.domain import natsauth
from services.subscribers.domain.routing import OFFERED_SERVICES
from services.subscribers.entrypoints.grpc_api import SubscribersServicer
from services.subscribers.entrypoints.main import SERVICE
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.dispatch import Dispatcher
from services.subscribers.service_layer.export import ExportConfig, Exporter
from services.subscribers.service_layer.intake import Intake

T = TypeVar("T")
FAST_RETRIES = (0.2, 0.4, 0.8, 1.0, 1.0)


@dataclass
class Published:
    event_id: str
    event_type: str
    subject: str


@dataclass
class Subscribers:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    js: JetStreamContext
    stub: pb_grpc.SubscribersServiceStub
    tokens: TestTokens
    dispatcher: Dispatcher
    channel: grpc.aio.Channel
    exporter: Exporter | None = None

    def admin(self, university_id: str) -> tuple[tuple[str, str]]:
        return bearer(
            self.tokens.token(f"admin-{university_id[:8]}", ("administrator", "university", university_id))
        )

    def person(self, *roles: tuple[str, str, str]) -> tuple[tuple[str, str]]:
        return bearer(self.tokens.token(str(uuid.uuid4()), *roles))

    async def register(
        self, university_id: str, url: str, *types: str, **fields: Any
    ) -> pb.RegisterWebhookResponse:
        request = pb.RegisterWebhookRequest(university_id=university_id, url=url, event_types=types, **fields)
        reply: pb.RegisterWebhookResponse = await self.stub.RegisterWebhook(
            request, metadata=self.admin(university_id)
        )
        return reply

    async def publish(self, subject: str, payload: Message, source: str | None = None) -> Published:
        """As a publishing service's outbox relay does: CloudEvents headers, Nats-Msg-Id = ce-id."""
        event_type = payload.DESCRIPTOR.full_name
        service = event_type.split(".")[1]
        event_id = new_event_id()
        headers = headers_for(
            event_id, event_type, source or f"ejournal/{service}", subject, datetime.now(UTC).isoformat()
        )
        await self.js.publish(event_type, payload.SerializeToString(), headers=headers)
        return Published(event_id, event_type, subject)

    async def status(self, university_id: str) -> pb.DeliveryStatus:
        """The first subscriber's delivery status, through the API as the administrator sees it."""
        got: pb.ListSubscribersResponse = await self.stub.ListSubscribers(
            pb.ListSubscribersRequest(university_id=university_id), metadata=self.admin(university_id)
        )
        return got.subscribers[0].status

    async def until_async(
        self, read: Callable[[], Awaitable[T]], check: Callable[[T], bool], seconds: float = 60.0
    ) -> T:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            value = await read()
            if check(value):
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"condition not reached in time; last {value}")
            await asyncio.sleep(0.05)

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())

    async def until(self, check: Callable[[], Any], seconds: float = 60.0) -> None:
        """Wait until check() is true (the pipeline is asynchronous); fail after `seconds`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not check():
            if asyncio.get_running_loop().time() > deadline:
                state = await self.rows("SELECT status, count(*) FROM deliveries GROUP BY status")
                parked = await self.rows("SELECT count(*) FROM parked")
                raise AssertionError(f"condition not reached in time: deliveries {state}, parked {parked}")
            await asyncio.sleep(0.05)


@asynccontextmanager
async def running_subscribers(
    databases: Databases,
    nats_server: NatsServer,
    retry_delays: Sequence[float] = FAST_RETRIES,
    export: ExportConfig | None = None,
    delivered_keep: timedelta = timedelta(days=7),
) -> AsyncIterator[Subscribers]:
    engine = make_engine(databases.fresh("subscribers"), pool_size=5)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    nc = await connect(nats_server.url, f"subscribers-test-{uuid.uuid4().hex[:6]}")
    js = nc.jetstream()
    for service in OFFERED_SERVICES:
        await ensure_stream(js, service)
    exporter = Exporter(engine, Deps.over(sessions), export, poll_seconds=0.05) if export else None
    dispatcher = Dispatcher(
        engine,
        Deps.over(sessions),
        lambda: datetime.now(UTC),
        retry_delays=retry_delays,
        timeout=2.0,
        poll_seconds=0.05,
        park_keep=timedelta(hours=1),
        delivered_keep=delivered_keep,
        export_wake=exporter.wake if exporter else None,
    )
    intake = Intake(dispatcher.wake, exporter.wake if exporter else None)
    # Unique consumer names: one NATS server serves every test of the session.
    tag = uuid.uuid4().hex[:6]
    consumers = [
        EventConsumer(
            js,
            lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)),
            tables.inbox,
            name=f"subscribers-{service}-{tag}",
            stream=stream_name(service),
            subjects=stream_subjects(service),
            handler=intake.handle,
        )
        for service in OFFERED_SERVICES
    ]
    tokens = TestTokens()
    server = GrpcServer(tokens.verifier_authenticator())
    server.add(
        pb_grpc.add_SubscribersServiceServicer_to_server,
        SubscribersServicer(Deps.over(sessions, allow_loopback_http=True), exporter),
        SERVICE,
    )
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    tasks = [asyncio.create_task(c.run()) for c in consumers] + [asyncio.create_task(dispatcher.run())]
    if exporter is not None:
        tasks.append(asyncio.create_task(exporter.run()))
    try:
        stub = pb_grpc.SubscribersServiceStub(channel)
        yield Subscribers(engine, sessions, js, stub, tokens, dispatcher, channel, exporter)
    finally:
        for task in tasks:
            task.cancel()
        # Bounded: a consumer cancelled inside nats-py's fetch may lose the cancellation (Python 3.11's
        # wait_for race; EventConsumer then takes it for a fetch timeout and goes on), so do not wait
        # for ever; the event loop's end closes what is left.
        await asyncio.wait(tasks, timeout=10)
        await channel.close()
        await server.stop(0)
        await dispatcher.close()
        if exporter is not None:
            await exporter.close()
        await nc.close()
        await engine.dispose()


class ExportNatsServer(NatsServer):
    """The export NATS in operator mode: it trusts the operator of `setup` and knows only its accounts,
    so every client needs a user JWT signed for the export account."""

    def __init__(self, setup: natsauth.ExportSetup, base: Path) -> None:
        super().__init__(base / "store", free_port(), free_port(), base / "nats.log")
        self.setup = setup
        self.config_file = base / "export-nats.conf"

    def spawn(self) -> subprocess.Popen[bytes]:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(
            self.setup.server_config + f"jetstream {{ store_dir: {json.dumps(str(self.store_dir))} }}\n"
        )
        self.process = subprocess.Popen(
            [binary("nats-server"), "-c", str(self.config_file), "-a", "127.0.0.1", "-p", str(self.port),
             "-m", str(self.monitor_port), "-l", str(self.log_file)],
            start_new_session=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return self.process

    def export_config(self) -> ExportConfig:
        return ExportConfig(url=self.url, account=self.setup.account, signing_seed=self.setup.signing_seed)
