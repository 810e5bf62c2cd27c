"""Every identity RPC x role x (in scope / out of scope), generated from one table.

`MATRIX` has one row per RPC of IdentityService; the first test fails when an RPC has no row, so a new
RPC cannot ship without its authorization cases. Each row builds its request for a target "in" or
"out" of the caller's scope (creating fresh data so that cases do not disturb one another), and each
case says what must come back. Every protected RPC also gets a case without a token (UNAUTHENTICATED).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeAlias

import grpc
import pytest
from google.protobuf.message import Message

from deploy.demo.seed.identity import DEMO_PASSWORD
from ejournal.identity.v1 import identity_service_pb2 as pb
from services.identity.domain.people import PersonCategory, Placement
from services.identity.entrypoints.main import PUBLIC_METHODS, SERVICE
from services.identity.service_layer import login_requests, substitutions
from services.identity.service_layer.bootstrap import Account, ensure_account
from services.identity.tests.harness import (
    KG_G1,
    KG_PED,
    KG_PHYSMATH,
    KG_U,
    KZ_ANAT,
    KZ_G1,
    KZ_MED,
    KZ_PHARM,
    KZ_PHYS,
    KZ_U,
    Identity,
    pid,
)

pytestmark = pytest.mark.integration

OK, DENIED = grpc.StatusCode.OK, grpc.StatusCode.PERMISSION_DENIED
UNAUTH, NOT_FOUND = grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.NOT_FOUND
SEES, HIDDEN = "sees", "hidden"  # for lists: the probe item is (not) in an OK answer
Expect: TypeAlias = grpc.StatusCode | str
Built: TypeAlias = tuple[Message, str]  # the request, and for lists the id that must (not) show up
Factory: TypeAlias = Callable[[Identity, str, str | None], Awaitable[Built]]


@dataclass(frozen=True)
class Row:
    action: str  # the policy action the RPC checks (documentation of the table)
    build: Factory
    cases: tuple[tuple[str | None, str, Expect], ...]  # (caller login, target, expected)


async def fresh(
    identity: Identity,
    category: PersonCategory,
    placement: Placement,
    profile: str,
    *roles: tuple[str, str, str],
) -> str:
    login = f"m.{uuid.uuid4().hex[:12]}"
    person_id = str(uuid.uuid4())
    account = Account(
        person_id=person_id, login=login, last_name="Тестова", first_name="Әйгерім", patronymic="",
        language="kk", category=category, placement=placement, profile_code=profile,
        password=DEMO_PASSWORD, roles=roles, from_login_request=True,
    )  # fmt: skip
    await ensure_account(identity.deps, account)
    return person_id


KZ_IN, KZ_OUT = Placement(KZ_U, KZ_MED, "", KZ_G1), Placement(KZ_U, KZ_PHARM)
KG_IN, KG_OUT = Placement(KG_U, KG_PHYSMATH), Placement(KG_U, KG_PED)


async def student(identity: Identity, where: str, caller: str | None = None) -> str:
    """A fresh student: "in" = kz general medicine, "out" = kz pharmacy, "kg-in"/"kg-out" likewise."""
    if where == "missing":
        return str(uuid.uuid4())
    if where == "self" and caller:
        return pid(caller)
    if where == "child":
        return pid("kz.student1")
    placement, profile = {
        "in": (KZ_IN, "kz-medical"), "out": (KZ_OUT, "kz-medical"),
        "kg-in": (KG_IN, "kg-jasu"), "kg-out": (KG_OUT, "kg-jasu"), "kg": (KG_IN, "kg-jasu"),
    }[where]  # fmt: skip
    person_id = await fresh(identity, PersonCategory.STUDENT, placement, profile)
    return person_id


async def staff(identity: Identity, where: str) -> str:
    placement, profile = (KZ_IN, "kz-medical") if where == "in" else (KG_IN, "kg-jasu")
    return await fresh(identity, PersonCategory.STAFF, placement, profile)


async def find_built(identity: Identity, where: str, caller: str | None) -> Built:
    """A fresh student found by their login; the probe is their id."""
    person_id = await student(identity, where, caller)
    login = await identity.scalar("SELECT login FROM people WHERE id = CAST(:id AS uuid)", id=person_id)
    return pb.FindPeopleRequest(query=str(login).upper()), person_id


def person_request(message: type[Message], **extra: object) -> Factory:
    async def build(identity: Identity, where: str, caller: str | None) -> Built:
        return message(person_id=await student(identity, where, caller), **extra), ""

    return build


async def login_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.LoginRequest(login="kz.student2", password=DEMO_PASSWORD), ""


async def refresh_built(identity: Identity, where: str, caller: str | None) -> Built:
    reply = await identity.stub.Login(pb.LoginRequest(login="kz.student2", password=DEMO_PASSWORD))
    return pb.RefreshRequest(refresh_token=reply.refresh_token), ""


async def constant(message: Message) -> Built:
    return message, ""


async def service_token_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.IssueServiceTokenRequest(
        service_name="workflow", client_secret="workflow-secret-for-tests-only"
    ), ""


async def create_built(identity: Identity, where: str, caller: str | None) -> Built:
    kz = where == "in"
    return pb.CreatePersonRequest(
        request_id=uuid.uuid4().hex, login=f"c.{uuid.uuid4().hex[:10]}", last_name="Әлібек", first_name="Нұр",
        language="kk", category=pb.PERSON_CATEGORY_STAFF, profile_code="kz-medical" if kz else "kg-jasu",
        placement=pb.Placement(university_id=KZ_U if kz else KG_U, faculty_id=KZ_MED if kz else KG_PHYSMATH),
    ), ""  # fmt: skip


async def update_built(identity: Identity, where: str, caller: str | None) -> Built:
    person_id = await staff(identity, where)
    u = KZ_U if where == "in" else KG_U
    return pb.UpdatePersonRequest(
        person_id=person_id, expected_version=1, last_name="Жаңа", first_name="Есім",
        placement=pb.Placement(university_id=u),
    ), ""  # fmt: skip


async def status_built(identity: Identity, where: str, caller: str | None) -> Built:
    person_id = await staff(identity, where)
    return pb.SetAccountStatusRequest(
        person_id=person_id, status=pb.ACCOUNT_STATUS_SUSPENDED, reason="test"
    ), ""


async def change_password_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.ChangeOwnPasswordRequest(
        current_password=DEMO_PASSWORD, new_password=f"New-{uuid.uuid4().hex}"
    ), ""


async def grant_built(identity: Identity, where: str, caller: str | None) -> Built:
    person_id = await staff(identity, where)
    group = KZ_G1 if where == "in" else KG_G1
    return pb.GrantRoleRequest(person_id=person_id, role="curator", scope_type="group", scope_id=group), ""


async def revoke_built(identity: Identity, where: str, caller: str | None) -> Built:
    kz = where == "in"
    person_id = await fresh(
        identity, PersonCategory.STAFF, KZ_IN if kz else KG_IN, "kz-medical" if kz else "kg-jasu",
        ("curator", "group", KZ_G1 if kz else KG_G1),
    )  # fmt: skip
    reply = await identity.call(
        "kz.admin" if kz else "kg.admin", "ListRoles", pb.ListRolesRequest(person_id=person_id)
    )
    return pb.RevokeRoleRequest(assignment_id=reply.assignments[0].assignment_id, reason="test"), ""


def login_form(department: str, faculty: str) -> dict[str, str]:
    return {
        "department_id": department, "faculty_id": faculty, "university_id": KZ_U, "last_name": "Сейітова",
        "first_name": "Ұлпан", "patronymic": "", "language": "kk", "position": "оқытушы",
        "email": "u.seitova@kaznmu.kz", "outgoing_number": "12", "profile_code": "kz-medical",
    }  # fmt: skip


async def submit_built(identity: Identity, where: str, caller: str | None) -> Built:
    department = KZ_ANAT if where == "in" else KZ_PHYS
    return pb.SubmitLoginRequestRequest(request_id=uuid.uuid4().hex, **login_form(department, KZ_MED)), ""


async def submitted_request(identity: Identity) -> str:
    head = identity.deps.keys
    principal = head._verifier.verify(await identity.token("kz.head.anatomy"))
    cmd = login_requests.SubmitLoginRequest(**login_form(KZ_ANAT, KZ_MED))
    row = await login_requests.submit(identity.deps, principal, cmd)
    return str(row.id)


async def list_requests_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.ListLoginRequestsRequest(), await submitted_request(identity)


async def decide_built(identity: Identity, where: str, caller: str | None) -> Built:
    request_id = await submitted_request(identity)
    return pb.DecideLoginRequestRequest(login_request_id=request_id, approve=False, reason="duplicate"), ""


async def appoint_built(identity: Identity, where: str, caller: str | None) -> Built:
    department, faculty = (KZ_ANAT, KZ_MED) if where == "in" else (KZ_PHYS, KZ_MED)
    placement = Placement(KZ_U, faculty, department)
    teachers = [
        await fresh(
            identity, PersonCategory.STAFF, placement, "kz-medical", ("teacher", "department", department)
        )
        for _ in range(2)
    ]
    today = date.today()
    return pb.AppointSubstituteRequest(
        request_id=uuid.uuid4().hex, absent_teacher_id=teachers[0], substitute_id=teachers[1],
        department_id=department, journal_ids=["j-1"], starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=3)).isoformat(),
        decision=pb.DecisionReference(protocol_number="3", protocol_date=today.isoformat()),
    ), ""  # fmt: skip


async def appointed(identity: Identity) -> str:
    request, _ = await appoint_built(identity, "in", None)
    principal = identity.deps.keys._verifier.verify(await identity.token("kz.head.anatomy"))
    assert isinstance(request, pb.AppointSubstituteRequest)
    cmd = substitutions.AppointSubstitute(
        absent_teacher_id=request.absent_teacher_id, substitute_id=request.substitute_id,
        department_id=request.department_id, journal_ids=tuple(request.journal_ids),
        starts_on=request.starts_on, ends_on=request.ends_on, protocol_number="3",
        protocol_date=request.decision.protocol_date,
    )  # fmt: skip
    return (await substitutions.appoint(identity.deps, principal, cmd)).id


async def end_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.EndSubstitutionRequest(substitution_id=await appointed(identity), reason="back"), ""


async def list_substitutions_built(identity: Identity, where: str, caller: str | None) -> Built:
    return pb.ListSubstitutionsRequest(), await appointed(identity)


def same(message: Message) -> Factory:
    async def build(identity: Identity, where: str, caller: str | None) -> Built:
        return message, ""

    return build


MATRIX: dict[str, Row] = {
    "Login": Row("public", login_built, ((None, "in", OK),)),
    "Refresh": Row("public", refresh_built, ((None, "in", OK),)),
    "GetKeySet": Row("public", same(pb.GetKeySetRequest()), ((None, "in", OK),)),
    "IssueServiceToken": Row("public (client secret)", service_token_built, ((None, "in", OK),)),
    "ListRevokedSessions": Row("public", same(pb.ListRevokedSessionsRequest()), ((None, "in", OK),)),
    # Signing out ends the caller's session at once (revocation): a login no other row uses.
    "Logout": Row("any signed-in person", same(pb.LogoutRequest()), (("kz.teacher5", "in", OK),)),
    "WhoAmI": Row("any signed-in person", same(pb.WhoAmIRequest()), (("kz.parent1", "in", OK),)),
    "RotateSigningKey": Row("keys.rotate", same(pb.RotateSigningKeyRequest()), (
        ("kz.admin", "in", OK), ("kz.dean.med", "in", DENIED), ("kz.student1", "in", DENIED),
    )),
    "CreatePerson": Row("people.manage", create_built, (
        ("kz.admin", "in", OK), ("kz.admin", "out", DENIED), ("kz.registrar", "in", OK),
        ("kz.dean.med", "in", DENIED), ("kz.teacher1", "in", DENIED), ("kg.admin", "out", OK),
    )),
    "FindPeople": Row("people.manage", find_built, (
        ("kz.admin", "in", SEES), ("kz.registrar", "in", SEES), ("kz.admin", "out", SEES),
        ("kg.admin", "in", HIDDEN), ("kz.dean.med", "in", DENIED), ("kz.teacher1", "in", DENIED),
    )),
    "GetPerson": Row("people.read", person_request(pb.GetPersonRequest), (
        ("kz.admin", "in", OK), ("kz.dean.med", "in", OK), ("kz.dean.med", "out", DENIED),
        ("kz.dean.med", "missing", DENIED), ("kz.admin", "missing", NOT_FOUND), ("kz.teacher1", "in", DENIED),
        ("kz.parent1", "child", OK), ("kz.parent1", "in", DENIED), ("kz.student3", "self", OK),
        ("kz.student3", "in", DENIED), ("kg.admin", "in", DENIED),
    )),
    "UpdatePerson": Row("people.manage", update_built, (
        ("kz.admin", "in", OK), ("kz.admin", "out", DENIED), ("kz.dean.med", "in", DENIED),
    )),
    "SetAccountStatus": Row("people.manage", status_built, (
        ("kz.admin", "in", OK), ("kz.admin", "out", DENIED), ("kz.dean.med", "in", DENIED), ("kg.admin", "out", OK),  # noqa: E501
    )),
    "GetPersonHistory": Row("audit.read", person_request(pb.GetPersonHistoryRequest), (
        ("kz.admin", "in", OK), ("kz.registrar", "in", OK), ("kz.vicerector", "in", OK),
        ("kz.dean.med", "in", DENIED), ("kg.admin", "in", DENIED), ("kz.student3", "self", DENIED),
    )),
    "IssueCredentials": Row("profile: credential issuers (KG-03)", person_request(pb.IssueCredentialsRequest), (  # noqa: E501
        ("kz.registrar", "in", OK), ("kz.admin", "in", OK), ("kz.dean.med", "in", DENIED),
        ("kg.deanoffice.physmath", "kg-in", OK), ("kg.deanoffice.physmath", "kg-out", DENIED),
        ("kg.admin", "kg-in", DENIED), ("kz.teacher1", "in", DENIED),
    )),
    "ChangeOwnPassword": Row("profile: users change own password", change_password_built, (
        ("kz.teacher4", "in", OK), ("kg.teacher3", "in", DENIED),
    )),
    "ListLoginAttempts": Row("audit.read or own", person_request(pb.ListLoginAttemptsRequest), (
        ("kz.admin", "in", OK), ("kz.dean.med", "in", DENIED), ("kz.student3", "self", OK), ("kg.admin", "in", DENIED),  # noqa: E501
    )),
    "GrantRole": Row("roles.grant (parents.link for parents)", grant_built, (
        ("kz.admin", "in", OK), ("kz.admin", "out", DENIED), ("kz.dean.med", "in", DENIED),
        ("kz.head.anatomy", "in", DENIED), ("kg.admin", "out", OK),
    )),
    "RevokeRole": Row("roles.grant", revoke_built, (
        ("kz.admin", "in", OK), ("kz.admin", "out", DENIED), ("kz.head.anatomy", "in", DENIED),
    )),
    "ListRoles": Row("roles.read", person_request(pb.ListRolesRequest), (
        ("kz.admin", "in", OK), ("kz.teacher1", "in", DENIED), ("kz.student3", "self", OK),
        ("kz.dean.med", "in", DENIED), ("kg.admin", "in", DENIED),
    )),
    "SubmitLoginRequest": Row("login_request.submit", submit_built, (
        ("kz.head.anatomy", "in", OK), ("kz.head.anatomy", "out", DENIED), ("kz.admin", "in", DENIED),
        ("kz.teacher1", "in", DENIED),
    )),
    "ListLoginRequests": Row("login_request.read", list_requests_built, (
        ("kz.head.anatomy", "in", SEES), ("kz.admin", "in", SEES), ("kz.registrar", "in", SEES),
        ("kz.head.physiology", "in", HIDDEN), ("kg.admin", "in", HIDDEN), ("kz.teacher1", "in", HIDDEN),
    )),
    "DecideLoginRequest": Row("login_request.decide", decide_built, (
        ("kz.admin", "in", OK), ("kz.registrar", "in", OK), ("kz.head.anatomy", "in", DENIED),
        ("kg.admin", "in", DENIED),
    )),
    "AppointSubstitute": Row("substitution.appoint", appoint_built, (
        ("kz.head.anatomy", "in", OK), ("kz.head.anatomy", "out", DENIED), ("kz.dean.med", "in", DENIED),
        ("kz.teacher1", "in", DENIED), ("kz.admin", "in", DENIED),
    )),
    "EndSubstitution": Row("substitution.appoint", end_built, (
        ("kz.head.anatomy", "in", OK), ("kz.head.physiology", "in", DENIED), ("kz.registrar", "in", DENIED),
    )),
    "ListSubstitutions": Row("substitution.read", list_substitutions_built, (
        ("kz.head.anatomy", "in", SEES), ("kz.registrar", "in", SEES), ("kz.dean.med", "in", SEES),
        ("kz.head.physiology", "in", HIDDEN), ("kz.teacher3", "in", HIDDEN), ("kz.dean.pharm", "in", HIDDEN),
        ("kg.admin", "in", HIDDEN),
    )),
    "GetContacts": Row("contacts.read", person_request(pb.GetContactsRequest), (
        ("kz.admin", "in", OK), ("kz.teacher2", "in", OK), ("kz.teacher3", "in", DENIED),
        ("kz.student3", "self", OK), ("kz.dean.med", "in", DENIED), ("kg.admin", "in", DENIED),
        ("kz.admin", "missing", NOT_FOUND), ("kz.teacher2", "missing", DENIED),
    )),
    "UpdateContacts": Row("contacts.manage", person_request(pb.UpdateContactsRequest, language="kk", timezone="UTC"), (  # noqa: E501
        ("kz.admin", "in", OK), ("kz.student3", "self", OK), ("kz.teacher2", "in", DENIED),
        ("kg.admin", "in", DENIED),
    )),
    "StartTelegramLink": Row("any signed-in person (own chat)", same(pb.StartTelegramLinkRequest()), (
        ("kz.student2", "in", OK),
    )),
    "LinkTelegram": Row("contacts.resolve", same(pb.LinkTelegramRequest(code="0", chat_id="1")), (
        ("kz.admin", "in", DENIED), ("kz.student2", "in", DENIED),
    )),
    "ResolveRecipients": Row("contacts.resolve", same(pb.ResolveRecipientsRequest(role="teacher")), (
        ("kz.admin", "in", DENIED), ("kz.registrar", "in", DENIED),
    )),
}  # fmt: skip


def all_cases() -> list[tuple[str, str | None, str, Expect]]:
    cases = []
    for rpc, row in MATRIX.items():
        cases += [(rpc, caller, target, expect) for caller, target, expect in row.cases]
        if f"/{SERVICE}/{rpc}" not in PUBLIC_METHODS:
            cases.append((rpc, None, "in", UNAUTH))
    return cases


def test_every_rpc_has_a_row() -> None:
    rpcs = set(pb.DESCRIPTOR.services_by_name["IdentityService"].methods_by_name)
    assert rpcs - set(MATRIX) == set(), "add a MATRIX row (role x in/out of scope) for each new RPC"
    assert set(MATRIX) - rpcs == set()
    for rpc, row in MATRIX.items():
        public = f"/{SERVICE}/{rpc}" in PUBLIC_METHODS
        expects = {expect for _, _, expect in row.cases}
        assert public or expects & {DENIED, HIDDEN} or row.action.startswith("any"), (
            rpc,
            "needs a refused case",
        )


@pytest.mark.parametrize(
    ("rpc", "caller", "target", "expect"),
    all_cases(),
    ids=[f"{rpc}-{caller or 'anonymous'}-{target}" for rpc, caller, target, _ in all_cases()],
)
async def test_matrix(
    shared_identity: Identity, rpc: str, caller: str | None, target: str, expect: Expect
) -> None:
    identity = shared_identity
    request, probe = await MATRIX[rpc].build(identity, target, caller)
    try:
        reply = await identity.call(caller, rpc, request)
    except grpc.aio.AioRpcError as error:
        assert error.code() == expect, f"{rpc} as {caller} ({target}): {error.code()} {error.details()}"
        if expect == DENIED:
            assert error.details().startswith("permission denied")
        return
    if expect in (SEES, HIDDEN):
        assert (probe in str(reply)) == (expect == SEES), f"{rpc} as {caller}: probe {expect} expected"
    else:
        assert expect == OK, f"{rpc} as {caller} ({target}) succeeded; expected {expect}"
