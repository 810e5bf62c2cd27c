"""People, personal accounts (KZ-11), credentials by profile (KG-03), administration (KG-14)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import grpc
import pytest

from ejournal.identity.v1 import events_pb2 as ev
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.grpc.status import field_violations
from services.identity.tests.harness import (
    KG_G1,
    KG_PED,
    KG_PHYSMATH,
    KG_U,
    KZ_ANAT,
    KZ_MED,
    KZ_U,
    Identity,
    pid,
)

pytestmark = pytest.mark.integration


def new_person(login: str, **overrides: object) -> pb.CreatePersonRequest:
    fields: dict[str, object] = {
        "request_id": uuid.uuid4().hex,
        "login": login,
        "last_name": "Қасымова",
        "first_name": "Әсел",
        "patronymic": "Ғаниқызы",
        "language": "kk",
        "category": pb.PERSON_CATEGORY_STAFF,
        "placement": pb.Placement(university_id=KZ_U, faculty_id=KZ_MED),
        "profile_code": "kz-medical",
    }
    fields.update(overrides)
    return pb.CreatePersonRequest(**fields)  # type: ignore[arg-type]


async def refused(identity: Identity, login: str | None, rpc: str, request: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await identity.call(login, rpc, request)  # type: ignore[arg-type]
    return error.value


@pytest.mark.rule("KG-14")
async def test_administrator_registers_a_person_with_names_kept_exactly(identity: Identity) -> None:
    reply = await identity.call("kz.admin", "CreatePerson", new_person("a.kasymova"))
    person = reply.person
    assert (person.last_name, person.first_name, person.patronymic) == ("Қасымова", "Әсел", "Ғаниқызы")
    assert person.status == pb.ACCOUNT_STATUS_ACTIVE and not person.has_credentials
    kyrgyz = await identity.call(
        "kg.admin",
        "CreatePerson",
        new_person("u.toktosunova", last_name="Токтосунова", first_name="Үмүт", patronymic="Өмүрбековна",
                   language="ky", placement=pb.Placement(university_id=KG_U), profile_code="kg-jasu"),
    )  # fmt: skip
    assert kyrgyz.person.first_name == "Үмүт" and kyrgyz.person.patronymic == "Өмүрбековна"
    created = await identity.events(ev.PersonCreated)
    assert [e.full_name for e in created[-2:]] == ["Қасымова Әсел Ғаниқызы", "Токтосунова Үмүт Өмүрбековна"]
    history = await identity.call(
        "kz.admin", "GetPersonHistory", pb.GetPersonHistoryRequest(person_id=person.person_id)
    )
    assert [(e.actor_id, e.action) for e in history.entries] == [(pid("kz.admin"), "person.created")]
    assert json.loads(history.entries[0].details_json)["name"] == "Қасымова Әсел Ғаниқызы"


async def test_create_person_is_idempotent_on_its_request_id(identity: Identity) -> None:
    request = new_person("retry.me")
    first = await identity.call("kz.admin", "CreatePerson", request)
    again = await identity.call("kz.admin", "CreatePerson", request)
    assert first.person.person_id == again.person.person_id
    assert await identity.scalar("SELECT count(*) FROM people WHERE login = 'retry.me'") == 1


@pytest.mark.rule("KZ-11")
async def test_logins_are_personal_one_account_per_person(identity: Identity) -> None:
    first = await identity.call(
        "kz.admin", "CreatePerson", new_person("a.person", personal_number="990101300123")
    )
    before = await identity.snapshot()
    # The same login for someone else: refused (a shared login would make marks unattributable).
    taken = await refused(identity, "kz.admin", "CreatePerson", new_person("A.Person", last_name="Другой"))
    assert taken.code() == grpc.StatusCode.ALREADY_EXISTS
    assert field_violations(taken)[0][0] == "login"
    # A second account for the same person (same national id): refused too.
    twin = await refused(
        identity, "kz.admin", "CreatePerson", new_person("a.person2", personal_number="990101300123")
    )
    assert twin.code() == grpc.StatusCode.ALREADY_EXISTS and field_violations(twin)[0][0] == "personal_number"
    assert await identity.snapshot() == before
    # Every write is attributed to the person whose token made it: the audit names the actor.
    await identity.call(
        "kz.admin", "IssueCredentials", pb.IssueCredentialsRequest(person_id=first.person.person_id)
    )
    history = await identity.call(
        "kz.admin", "GetPersonHistory", pb.GetPersonHistoryRequest(person_id=first.person.person_id)
    )
    assert {e.actor_id for e in history.entries} == {pid("kz.admin")}
    assert "password" not in history.entries[-1].details_json.replace("password_", "")


@pytest.mark.rule("KG-03")
async def test_kg_jasu_credentials_come_from_the_administrator_or_the_deans_office(
    identity: Identity,
) -> None:
    student, teacher = pid("kg.student1"), pid("kg.teacher1")
    # Students: the dean's office of their faculty; not another faculty's, not the administrator.
    issued = await identity.call(
        "kg.deanoffice.physmath", "IssueCredentials", pb.IssueCredentialsRequest(person_id=student)
    )
    assert issued.login == "kg.student1" and len(issued.generated_password) >= 12
    other_faculty = await refused(
        identity, "kg.deanoffice.ped", "IssueCredentials", pb.IssueCredentialsRequest(person_id=student)
    )
    assert other_faculty.code() == grpc.StatusCode.PERMISSION_DENIED
    admin_for_student = await refused(
        identity, "kg.admin", "IssueCredentials", pb.IssueCredentialsRequest(person_id=student)
    )
    assert admin_for_student.code() == grpc.StatusCode.PERMISSION_DENIED
    # Teachers and leadership: the administrator; not the dean's office.
    await identity.call("kg.admin", "IssueCredentials", pb.IssueCredentialsRequest(person_id=teacher))
    deans = await refused(
        identity, "kg.deanoffice.physmath", "IssueCredentials", pb.IssueCredentialsRequest(person_id=teacher)
    )
    assert deans.code() == grpc.StatusCode.PERMISSION_DENIED
    # Users may not change their own access data in kg-jasu.
    own = await refused(
        identity, "kg.teacher2", "ChangeOwnPassword",
        pb.ChangeOwnPasswordRequest(current_password="Ejournal-demo-2026", new_password="Another-pass-2027"),
    )  # fmt: skip
    assert own.code() == grpc.StatusCode.PERMISSION_DENIED and "KG-03" in own.details()
    # ... and "who am I" says so, so the portal offers no password form (kz-medical users may).
    kg_me = await identity.call("kg.teacher2", "WhoAmI", pb.WhoAmIRequest())
    kz_me = await identity.call("kz.teacher2", "WhoAmI", pb.WhoAmIRequest())
    assert (kg_me.profile_code, kg_me.may_change_own_password) == ("kg-jasu", False)
    assert (kz_me.profile_code, kz_me.may_change_own_password) == ("kz-medical", True)


async def test_kz_medical_users_may_change_their_own_password_under_the_policy(identity: Identity) -> None:
    change = pb.ChangeOwnPasswordRequest(current_password="Ejournal-demo-2026", new_password="short")
    weak = await refused(identity, "kz.teacher4", "ChangeOwnPassword", change)
    assert weak.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(weak) == [("new_password", "must be at least 10 characters")]
    change.new_password = "Тұрсынов-құпия-1"
    named = await refused(identity, "kz.teacher4", "ChangeOwnPassword", change)
    assert field_violations(named) == [("new_password", "must not contain the person's name")]
    change.new_password = "Strong-enough-2027"
    await identity.call("kz.teacher4", "ChangeOwnPassword", change)
    await identity.stub.Login(pb.LoginRequest(login="kz.teacher4", password="Strong-enough-2027"))


@pytest.mark.rule("KG-03")
async def test_parent_is_linked_to_their_child_and_sees_only_that_child(identity: Identity) -> None:
    parent, child, other = pid("kg.parent1"), pid("kg.student1"), pid("kg.student2")
    roles = await identity.call("kg.parent1", "ListRoles", pb.ListRolesRequest(person_id=parent))
    assert [(a.role, a.scope_type, a.scope_id) for a in roles.assignments] == [("parent", "student", child)]
    me = await identity.call("kg.parent1", "WhoAmI", pb.WhoAmIRequest())
    assert [(r.role, r.scope_id) for r in me.roles] == [("parent", child)]
    seen = await identity.call("kg.parent1", "GetPerson", pb.GetPersonRequest(person_id=child))
    assert seen.person.login == "kg.student1"
    for person_id in (other, pid("kg.teacher1")):
        denied = await refused(identity, "kg.parent1", "GetPerson", pb.GetPersonRequest(person_id=person_id))
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    # Read-only: a parent can neither change the child's data nor their credentials.
    for rpc, request in (
        ("IssueCredentials", pb.IssueCredentialsRequest(person_id=child)),
        (
            "SetAccountStatus",
            pb.SetAccountStatusRequest(person_id=child, status=pb.ACCOUNT_STATUS_SUSPENDED, reason="x"),
        ),
    ):
        denied = await refused(identity, "kg.parent1", rpc, request)
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    # The dean's office links a parent to a student of its own faculty only.
    new_parent = await identity.call(
        "kg.deanoffice.physmath", "CreatePerson",
        new_person("kg.parent.new", category=pb.PERSON_CATEGORY_PARENT, profile_code="kg-jasu", language="ky",
                   placement=pb.Placement(university_id=KG_U, faculty_id=KG_PHYSMATH)),
    )  # fmt: skip
    link_other = pb.GrantRoleRequest(
        person_id=new_parent.person.person_id, role="parent", scope_type="student", scope_id=other
    )
    denied = await refused(identity, "kg.deanoffice.physmath", "GrantRole", link_other)
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    link_other.scope_id = child
    granted = await identity.call("kg.deanoffice.physmath", "GrantRole", link_other)
    assert granted.assignment.scope_id == child
    assert KG_PED != KG_PHYSMATH


@pytest.mark.rule("KG-14")
async def test_administrator_grants_roles_by_category_and_others_cannot(identity: Identity) -> None:
    teacher = pid("kg.teacher2")
    grant = pb.GrantRoleRequest(person_id=teacher, role="curator", scope_type="group", scope_id=KG_G1)
    for caller in ("kg.dean.physmath", "kg.head.math", "kg.teacher2", "kz.admin"):
        denied = await refused(identity, caller, "GrantRole", grant)
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED, caller
    assignment = (await identity.call("kg.admin", "GrantRole", grant)).assignment
    granted = await identity.events(ev.RoleGranted)
    assert granted[-1].assignment_id == assignment.assignment_id and granted[-1].granted_by == pid("kg.admin")
    revoked = await identity.call(
        "kg.admin",
        "RevokeRole",
        pb.RevokeRoleRequest(assignment_id=assignment.assignment_id, reason="end of term"),
    )
    assert revoked.assignment.revoked
    assert (await identity.events(ev.RoleRevoked))[-1].reason == "end of term"
    # The administrator also suspends accounts: sessions end and no new token is issued.
    await identity.call(
        "kg.admin", "SetAccountStatus",
        pb.SetAccountStatusRequest(person_id=teacher, status=pb.ACCOUNT_STATUS_SUSPENDED, reason="left on leave"),  # noqa: E501
    )  # fmt: skip
    assert (await identity.events(ev.AccountSuspended))[-1].person_id == teacher
    login = await refused(
        identity, None, "Login", pb.LoginRequest(login="kg.teacher2", password="Ejournal-demo-2026")
    )
    assert login.code() == grpc.StatusCode.UNAUTHENTICATED and "suspended" in login.details()


async def test_bad_input_names_the_field_and_changes_nothing(identity: Identity) -> None:
    before = await identity.snapshot()
    cases = [
        ("CreatePerson", new_person("x"), "login"),
        ("CreatePerson", new_person("ok.login", last_name="R2-D2"), "last_name"),
        ("CreatePerson", new_person("ok.login", language="de"), "language"),
        ("CreatePerson", new_person("ok.login", category=pb.PERSON_CATEGORY_UNSPECIFIED), "category"),
        ("CreatePerson", new_person("ok.login", profile_code="us-harvard"), "profile_code"),
        ("GrantRole", pb.GrantRoleRequest(person_id=pid("kz.teacher1"), role="rector", scope_type="university",  # noqa: E501
                                          scope_id=KZ_U), "role"),
        ("GrantRole", pb.GrantRoleRequest(person_id=pid("kz.teacher1"), role="dean", scope_type="department",
                                          scope_id=KZ_ANAT), "scope_type"),
        ("GrantRole", pb.GrantRoleRequest(person_id=pid("kz.teacher1"), role="curator", scope_type="group",
                                          scope_id="g", valid_from="2026-13-01"), "valid_from"),
        ("IssueCredentials", pb.IssueCredentialsRequest(person_id=pid("kz.student2"), password="weak"), "password"),  # noqa: E501
        ("SetAccountStatus", pb.SetAccountStatusRequest(person_id=pid("kz.student2"),
                                                        status=pb.ACCOUNT_STATUS_SUSPENDED), "reason"),
    ]  # fmt: skip
    for rpc, request, field in cases:
        error = await refused(identity, "kz.admin", rpc, request)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (rpc, field, error.details())
        assert field in [f for f, _ in field_violations(error)], (rpc, field, field_violations(error))
    assert await identity.snapshot() == before


async def test_stale_version_is_a_conflict(identity: Identity) -> None:
    person = (
        await identity.call("kz.admin", "GetPerson", pb.GetPersonRequest(person_id=pid("kz.student2")))
    ).person
    update = pb.UpdatePersonRequest(
        person_id=person.person_id, expected_version=person.version, last_name="Smith-Jones", first_name="John",  # noqa: E501
        placement=person.placement,
    )  # fmt: skip
    changed = await identity.call("kz.admin", "UpdatePerson", update)
    assert changed.person.last_name == "Smith-Jones" and changed.person.version == person.version + 1
    stale = await refused(identity, "kz.admin", "UpdatePerson", update)
    assert stale.code() == grpc.StatusCode.ABORTED


async def test_an_administrator_finds_people_by_a_part_of_the_name_or_the_login(identity: Identity) -> None:
    by_name = await identity.call("kz.admin", "FindPeople", pb.FindPeopleRequest(query="оспанов"))
    assert pid("kz.dean.med") in [p.person_id for p in by_name.people]  # any case, Kazakh letters kept
    by_login = await identity.call("kz.admin", "FindPeople", pb.FindPeopleRequest(query="kz.teach"))
    assert {p.login for p in by_login.people} >= {"kz.teacher1", "kz.teacher2"}
    assert all(p.login.startswith("kz.") for p in by_login.people)  # only the caller's university
    elsewhere = await identity.call("kg.admin", "FindPeople", pb.FindPeopleRequest(query="kz.teach"))
    assert list(elsewhere.people) == []
    with pytest.raises(grpc.aio.AioRpcError) as short:
        await identity.call("kz.admin", "FindPeople", pb.FindPeopleRequest(query=" k "))
    assert short.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in field_violations(short.value)] == ["query"]


async def test_the_search_reads_only_where_the_caller_manages_people(
    identity: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: the query itself is limited to the caller's university, not its answer filtered after
    reading everyone's: every row the search reads belongs to the administrator's own university."""
    from services.identity.adapters import people_repo

    read: list[str] = []
    find_rows = people_repo.find_rows

    async def spied(*args: Any, **kwargs: Any) -> Any:
        rows = await find_rows(*args, **kwargs)
        read.extend(row.login for row in rows)
        return rows

    monkeypatch.setattr(people_repo, "find_rows", spied)
    for admin, country in (("kz.admin", "kz"), ("kg.admin", "kg")):
        read.clear()
        found = await identity.call(admin, "FindPeople", pb.FindPeopleRequest(query="ов"))
        assert found.people and read, admin
        assert {login[:2] for login in read} == {country}, admin


async def test_find_people_pages_in_a_stable_order_each_person_once(identity: Identity) -> None:
    """Issue 22: FindPeople pages like every list (page_size, page_token, next_page_token)."""
    whole = await identity.call("kz.admin", "FindPeople", pb.FindPeopleRequest(query="kz.", page_size=1000))
    assert len(whole.people) >= 3 and not whole.next_page_token
    walked, token = [], ""
    while True:
        page = await identity.call(
            "kz.admin", "FindPeople", pb.FindPeopleRequest(query="kz.", page_size=1, page_token=token)
        )
        assert len(page.people) <= 1
        walked += [p.person_id for p in page.people]
        token = page.next_page_token
        if not token:
            break
    assert walked == [p.person_id for p in whole.people]
    first = await identity.call("kz.admin", "FindPeople", pb.FindPeopleRequest(query="kz.", page_size=1))
    with pytest.raises(grpc.aio.AioRpcError) as other:  # a token is for the query it was given for
        await identity.call(
            "kz.admin", "FindPeople",
            pb.FindPeopleRequest(query="kz.teach", page_size=1, page_token=first.next_page_token),
        )  # fmt: skip
    assert [f for f, _ in field_violations(other.value)] == ["page_token"]
