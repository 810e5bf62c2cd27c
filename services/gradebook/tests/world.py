"""Test world for the gradebook: a fresh migrated database, the curriculum and identity facts a test
needs (applied through the real projection handlers), a gRPC server with real token verification,
and people with real signed tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import grpc
from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.db import make_engine
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.tokens import TestTokens
from services.gradebook.adapters import tables
from services.gradebook.adapters.classroom_secrets import StaticClassroomSecrets
from services.gradebook.domain.vocabulary import journal_id_for
from services.gradebook.entrypoints.grpc_api import GradebookServicer
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.projections import Projector

SERVICE = pb.DESCRIPTOR.services_by_name["GradebookService"].full_name
LESSON_TYPES = {
    name: cur.LessonType.Value(f"LESSON_TYPE_{name.upper()}")
    for name in ("lecture", "practical", "seminar", "laboratory", "clinical", "self_study")
}
CONTROL_KINDS = {
    name: cur.ControlEventKind.Value(f"CONTROL_EVENT_KIND_{name.upper()}")
    for name in ("current", "midterm", "intermediate_attestation", "final_attestation")
}
UNIT_KINDS = {
    name: cur.CourseUnitKind.Value(f"COURSE_UNIT_KIND_{name.upper()}")
    for name in ("discipline", "integrated_discipline", "block", "module", "modular_discipline")
}


def new_id() -> str:
    return str(uuid.uuid4())


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class JournalSetup:
    journal_id: str
    teacher_id: str
    course_unit_id: str
    group_id: str
    term_id: str
    students: list[str]
    lessons: list[str]
    sections: dict[str, str]  # control kind -> control event id
    department_id: str
    faculty_id: str
    classroom_id: str
    profile: str
    extra: dict[str, Any] = field(default_factory=dict)


class World:
    def __init__(self, url: str, admin_url: str = "") -> None:
        self.url = url  # the service's own least-privileged role
        self.admin_url = admin_url or url  # the database superuser: an operator, not the service
        self.engine: AsyncEngine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.outbox = OutboxWriter(tables.outbox)
        self.secrets = StaticClassroomSecrets()
        self.clock = Clock()
        self.gradebook = Gradebook(self.sessions, self.outbox, self.secrets, self.clock)
        self.projector = Projector(self.secrets)
        self.tokens = TestTokens()
        self.server: GrpcServer | None = None
        self.channel: grpc.aio.Channel | None = None
        self.stub: pb_grpc.GradebookServiceStub | None = None

    async def start(self) -> None:
        self.server = GrpcServer(self.tokens.verifier_authenticator())
        self.server.add(
            pb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(self.gradebook), SERVICE
        )
        port = await self.server.start("127.0.0.1", 0)
        self.channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
        self.stub = pb_grpc.GradebookServiceStub(self.channel)

    async def stop(self) -> None:
        if self.channel is not None:
            await self.channel.close()
        if self.server is not None:
            await self.server.stop(0)
        await self.engine.dispose()

    # -- people ------------------------------------------------------------------------------------

    def teacher(self, person_id: str, department_id: str = "") -> tuple[tuple[str, str]]:
        return bearer(self.tokens.token(person_id, ("teacher", "department", department_id or new_id())))

    def student(self, person_id: str, group_id: str = "") -> tuple[tuple[str, str]]:
        scope = ("student", "group", group_id) if group_id else ("student", "student", person_id)
        return bearer(self.tokens.token(person_id, scope))

    def parent(self, person_id: str, child_id: str) -> tuple[tuple[str, str]]:
        return bearer(self.tokens.token(person_id, ("parent", "student", child_id)))

    def service(self, name: str = "workflow") -> tuple[tuple[str, str]]:
        return bearer(self.tokens.token(f"service:{name}", ("service", "university", "*")))

    def person(self, person_id: str, *roles: tuple[str, str, str]) -> tuple[tuple[str, str]]:
        return bearer(self.tokens.token(person_id, *roles))

    # -- curriculum and identity facts ---------------------------------------------------------------

    async def apply(self, *messages: Message) -> None:
        for message in messages:
            event = ReceivedEvent(
                id=new_id(),
                type=message.DESCRIPTOR.full_name,
                source="test",
                subject="",
                time="",
                data=message.SerializeToString(),
                headers={},
            )
            async with self.gradebook.unit_of_work() as uow:
                await self.projector.handle(uow, event)
                await uow.commit()

    async def journal(
        self,
        profile: str = "kz-medical",
        students: int = 3,
        lessons: int = 3,
        controls: tuple[str, ...] = ("current", "midterm", "intermediate_attestation"),
        lesson_type: str = "practical",
        start: date | None = None,
        course_unit_id: str | None = None,
        group_id: str | None = None,
        term_id: str | None = None,
        student_ids: list[str] | None = None,
        unit_kind: str = "discipline",
        parent_id: str = "",
        department_id: str | None = None,
        faculty_id: str | None = None,
        is_last_part: bool = False,
        position: int = 0,
    ) -> JournalSetup:
        start = start or date.today() - timedelta(days=lessons + 2)
        unit, group, term = course_unit_id or new_id(), group_id or new_id(), term_id or new_id()
        teacher, department, classroom = new_id(), department_id or new_id(), new_id()
        faculty = faculty_id or new_id()
        self.secrets.secrets[classroom] = uuid.uuid4().bytes * 2
        await self.apply(
            cur.CourseUnitDefined(
                course_unit_id=unit,
                kind=UNIT_KINDS[unit_kind],
                parent_id=parent_id,
                profile_code=profile,
                title="Қалыпты физиология",
                term_id=term,
                course_number=2,
                department_id=department,
                faculty_id=faculty,
                revision=1,
                position=position,
                is_last_part=is_last_part,
                has_own_exam=unit_kind in ("discipline", "integrated_discipline", "modular_discipline"),
            )
        )
        ids = student_ids if student_ids is not None else [new_id() for _ in range(students)]
        if student_ids is None:
            for s in ids:
                await self.apply(
                    cur.StudentEnrolled(
                        movement_id=new_id(),
                        student_id=s,
                        group_id=group,
                        effective_date="2026-09-01",
                        faculty_id=faculty,
                    )
                )
        await self.apply(
            cur.TeachingLoadAssigned(
                load_id=new_id(),
                teacher_id=teacher,
                course_unit_id=unit,
                group_id=group,
                lesson_type=LESSON_TYPES[lesson_type],
                term_id=term,
                department_id=department,
                faculty_id=faculty,
                hours=30,
                profile_code=profile,
                revision=1,
            )
        )
        lesson_ids = []
        for i in range(lessons):
            lesson_id = new_id()
            lesson_ids.append(lesson_id)
            await self.apply(
                cur.LessonScheduled(
                    lesson_id=lesson_id,
                    course_unit_id=unit,
                    group_id=group,
                    lesson_type=LESSON_TYPES[lesson_type],
                    date=(start + timedelta(days=i)).isoformat(),
                    starts_at="09:00",
                    ends_at="10:30",
                    classroom_id=classroom,
                    topic=f"Тақырып {i + 1}",
                    number=i + 1,
                    teacher_id=teacher,
                    term_id=term,
                    revision=1,
                )
            )
        sections = {}
        for k, kind in enumerate(controls):
            ce = new_id()
            sections[kind] = ce
            await self.apply(
                cur.ControlEventScheduled(
                    control_event_id=ce,
                    kind=CONTROL_KINDS[kind],
                    course_unit_id=unit,
                    group_id=group,
                    date=(start + timedelta(days=lessons + k)).isoformat(),
                    term_id=term,
                    profile_code=profile,
                    department_id=department,
                    faculty_id=faculty,
                    revision=1,
                )
            )
        journal_id = str(journal_id_for(term, unit, group, None, lesson_type))
        return JournalSetup(
            journal_id,
            teacher,
            unit,
            group,
            term,
            ids,
            lesson_ids,
            sections,
            department,
            faculty,
            classroom,
            profile,
        )

    async def substitute(self, j: JournalSetup, substitute_id: str) -> None:
        today = date.today()
        await self.apply(
            idn.SubstitutionAppointed(
                substitution_id=new_id(),
                absent_teacher_id=j.teacher_id,
                substitute_id=substitute_id,
                department_id=j.department_id,
                journal_ids=[j.journal_id],
                starts_on=(today - timedelta(days=1)).isoformat(),
                ends_on=(today + timedelta(days=5)).isoformat(),
                protocol_number="7",
                protocol_date=today.isoformat(),
                appointed_by=new_id(),
                reason="ауырып қалды",
            )
        )

    # -- calls ---------------------------------------------------------------------------------------

    @property
    def rpc(self) -> pb_grpc.GradebookServiceStub:
        assert self.stub is not None
        return self.stub

    async def write(
        self,
        j: JournalSetup,
        cells: list[tuple[str, str, str]],
        who: tuple[tuple[str, str]] | None = None,
        key: str | None = None,
        reason: str = "",
        versions: list[int | None] | None = None,
    ) -> pb.WriteMarksResponse:
        request = pb.WriteMarksRequest(
            journal_id=j.journal_id, idempotency_key=key or new_id(), reason=reason
        )
        for i, (column, student, value) in enumerate(cells):
            cell = request.cells.add(column_id=column, student_id=student, value=value)
            if versions is not None and versions[i] is not None:
                cell.expected_version = versions[i]  # type: ignore[assignment]
        response: pb.WriteMarksResponse = await self.rpc.WriteMarks(
            request, metadata=who or self.teacher(j.teacher_id)
        )
        return response

    async def sql(self, statement: str, *params: Any) -> list[Any]:
        """Plain SQL as the service's own database role (what a bypass of the service would do)."""
        import psycopg

        url = self.url.replace("postgresql+psycopg://", "postgresql://")
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            cur_ = await conn.execute(statement, params or None)
            return await cur_.fetchall() if cur_.description else []


@asynccontextmanager
async def world(url: str, admin_url: str = "") -> AsyncIterator[World]:
    w = World(url, admin_url)
    await w.start()
    try:
        yield w
    finally:
        await w.stop()
