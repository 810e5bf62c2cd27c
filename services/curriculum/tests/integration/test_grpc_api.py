"""The curriculum service over a real grpc.aio server with the platform's interceptors: requests are
translated to use cases, refusals carry the field, imports stream progress, the QR secret is guarded,
and an event exists only if its change does (one transaction with the outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import grpc
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import Unauthenticated
from ejournal_platform.events import Event
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.grpc.status import field_violations
from ejournal_platform.outbox import OutboxWriter
from services.curriculum.adapters import tables
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models import Movement
from services.curriculum.entrypoints.grpc_api import CurriculumServicer
from services.curriculum.entrypoints.main import PUBLIC_METHODS, SERVICE
from services.curriculum.service_layer import contingent
from services.curriculum.service_layer.contingent import EnrollStudent, OrderInput
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.tests.integration.conftest import SYSTEM, person, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events
from services.curriculum.tests.integration.world import World

pytestmark = pytest.mark.integration


class Tokens:
    """Test authenticator: a token is the name of a principal registered here."""

    def __init__(self) -> None:
        self.people: dict[str, Principal] = {}

    async def authenticate(self, token: str) -> Principal:
        if token not in self.people:
            raise Unauthenticated("token is not valid", field="authorization")
        return self.people[token]


@pytest.fixture
async def api(deps: Deps, world: World) -> AsyncIterator[tuple[pb_grpc.CurriculumServiceStub, Tokens]]:
    tokens = Tokens()
    tokens.people["setup"] = SYSTEM
    tokens.people["registrar"] = registrar(world.university)
    tokens.people["teacher"] = person("t-1", "teacher", "department", world.dept_a)
    tokens.people["gradebook"] = Principal(
        "gradebook", (RoleGrant("service", "university", "*"),), is_service=True
    )
    server = GrpcServer(tokens, PUBLIC_METHODS)
    server.add(pb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(deps), SERVICE)
    port = await server.start("127.0.0.1", 0)
    await server.set_serving(True)
    channel = open_channel(f"127.0.0.1:{port}")
    yield pb_grpc.CurriculumServiceStub(channel), tokens
    await channel.close()
    await server.stop(0)


async def test_profiles_are_public_and_describe_their_scales(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens],
) -> None:
    stub, _ = api
    profiles = {p.code: p for p in (await stub.ListProfiles(pb.ListProfilesRequest())).profiles}
    assert list(profiles["kg-jasu"].allowed_marks) == ["5", "4", "3", "2", "нб"]
    assert list(profiles["kz-medical"].allowed_marks) == ["н/б", "0..100"]
    document = await stub.GetProfile(pb.GetProfileRequest(code="kz-medical"))
    assert '"н/б"' in document.document_json and '"reprimand"' in document.document_json


async def test_a_refusal_names_the_field(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens], world: World
) -> None:
    stub, _ = api
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.DefineAcademicYear(
            pb.DefineAcademicYearRequest(
                university_id=world.university,
                code="2030-2031",
                starts_on="2030-09-01",
                ends_on="2031-06-30",
                terms=[
                    pb.TermSpec(number=1, starts_on="2030-09-01", ends_on="2031-01-31"),
                    pb.TermSpec(number=2, starts_on="2031-01-15", ends_on="2031-06-15"),
                ],
            ),
            metadata=bearer("registrar"),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert any(f == "terms" and "overlaps" in r for f, r in field_violations(caught.value))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ListGroups(pb.ListGroupsRequest(academic_year_id=world.year))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_an_enum_number_the_contract_does_not_define_is_refused_by_field(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens], world: World
) -> None:
    """A newer or forged client may send any number for an enum: a refusal naming the field, not INTERNAL."""
    stub, _ = api
    unknown = 99
    calls = [
        (stub.ScheduleControlEvent, pb.ScheduleControlEventRequest(
            kind=unknown, course_unit_id=world.university, group_id=world.group1, date="2026-10-01"), "kind"),  # type: ignore[arg-type]
        (stub.ChangeDeadline, pb.ChangeDeadlineRequest(
            control_event_id=world.group1, deadline_kind=unknown, new_deadline="2026-10-05T18:00:00+05:00",  # type: ignore[arg-type]
            reason="тест"), "deadline_kind"),
        (stub.DefineCourseUnit, pb.DefineCourseUnitRequest(
            academic_year_id=world.year, specialty_id=world.specialty, course_number=1, term_number=1,
            kind=unknown, code="X-1", title="Пән", department_id=world.dept_a, credits="5"), "kind"),  # type: ignore[arg-type]
        (stub.DefineCourseUnit, pb.DefineCourseUnitRequest(
            academic_year_id=world.year, specialty_id=world.specialty, course_number=1, term_number=1,
            kind=ev.COURSE_UNIT_KIND_DISCIPLINE, code="X-1", title="Пән", department_id=world.dept_a,
            credits="5", hours=[ev.LessonHours(lesson_type=unknown, hours=30)]), "hours[0].lesson_type"),  # type: ignore[arg-type]
    ]  # fmt: skip
    for call, request, field in calls:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call(request, metadata=bearer("setup"))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (field, caught.value.details())
        assert field in {f for f, _ in field_violations(caught.value)}, (field, caught.value.details())


@pytest.mark.rule("KG-02", "KZ-15")
async def test_groups_members_and_loads_through_the_api(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens], world: World
) -> None:
    stub, _ = api
    groups = (
        await stub.ListGroups(pb.ListGroupsRequest(academic_year_id=world.year), metadata=bearer("teacher"))
    ).groups
    assert [(g.code, [s.code for s in g.subgroups]) for g in groups] == [
        ("ЖМ-101", []),
        ("ЖМ-102", ["1", "2"]),
    ]
    student = str(person_id_for_login("aizhan.nurlanovna"))
    await stub.EnrollStudent(
        pb.EnrollStudentRequest(
            student_id=student,
            group_id=world.group2,
            subgroup_id=world.subgroup_a,
            order=ev.Order(number="124-с", date="2026-08-20"),
            effective_date="2026-09-01",
            student_name="Айжан Нұрланқызы",
        ),
        metadata=bearer("registrar"),
    )
    members = await stub.ListGroupMembers(
        pb.ListGroupMembersRequest(group_id=world.group2, on_date="2026-09-15"), metadata=bearer("registrar")
    )
    assert [
        (m.student_id, m.student_name, m.subgroup_id, m.since, m.order.number, m.order.date)
        for m in members.members
    ] == [(student, "Айжан Нұрланқызы", world.subgroup_a, "2026-09-01", "124-с", "2026-08-20")]
    unit = await stub.DefineCourseUnit(
        pb.DefineCourseUnitRequest(
            academic_year_id=world.year,
            specialty_id=world.specialty,
            course_number=1,
            term_number=1,
            kind=ev.COURSE_UNIT_KIND_MODULE,
            code="MOD-A",
            title="Модуль",
            department_id=world.dept_a,
            credits="6",
            parts=[
                pb.CourseUnitPart(
                    code="MOD-A-1",
                    title="Модульдік пән",
                    department_id=world.dept_b,
                    credits="6",
                    hours=[ev.LessonHours(lesson_type=ev.LESSON_TYPE_SEMINAR, hours=30)],
                )
            ],
        ),
        metadata=bearer("setup"),
    )
    assert unit.course_unit.profile_code == "kz-medical" and unit.course_unit.parts[0].hours_total == 30
    load = await stub.AssignTeachingLoad(
        pb.AssignTeachingLoadRequest(
            teacher_id=str(person_id_for_login("g.akhmetova")),
            course_unit_id=unit.course_unit.parts[0].id,
            group_id=world.group2,
            subgroup_id=world.subgroup_b,
            lesson_type=ev.LESSON_TYPE_SEMINAR,
            hours=30,
        ),
        metadata=bearer("registrar"),
    )
    assert load.teaching_load.subgroup_id == world.subgroup_b and load.teaching_load.term_id == world.term1


@pytest.mark.rule("KZ-15")
async def test_import_streams_progress_then_the_result(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens], world: World
) -> None:
    stub, _ = api
    rows = ["student_login;group;order_number;order_date;effective_date"]
    rows += [f"s{i};ЖМ-101;124-с;2026-08-20;2026-09-01" for i in range(12_000)]
    updates = [
        u
        async for u in stub.ImportFile(
            pb.ImportFileRequest(
                kind=pb.IMPORT_KIND_CONTINGENT,
                file_name="big.csv",
                content="\n".join(rows).encode(),
                language="en",
                academic_year_id=world.year,
            ),
            metadata=bearer("registrar"),
        )
    ]
    stages = [u.progress.stage for u in updates if u.HasField("progress")]
    assert stages[0] == "reading" and "validating" in stages and stages[-1] == "applying"
    result = updates[-1].result
    assert (result.status, result.rows_total, result.rows_changed) == ("applied", 12_000, 12_000)
    fetched = await stub.GetImport(
        pb.GetImportRequest(import_id=result.import_id), metadata=bearer("registrar")
    )
    assert fetched.result.status == "applied" and fetched.kind == "contingent"
    got = fetched.result  # issue 22: the counts are kept with the import
    assert (got.rows_added, got.rows_updated, got.rows_removed, got.removals_refused) == (12_000, 0, 0, 0)
    assert not fetched.sync


@pytest.mark.rule("KG-09")
async def test_the_qr_secret_goes_to_the_gradebook_only(
    api: tuple[pb_grpc.CurriculumServiceStub, Tokens], world: World, deps: Deps
) -> None:
    stub, _ = api
    first = await stub.GetClassroomSecret(
        pb.GetClassroomSecretRequest(classroom_id=world.room), metadata=bearer("gradebook")
    )
    assert len(first.secret) == 32 and first.secret_version == 1
    for who in ("teacher", "registrar"):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.GetClassroomSecret(
                pb.GetClassroomSecretRequest(classroom_id=world.room), metadata=bearer(who)
            )
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await stub.RotateClassroomSecret(
        pb.RotateClassroomSecretRequest(classroom_id=world.room), metadata=bearer("setup")
    )
    second = await stub.GetClassroomSecret(
        pb.GetClassroomSecretRequest(classroom_id=world.room), metadata=bearer("gradebook")
    )
    assert second.secret_version == 2 and second.secret != first.secret
    [rotated] = await outbox_events(deps, ev.ClassroomSecretRotated)
    assert rotated.secret_version == 2 and first.secret not in rotated.SerializeToString()


class FailingOutbox(OutboxWriter):
    async def write(self, session: AsyncSession, events: Sequence[Event]) -> None:
        raise RuntimeError("outbox unavailable")


@pytest.mark.rule("KZ-15")
async def test_no_change_without_its_event(deps: Deps, world: World, engine: AsyncEngine) -> None:
    """The event is written in the change's own transaction: if it cannot be, the change is not made."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    failing = Deps(uow=unit_of_work_factory(sessions, FailingOutbox(tables.outbox)), clock=deps.clock)
    caller = registrar(world.university)
    with pytest.raises(RuntimeError, match="outbox unavailable"):
        await contingent.enroll_student(
            failing,
            caller,
            EnrollStudent(
                student_id=str(person_id_for_login("x")),
                group_id=world.group1,
                subgroup_id="",
                order=OrderInput("1", "2026-08-20", "2026-09-01"),
            ),
        )
    assert await count(deps, Movement) == 0
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=str(person_id_for_login("x")),
            group_id=world.group1,
            subgroup_id="",
            order=OrderInput("1", "2026-08-20", "2026-09-01"),
        ),
    )
    assert await count(deps, Movement) == 1 and len(await outbox_events(deps, ev.StudentEnrolled)) == 1
