"""Login requests (KZ-15, form KZ-17): the department head asks, the administrator/registrar issues.

Issuing creates the new teacher's person and personal account, their teacher role in the department
and a first password (shown once), all in one transaction with the request's decision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, Role, allowed, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page
from services.identity.adapters import login_requests_repo as repo
from services.identity.adapters import people_repo
from services.identity.domain.login_requests import LoginRequestStatus, check_decidable, validate_form
from services.identity.domain.people import (
    NewPerson,
    PersonCategory,
    Placement,
    login_problem,
    normalize_login,
)
from services.identity.domain.profiles import KNOWN_PROFILES
from services.identity.domain.roles import validate_assignment
from services.identity.service_layer.credentials import generate_password
from services.identity.service_layer.deps import Deps, hidden_not_found
from services.identity.service_layer.people import register
from services.identity.service_layer.roles import grant


def scope_of(row: Any) -> ResourceScope:
    return ResourceScope(
        university_id=row.university_id or None,
        faculty_id=row.faculty_id or None,
        department_id=row.department_id or None,
        owner_id=row.requested_by,
    )


@dataclass(frozen=True, kw_only=True)
class SubmitLoginRequest:
    """Form KZ-17; `request_id` makes a retry return the request already submitted."""

    request_id: str = ""
    department_id: str
    faculty_id: str = ""
    university_id: str
    last_name: str
    first_name: str
    patronymic: str = ""
    language: str
    position: str
    email: str
    outgoing_number: str = ""
    profile_code: str


async def submit(deps: Deps, principal: Principal, cmd: SubmitLoginRequest) -> Any:
    form = validate_form(
        department_id=cmd.department_id, faculty_id=cmd.faculty_id, university_id=cmd.university_id,
        last_name=cmd.last_name, first_name=cmd.first_name, patronymic=cmd.patronymic,
        language=cmd.language, position=cmd.position, email=cmd.email,
        outgoing_number=cmd.outgoing_number, profile_code=cmd.profile_code, known_profiles=KNOWN_PROFILES,
    )  # fmt: skip
    request_id = cmd.request_id
    require(
        principal,
        "login_request.submit",
        ResourceScope(university_id=form.university_id, faculty_id=form.faculty_id or None,
                      department_id=form.department_id),
    )  # fmt: skip
    async with deps.unit_of_work() as uow:
        if request_id and (earlier := await repo.find_by_request_id(uow.session, request_id)) is not None:
            return earlier
        row_id = await repo.insert(uow.session, form, principal.subject, request_id or None, deps.clock())
        row = await repo.get(uow.session, row_id)
        await uow.commit()
    return row


async def list_requests(
    deps: Deps, principal: Principal, department_id: str, status: LoginRequestStatus | None, page: Page
) -> tuple[list[Any], str]:
    """One page of login requests by request time (what the caller may see of it), and the next token."""
    async with deps.unit_of_work() as uow:
        rows, next_token = page.cut(
            await repo.list_rows(uow.session, department_id, status, page),
            key=lambda r: (r.requested_at, r.id),
        )
    return [row for row in rows if allowed(principal, "login_request.read", scope_of(row))], next_token


async def issue_person(
    session: AsyncSession, deps: Deps, row: Any, login: str, by: str
) -> tuple[str, str, Event, Event]:
    new = NewPerson(
        login=login,
        name=repo.name_of(row),
        language=row.language,
        category=PersonCategory.STAFF,
        placement=Placement(row.university_id, row.faculty_id, row.department_id, ""),
        profile_code=row.profile_code,
        email=row.email,
        personal_number="",
    )
    person_id, created = await register(session, new, by, None, from_login_request=True)
    person = await people_repo.get_person(session, person_id)
    today = deps.clock().date()
    teacher = validate_assignment(Role.TEACHER.value, "department", row.department_id, "", "", today)
    _, granted = await grant(session, person, teacher, by)
    password = generate_password()
    await people_repo.set_fields(
        session,
        person_id,
        {"password_hash": await deps.hashing.hash(password), "password_set_at": deps.clock()},
    )
    await people_repo.audit(session, person_id, by, "credentials.issued", {"login_request_id": str(row.id)})
    return person_id, password, created, granted


@dataclass(frozen=True, kw_only=True)
class DecideLoginRequest:
    """Issue (with the new teacher's login) or reject (with a reason) a submitted request."""

    login_request_id: str
    approve: bool
    login: str = ""
    reason: str = ""


async def decide(deps: Deps, principal: Principal, cmd: DecideLoginRequest) -> tuple[Any, str]:
    login_request_id, approve, login, reason = cmd.login_request_id, cmd.approve, cmd.login, cmd.reason
    async with deps.unit_of_work() as uow:
        row = await repo.get(uow.session, login_request_id, lock=True)
        if row is None:
            raise hidden_not_found(principal, "login_request.decide", "login request", "login_request_id")
        require(principal, "login_request.decide", scope_of(row))
        check_decidable(LoginRequestStatus(row.status), approve, reason)
        password, person_id, login_key = "", None, None
        if approve:
            login_key = normalize_login(login)
            if problem := login_problem(login_key):
                raise InvalidArgument("login", problem)
            person_id, password, created, granted = await issue_person(
                uow.session, deps, row, login_key, principal.subject
            )
            uow.add_event(created)
            uow.add_event(granted)
        status = LoginRequestStatus.ISSUED if approve else LoginRequestStatus.REJECTED
        await repo.decide(
            uow.session, row.id, status, principal.subject, deps.clock(), reason.strip(),
            uuid.UUID(person_id) if person_id else None, login_key,
        )  # fmt: skip
        decided = await repo.get(uow.session, str(row.id))
        await uow.commit()
    return decided, password
