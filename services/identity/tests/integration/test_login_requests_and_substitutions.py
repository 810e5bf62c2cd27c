"""Login requests for new teachers (KZ-15, form KZ-17) and substitutions (KZ-07, KG-07)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import grpc
import pytest

from ejournal.identity.v1 import events_pb2 as ev
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.grpc.status import field_violations
from services.identity.tests.harness import KG_MATH, KZ_ANAT, KZ_MED, KZ_PHYS, KZ_U, Identity, pid

pytestmark = pytest.mark.integration


async def refused(identity: Identity, login: str, rpc: str, request: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await identity.call(login, rpc, request)  # type: ignore[arg-type]
    return error.value


def form(**overrides: str) -> pb.SubmitLoginRequestRequest:
    fields = {
        "request_id": uuid.uuid4().hex, "department_id": KZ_ANAT, "faculty_id": KZ_MED, "university_id": KZ_U,
        "last_name": "Нұрланова", "first_name": "Дәмелі", "patronymic": "Асқарқызы", "language": "kk",
        "position": "аға оқытушы", "email": "d.nurlanova@kaznmu.kz", "outgoing_number": "Шығ. № 15-07/112",
        "profile_code": "kz-medical",
    }  # fmt: skip
    fields.update(overrides)
    return pb.SubmitLoginRequestRequest(**fields)


@pytest.mark.rule("KZ-15", "KZ-17")
async def test_new_teacher_gets_a_login_on_the_department_heads_request(identity: Identity) -> None:
    submitted = (await identity.call("kz.head.anatomy", "SubmitLoginRequest", form())).login_request
    assert submitted.status == pb.LOGIN_REQUEST_STATUS_SUBMITTED and submitted.requested_by == pid(
        "kz.head.anatomy"
    )
    assert (submitted.position, submitted.email, submitted.outgoing_number) == (
        "аға оқытушы", "d.nurlanova@kaznmu.kz", "Шығ. № 15-07/112"
    )  # fmt: skip
    # Another department's head can neither file for anatomy nor see anatomy's requests.
    other = await refused(identity, "kz.head.physiology", "SubmitLoginRequest", form())
    assert other.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = await identity.call("kz.head.physiology", "ListLoginRequests", pb.ListLoginRequestsRequest())
    assert list(listed.login_requests) == []
    # The head cannot issue it; the administrator (IT) does, creating the teacher in one step.
    decide = pb.DecideLoginRequestRequest(
        login_request_id=submitted.login_request_id, approve=True, login="d.nurlanova"
    )
    assert (await refused(identity, "kz.head.anatomy", "DecideLoginRequest", decide)).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    issued = await identity.call("kz.admin", "DecideLoginRequest", decide)
    assert issued.login_request.status == pb.LOGIN_REQUEST_STATUS_ISSUED and issued.generated_password
    teacher_id = issued.login_request.person_id
    reply = await identity.stub.Login(
        pb.LoginRequest(login="d.nurlanova", password=issued.generated_password)
    )
    assert reply.person_id == teacher_id
    roles = await identity.call("kz.admin", "ListRoles", pb.ListRolesRequest(person_id=teacher_id))
    assert [(a.role, a.scope_id) for a in roles.assignments] == [("teacher", KZ_ANAT)]
    again = await refused(identity, "kz.admin", "DecideLoginRequest", decide)
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.rule("KZ-15")
async def test_kz_medical_refuses_a_teacher_login_without_a_login_request(identity: Identity) -> None:
    person = await identity.call(
        "kz.admin", "CreatePerson",
        pb.CreatePersonRequest(login="no.request", last_name="Ахметов", first_name="Берік", language="kk",
                               category=pb.PERSON_CATEGORY_STAFF, profile_code="kz-medical",
                               placement=pb.Placement(university_id=KZ_U, faculty_id=KZ_MED, department_id=KZ_ANAT)),  # noqa: E501
    )  # fmt: skip
    grant = pb.GrantRoleRequest(
        person_id=person.person.person_id, role="teacher", scope_type="department", scope_id=KZ_ANAT
    )
    error = await refused(identity, "kz.admin", "GrantRole", grant)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION and "KZ-15" in error.details()
    assert field_violations(error) == [("role", error.details())]


@pytest.mark.rule("KZ-17")
async def test_login_request_form_must_be_complete(identity: Identity) -> None:
    before = await identity.snapshot()
    error = await refused(
        identity, "kz.head.anatomy", "SubmitLoginRequest", form(position="", email="not-mail")
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {f for f, _ in field_violations(error)} == {"position", "email"}
    assert await identity.snapshot() == before


def appoint(**overrides: object) -> pb.AppointSubstituteRequest:
    today = date.today()
    fields: dict[str, object] = {
        "request_id": uuid.uuid4().hex,
        "absent_teacher_id": pid("kz.teacher1"),
        "substitute_id": pid("kz.teacher2"),
        "department_id": KZ_ANAT,
        "journal_ids": ["journal-anat-101-lectures"],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=6)).isoformat(),
        "decision": pb.DecisionReference(
            protocol_number="7", protocol_date=(today - timedelta(days=1)).isoformat()
        ),
        "reason": "sick leave",
    }
    fields.update(overrides)
    return pb.AppointSubstituteRequest(**fields)  # type: ignore[arg-type]


@pytest.mark.rule("KZ-07")
async def test_department_head_appoints_a_substitute_and_the_registrar_is_notified(
    identity: Identity,
) -> None:
    request = appoint()
    made = (await identity.call("kz.head.anatomy", "AppointSubstitute", request)).substitution
    assert made.decision.protocol_number == "7" and made.appointed_by == pid("kz.head.anatomy")
    # Idempotent on request_id: a retried appointment does not appoint twice.
    again = (await identity.call("kz.head.anatomy", "AppointSubstitute", request)).substitution
    assert again.substitution_id == made.substitution_id
    events = await identity.events(ev.SubstitutionAppointed)
    assert len(events) == 1
    event = events[0]
    assert (event.absent_teacher_id, event.substitute_id) == (pid("kz.teacher1"), pid("kz.teacher2"))
    assert (event.protocol_number, event.protocol_date) == ("7", request.decision.protocol_date)
    assert list(event.journal_ids) == ["journal-anat-101-lectures"] and event.department_id == KZ_ANAT
    # The registrar office sees it; the substitute sees it (their own login is what they fill with).
    registrar = await identity.call(
        "kz.registrar", "ListSubstitutions", pb.ListSubstitutionsRequest(active_on=request.starts_on)
    )
    assert [s.substitution_id for s in registrar.substitutions] == [made.substitution_id]
    # the list names both teachers, as identity holds them (a page needs no call per person)
    listed = registrar.substitutions[0]
    assert listed.absent_teacher_name == await identity.scalar(
        "SELECT concat_ws(' ', last_name, first_name, nullif(patronymic, ''))"
        " FROM people WHERE login = 'kz.teacher1'"
    )
    assert listed.substitute_name and made.substitute_name == listed.substitute_name
    mine = await identity.call(
        "kz.teacher2", "ListSubstitutions", pb.ListSubstitutionsRequest(teacher_id=pid("kz.teacher2"))
    )
    assert [s.substitution_id for s in mine.substitutions] == [made.substitution_id]
    stranger = await identity.call("kz.teacher3", "ListSubstitutions", pb.ListSubstitutionsRequest())
    assert list(stranger.substitutions) == []
    # Ending it publishes SubstitutionEnded; it is then no longer in force today.
    ended = await identity.call(
        "kz.head.anatomy",
        "EndSubstitution",
        pb.EndSubstitutionRequest(substitution_id=made.substitution_id, reason="back"),
    )  # fmt: skip
    assert ended.substitution.ended_on < request.starts_on or ended.substitution.ended_on == ""
    assert (await identity.events(ev.SubstitutionEnded))[0].substitution_id == made.substitution_id
    today = await identity.call(
        "kz.registrar", "ListSubstitutions", pb.ListSubstitutionsRequest(active_on=request.starts_on)
    )
    assert list(today.substitutions) == []


@pytest.mark.rule("KZ-07", "KG-07")
async def test_substitution_outside_ones_department_is_refused_with_a_reason(identity: Identity) -> None:
    before = await identity.snapshot()
    # Physiology's head cannot appoint in anatomy.
    other_head = await refused(identity, "kz.head.physiology", "AppointSubstitute", appoint())
    assert other_head.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "department" in other_head.details()
    # Anatomy's head cannot borrow a teacher of another department through their own department.
    foreign = await refused(
        identity, "kz.head.anatomy", "AppointSubstitute", appoint(substitute_id=pid("kz.teacher3"))
    )
    assert foreign.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert field_violations(foreign)[0][0] == "substitute_id" and KZ_ANAT in foreign.details()
    # A teacher cannot appoint at all.
    teacher = await refused(identity, "kz.teacher2", "AppointSubstitute", appoint())
    assert teacher.code() == grpc.StatusCode.PERMISSION_DENIED
    assert KZ_PHYS != KZ_ANAT
    assert await identity.snapshot() == before


@pytest.mark.rule("KZ-07")
async def test_kz_medical_requires_the_department_meeting_decision(identity: Identity) -> None:
    before = await identity.snapshot()
    error = await refused(
        identity, "kz.head.anatomy", "AppointSubstitute", appoint(decision=pb.DecisionReference())
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = {f for f, _ in field_violations(error)}
    assert fields == {"decision.protocol_number", "decision.protocol_date"}
    assert await identity.snapshot() == before


@pytest.mark.rule("KG-07")
async def test_kg_jasu_head_appoints_a_substitute_for_an_absent_teacher(identity: Identity) -> None:
    request = appoint(
        absent_teacher_id=pid("kg.teacher1"), substitute_id=pid("kg.teacher2"), department_id=KG_MATH,
        decision=pb.DecisionReference(), journal_ids=[], course_unit_ids=["kg-cu-algebra-1"],
    )  # fmt: skip
    made = (await identity.call("kg.head.math", "AppointSubstitute", request)).substitution
    assert list(made.course_unit_ids) == ["kg-cu-algebra-1"]
    event = (await identity.events(ev.SubstitutionAppointed))[-1]
    assert event.substitute_id == pid("kg.teacher2") and event.absent_teacher_id == pid("kg.teacher1")
    # Overlapping second substitute for the same absence is refused.
    clash = await refused(identity, "kg.head.math", "AppointSubstitute", appoint(
        absent_teacher_id=pid("kg.teacher1"), substitute_id=pid("kg.head.math"), department_id=KG_MATH,
        decision=pb.DecisionReference(), journal_ids=["j"],
    ))  # fmt: skip
    assert clash.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_substitution_bad_input(identity: Identity) -> None:
    cases = [
        (appoint(substitute_id=pid("kz.teacher1")), "substitute_id"),
        (appoint(journal_ids=[]), "journal_ids"),
        (appoint(ends_on="2020-01-01"), "ends_on"),
        (appoint(starts_on="tomorrow"), "starts_on"),
    ]
    for request, field in cases:
        error = await refused(identity, "kz.head.anatomy", "AppointSubstitute", request)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert field in {f for f, _ in field_violations(error)}, (field, field_violations(error))
