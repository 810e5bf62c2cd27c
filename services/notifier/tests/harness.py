"""The notifier wired for tests on real parts: its own fresh PostgreSQL database, identity in-process
(real gRPC, the demo accounts), a real SMTP server process keeping `.eml` files, and a clock the test
moves. Events go in through the same handler the NATS consumer calls (`Intake.handle`), or through a
real JetStream consumer where delivery itself is under test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from deploy.local.mail import MailServer
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.tokens import ServiceIdentity
from services.identity.tests.harness import SERVICE_SECRETS, Identity, demo_database, running_identity
from services.notifier.adapters import tables
from services.notifier.adapters.channels import Channel, SmtpChannel
from services.notifier.adapters.directory import IdentityDirectory
from services.notifier.service_layer.dispatch import Dispatcher
from services.notifier.service_layer.intake import Intake
from services.notifier.service_layer.render import Renderer

PORTAL = "http://127.0.0.1:18000"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 2, 7, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Notifier:
    identity: Identity
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    intake: Intake
    dispatcher: Dispatcher
    clock: Clock
    directory: IdentityDirectory

    async def deliver(self, event: Message, event_id: str | None = None) -> str:
        """Hand an event to the notifier as the consumer would (in one transaction) and return its id."""
        event_id = event_id or str(uuid.uuid4())
        received = ReceivedEvent(
            event_id, event.DESCRIPTOR.full_name, "test", "", "", event.SerializeToString(), {}
        )
        async with UnitOfWork(self.sessions, OutboxWriter(tables.outbox)) as uow:
            await self.intake.handle(uow, received)
            await uow.commit()
        return event_id

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())


@asynccontextmanager
async def running_notifier(
    databases: Databases, channels: Mapping[str, Channel], retry_delays: tuple[float, ...] = (60.0, 300.0)
) -> AsyncIterator[Notifier]:
    clock = Clock()
    async with running_identity(await demo_database(databases)) as identity:
        engine = make_engine(databases.fresh("notifier"), pool_size=3)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        tokens = ServiceIdentity(identity.address, "notifier", SERVICE_SECRETS["notifier"])
        directory = IdentityDirectory(identity.address, tokens)
        renderer = Renderer(PORTAL)
        outbox = OutboxWriter(tables.outbox)
        dispatcher = Dispatcher(lambda: UnitOfWork(sessions, outbox), channels, renderer, clock,
                                retry_delays=retry_delays)  # fmt: skip
        intake = Intake(directory, renderer, clock)
        try:
            yield Notifier(identity, engine, sessions, intake, dispatcher, clock, directory)
        finally:
            await engine.dispose()


def smtp_to(server: MailServer) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", server.port, "ejournal <noreply@ejournal.example>", timeout=5)


def mail_server(directory: Path, port: int, *, refuse: bool = False) -> MailServer:
    server = MailServer(directory, port, refuse=refuse)
    server.start()
    return server
