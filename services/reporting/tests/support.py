"""Helpers for reporting's integration tests: publish events as their services' relays do, and run
reporting's read-model consumers on a fresh database and a private NATS server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import grpc
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.db import make_engine
from ejournal_platform.events import headers_for, new_event_id
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.tokens import TestTokens
from services.reporting.adapters.signing.setup import Signing
from services.reporting.entrypoints.app import ReportingApp
from services.reporting.entrypoints.grpc_api import ReportingServicer
from services.reporting.entrypoints.main import PUBLIC_METHODS, SERVICE
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.jobs import JobRunner
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.rebuild import wait_caught_up
from services.reporting.service_layer.reports.background import BUILDERS
from services.reporting.service_layer.statement_content import fetch_missing
from services.reporting.tests.demo.university import DemoUniversity, Published

SERVICES = ("identity", "curriculum", "gradebook", "workflow")


async def publish(js: JetStreamContext, events: Iterable[Published], *, stamp_now: bool = False) -> list[str]:
    """Publish as an outbox relay would (Nats-Msg-Id = ce-id, CloudEvents headers); return the ids."""
    ids, acks = [], []
    for event in events:
        event_id = new_event_id()
        moment = time.time() if stamp_now else event.time.timestamp()
        headers = headers_for(
            event_id,
            event.payload.DESCRIPTOR.full_name,
            f"ejournal/{event.service}",
            event.subject,
            datetime.fromtimestamp(moment, UTC).isoformat(),
        )
        data = event.payload.SerializeToString(deterministic=True)
        acks.append(await js.publish_async(event.payload.DESCRIPTOR.full_name, data, headers=headers))
        ids.append(event_id)
        if len(acks) >= 2000:
            await asyncio.gather(*acks)
            acks = []
    await asyncio.gather(*acks)
    return ids


@dataclass
class Reporting:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    nc: Client
    js: JetStreamContext
    lag: LagTracker
    consumers: ReadModelConsumers

    async def scalar(self, sql: str, **params: object) -> object:
        async with self.sessions() as session:
            return (await session.execute(text(sql), params)).scalar_one()

    async def caught_up(self, timeout: float = 60) -> float:
        return await wait_caught_up(self.consumers, timeout)


@asynccontextmanager
async def reporting(
    databases: Databases, nats_factory: Callable[[], NatsServer], *, run: bool = True
) -> AsyncIterator[Reporting]:
    url = databases.fresh("reporting")
    nats_server = nats_factory()
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    nc = await connect(nats_server.url, "reporting-test")
    js = nc.jetstream()
    for service in SERVICES:
        await ensure_stream(js, service)
    lag = LagTracker()
    consumers = ReadModelConsumers(js, Deps.over(sessions), lag)
    if run:
        consumers.start()
    try:
        yield Reporting(url, engine, sessions, nc, js, lag, consumers)
    finally:
        await consumers.stop()
        await nc.close()
        await engine.dispose()
        nats_server.stop()


class FakeStatements:
    """The gradebook's GetStatement, served from the demo's statements (the gradebook itself is
    another service; its contract is what matters here)."""

    def __init__(self, statements: Mapping[str, gbs.Statement]) -> None:
        self.statements = statements
        self.calls = 0

    async def get(self, statement_id: str) -> gbs.Statement:
        self.calls += 1
        return self.statements[statement_id]


@dataclass
class Served:
    stub: pb_grpc.ReportingServiceStub
    keys: TestTokens
    app: ReportingApp
    channel: grpc.aio.Channel | None = None
    address: str = ""

    def as_(self, subject: str, *roles: tuple[str, str, str]) -> tuple[tuple[str, str]]:
        return bearer(self.keys.token(subject, *roles))


@asynccontextmanager
async def serve(r: Reporting, archive_dir: Path) -> AsyncIterator[Served]:
    """Reporting's real servicer and report runner on an in-process gRPC server with test tokens."""
    keys = TestTokens()
    # The demo's signing: a CA and keys made under the test's folder at first use.
    signing = Signing.demo(archive_dir / "signing", b"reporting-keys-passphrase-for-tests-only")
    deps = Deps.over(
        r.sessions, archive_dir=archive_dir, public_url="https://ejournal.example", signing=signing
    )
    runner = JobRunner(deps, BUILDERS)
    app = ReportingApp(deps, r.consumers, r.lag, runner)
    server = GrpcServer(keys.verifier_authenticator(), PUBLIC_METHODS)
    server.add(pb_grpc.add_ReportingServiceServicer_to_server, ReportingServicer(app), SERVICE)
    port = await server.start("127.0.0.1", 0)
    await server.set_serving(True)
    task = asyncio.create_task(runner.run())
    channel = open_channel(f"127.0.0.1:{port}")
    try:
        yield Served(pb_grpc.ReportingServiceStub(channel), keys, app, channel, f"127.0.0.1:{port}")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await channel.close()
        await server.stop(0)


async def load_demo(r: Reporting, demo: DemoUniversity) -> None:
    """Publish the demo's events, wait for the read models, fetch every statement's content."""
    await publish(r.js, demo.events)
    await r.caught_up()
    while await fetch_missing(Deps.over(r.sessions), source=FakeStatements(demo.statements)):
        pass
