"""The workflow service for integration tests: the real gRPC servicer with real token verification, the
real use cases, worker, activities and database (a fresh migrated one), on the Temporal dev server.
Only the gradebook is a fake (another service), holding its side idempotent as the real one does."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grpc
import stamina
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client

from ejournal.gradebook.v1 import events_pb2 as gradebook_events
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.tokens import TestTokens
from services.workflow.adapters import tables
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.domain.actors import Actor
from services.workflow.entrypoints.consumers import on_gradebook_event
from services.workflow.entrypoints.grpc_api import WorkflowServicer
from services.workflow.entrypoints.main import SERVICE
from services.workflow.entrypoints.worker import build_worker
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.doubles import FakeGradebook
from services.workflow.tests.support import DEPARTMENT, FACULTY, TERM, UNIVERSITY, People, explanation


def event(message: Any) -> ReceivedEvent:
    return ReceivedEvent(
        id=str(uuid.uuid4()),
        type=message.DESCRIPTOR.full_name,
        source="test",
        subject="",
        time="",
        data=message.SerializeToString(),
        headers={},
    )


@dataclass
class Harness:
    stub: pb_grpc.WorkflowServiceStub
    keys: TestTokens
    sessions: async_sessionmaker[AsyncSession]
    engine: AsyncEngine
    gradebook: FakeGradebook
    client: Client
    queue: str
    people: People = field(default_factory=People)
    channel: grpc.aio.Channel | None = None

    def auth(self, actor: Actor) -> tuple[tuple[str, str]]:
        roles = [(g.role, g.scope_type, g.scope_id) for g in actor.grants]
        return bearer(self.keys.token(actor.person_id, *roles))

    async def gradebook_event(self, message: Any) -> None:
        """Apply a gradebook event as the consumer does (in its own transaction)."""
        async with UnitOfWork(self.sessions, OutboxWriter(tables.outbox)) as uow:
            await on_gradebook_event(uow, event(message))
            await uow.commit()

    async def close_section(
        self,
        section: str,
        closed_at: datetime | None = None,
        teachers: tuple[str, ...] = (),
        department_id: str = DEPARTMENT,
        journal_id: str = "",
        university_id: str = UNIVERSITY,
        faculty_id: str = FACULTY,
    ) -> tuple[str, str]:
        """A journal of the kz-medical profile with one closed section (JournalOpened + SectionClosed)."""
        journal = journal_id or f"journal-{self.people.suffix}"
        teachers = teachers or (self.people.teacher.person_id,)
        await self.gradebook_event(
            gradebook_events.JournalOpened(
                journal_id=journal,
                term_id=TERM,
                course_unit_id="cu-1",
                group_id="ЖМ-21-003",
                teacher_ids=list(teachers),
                department_id=department_id,
                faculty_id=faculty_id,
                profile_code="kz-medical",
                title="Ішкі аурулар",
                university_id=university_id,
            )
        )
        await self.gradebook_event(
            gradebook_events.SectionClosed(
                journal_id=journal,
                section=section,
                control_event_id=section,
                closed_at=(closed_at or datetime.now(UTC)).isoformat(),
                teacher_ids=list(teachers),
                department_id=department_id,
                faculty_id=faculty_id,
                term_id=TERM,
                control_kind="midterm",
                closed_by="service:workflow",
            )
        )
        return journal, section

    async def submit(
        self, section: str, actor: Actor | None = None, reason: str = "", **kwargs: Any
    ) -> pb.ReopenCase:
        journal, _ = await self.close_section(section, **kwargs)
        reply = await self.stub.SubmitExplanation(
            pb.SubmitExplanationRequest(
                request_id=str(uuid.uuid4()),
                journal_id=journal,
                section=section,
                explanation=explanation_pb(reason),
            ),
            metadata=self.auth(actor or self.people.teacher),
        )
        case: pb.ReopenCase = reply.case
        return case

    async def outbox(self, message_type: Any) -> list[Any]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(tables.outbox.c.payload)
                .where(tables.outbox.c.event_type == message_type.DESCRIPTOR.full_name)
                .order_by(tables.outbox.c.seq)
            )
            found = []
            for (payload,) in rows.all():
                message = message_type()
                message.ParseFromString(payload)
                found.append(message)
            return found

    async def notifications(self) -> list[ev.NotificationRequested]:
        return await self.outbox(ev.NotificationRequested)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.sessions() as session:
            return await session.scalar(text(sql), params)


def explanation_pb(reason: str = "") -> pb.Explanation:
    e = explanation(reason) if reason else explanation()
    return pb.Explanation(
        discipline=e.discipline,
        lesson_types=list(e.lesson_types),
        course=e.course,
        group=e.group,
        specialty=e.specialty,
        wrong_date=e.wrong_date,
        reason=e.reason,
    )


@asynccontextmanager
async def running_service(
    database_url: str,
    temporal_address: str,
    *,
    gradebook: FakeGradebook | None = None,
    clock: Callable[[], datetime] | None = None,
    activity_timeout_seconds: float = 30.0,
    processes: Callable[[Client, str], CaseProcesses] = CaseProcesses,
) -> AsyncIterator[Harness]:
    engine = make_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)

    def unit_of_work() -> UnitOfWork:
        return UnitOfWork(sessions, outbox)

    # A dev server whose port was seen open may still refuse a first connection on a loaded machine.
    async for attempt in stamina.retry_context(on=RuntimeError, attempts=30, timeout=60, wait_max=2):
        with attempt:
            client = await Client.connect(temporal_address, namespace="ejournal")
    queue = f"workflow-test-{uuid.uuid4().hex[:8]}"
    fake = gradebook or FakeGradebook()
    now = clock or (lambda: datetime.now(UTC))
    deps = Deps(unit_of_work, fake, processes(client, queue), now, activity_timeout_seconds)
    keys = TestTokens()
    server = GrpcServer(keys.verifier_authenticator())
    server.add(pb_grpc.add_WorkflowServiceServicer_to_server, WorkflowServicer(deps), SERVICE)
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    worker = build_worker(client, queue, unit_of_work, fake)
    try:
        async with worker:
            yield Harness(
                pb_grpc.WorkflowServiceStub(channel),
                keys,
                sessions,
                engine,
                fake,
                client,
                queue,
                channel=channel,
            )
    finally:
        await channel.close()
        await server.stop(grace=1)
        await engine.dispose()
