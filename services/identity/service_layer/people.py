"""Use cases on people and their accounts: register, read, edit, suspend, audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ejournal.identity.v1 import events_pb2 as ev
from ejournal_platform.authz import (
    ANY_SCOPE_ID,
    POLICY,
    Reach,
    ResourceScope,
    allowed,
    permits_allow,
    require,
)
from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists, PermissionDenied, ValidationFailed
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page
from services.identity.adapters import people_repo, sessions_repo
from services.identity.domain.people import (
    AccountStatus,
    NewPerson,
    Person,
    PersonCategory,
    Placement,
    check_status_change,
    validate_name,
    validate_new_person,
)
from services.identity.domain.profiles import KNOWN_PROFILES, profile
from services.identity.service_layer.deps import Deps, hidden_not_found


def placement_scope(placement: Placement) -> ResourceScope:
    return ResourceScope(
        university_id=placement.university_id or None,
        faculty_id=placement.faculty_id or None,
        department_id=placement.department_id or None,
        group_id=placement.group_id or None,
    )


def may_register(principal: Principal, new: NewPerson) -> bool:
    """The administrator and registrar register anyone (KG-14, KZ-15); whoever issues credentials to
    students and parents under the profile (the dean's office in kg-jasu, KG-03) registers them."""
    scope = placement_scope(new.placement)
    if allowed(principal, "people.manage", scope):
        return True
    if new.category is PersonCategory.STAFF:
        return False
    return permits_allow(principal, profile(new.profile_code).credential_issuers[new.category], scope)


def person_created_event(person_id: str, new: NewPerson, by: str) -> Event:
    return Event(
        ev.PersonCreated(
            person_id=person_id,
            login=new.login,
            full_name=new.name.full,
            last_name=new.name.last_name,
            first_name=new.name.first_name,
            patronymic=new.name.patronymic,
            category=new.category.value,
            university_id=new.placement.university_id,
            faculty_id=new.placement.faculty_id,
            department_id=new.placement.department_id,
            group_id=new.placement.group_id,
            profile_code=new.profile_code,
            created_by=by,
        ),
        subject=f"person/{person_id}",
    )


async def register(
    session: Any,
    new: NewPerson,
    by: str,
    request_id: str | None,
    *,
    from_login_request: bool = False,
    person_id: str | None = None,
) -> tuple[str, Event]:
    """Insert a validated person (no authorization here: callers decide). Refuses duplicates."""
    problems = await people_repo.find_conflicts(session, new.login, new.personal_number)
    if problems:
        field, reason = problems[0]
        raise AlreadyExists(reason, field=field)
    person_id = person_id or str(uuid.uuid4())
    await people_repo.insert_person(
        session, person_id, new, created_by=by, request_id=request_id, from_login_request=from_login_request
    )
    await people_repo.audit(
        session,
        person_id,
        by,
        "person.created",
        {"login": new.login, "name": new.name.full, "category": new.category.value,
         "placement": new.placement.__dict__, "profile_code": new.profile_code},
    )  # fmt: skip
    return person_id, person_created_event(person_id, new, by)


@dataclass(frozen=True)
class CreatePerson:
    request_id: str
    login: str
    last_name: str
    first_name: str
    patronymic: str
    language: str
    category: PersonCategory | None
    placement: Placement
    profile_code: str
    email: str = ""
    personal_number: str = ""


async def create_person(deps: Deps, principal: Principal, cmd: CreatePerson) -> Person:
    new = validate_new_person(
        login=cmd.login,
        last_name=cmd.last_name,
        first_name=cmd.first_name,
        patronymic=cmd.patronymic,
        language=cmd.language,
        category=cmd.category,
        placement=cmd.placement,
        profile_code=cmd.profile_code,
        known_profiles=KNOWN_PROFILES,
        email=cmd.email,
        personal_number=cmd.personal_number,
    )
    if not may_register(principal, new):
        raise PermissionDenied("permission denied: people.manage")
    async with deps.unit_of_work() as uow:
        if cmd.request_id:
            earlier = await people_repo.find_by_request_id(uow.session, cmd.request_id)
            if earlier is not None:  # a retry of a request that already succeeded
                return people_repo.to_person(earlier)
        person_id, event = await register(uow.session, new, principal.subject, cmd.request_id or None)
        uow.add_event(event)
        person = await people_repo.get_person(uow.session, person_id)
        await uow.commit()
    return person


async def visible_person(session: Any, principal: Principal, person_id: str, action: str) -> Person:
    """The person if the caller may perform `action` on them; refusals do not reveal existence."""
    row = await people_repo.find_by_id(session, person_id)
    if row is None:
        raise hidden_not_found(principal, action, "person", "person_id")
    person = people_repo.to_person(row)
    require(principal, action, person.scope)
    return person


FIND_ACTION = "people.manage"
FIND_DEFAULT, FIND_SCAN = 20, 500


async def find_people(deps: Deps, principal: Principal, query: str, page: Page) -> tuple[list[Person], str]:
    """People the caller manages, by login prefix or a part of the name, one page at a time (by last
    name, first name, login; `page` from page_request, its token the last shown person's key): asked
    only by someone who manages people somewhere (else refused like any other action); each found
    person is shown only where the caller may manage them, so the answer says nothing of anyone else.
    The scope is checked per person, so matches are read in batches until the page is full."""
    managers = {permit.role.value for permit in POLICY[FIND_ACTION]}
    if not any(g.role in managers for g in principal.roles):
        raise PermissionDenied(f"permission denied: {FIND_ACTION}")
    wanted = query.strip()
    if len(wanted) < 2:
        raise ValidationFailed("the query is too short", [("query", "needs at least 2 characters")])
    after: tuple[str, str, str] | None = None
    if page.after:
        last_name, first_name, login = page.after_key(str, str, str)
        after = (last_name, first_name, login)
    shown: list[Person] = []
    async with deps.unit_of_work() as uow:
        within = managed_scopes(principal)
        while len(shown) < page.fetch:
            rows = await people_repo.find_rows(uow.session, wanted, FIND_SCAN, within, after)
            shown += [p for p in map(people_repo.to_person, rows) if allowed(principal, FIND_ACTION, p.scope)]
            if len(rows) < FIND_SCAN:
                break
            last = rows[-1]
            after = (last.last_name, last.first_name, last.login)
    return page.cut(shown[: page.fetch], key=lambda p: (p.name.last_name, p.name.first_name, p.login))


SEARCHABLE_SCOPES = frozenset({"university", "faculty", "department", "group"})


def managed_scopes(principal: Principal) -> list[tuple[str, str]] | None:
    """Where the caller manages people, as (scope type, id): the search reads only there, so it never
    crosses into another university (issue 18). None (read everyone, then filter) for a grant that
    covers everything, or one whose scope the people table does not record."""
    permits = POLICY[FIND_ACTION]
    scopes: list[tuple[str, str]] = []
    for grant in principal.roles:
        reaches = {p.reach for p in permits if p.role.value == grant.role}
        if not reaches:
            continue
        if Reach.ANYWHERE in reaches or grant.scope_id == ANY_SCOPE_ID:
            return None
        if grant.scope_type not in SEARCHABLE_SCOPES:
            return None
        scopes.append((grant.scope_type, grant.scope_id))
    return scopes


async def get_person(deps: Deps, principal: Principal, person_id: str) -> Person:
    async with deps.unit_of_work() as uow:
        return await visible_person(uow.session, principal, person_id, "people.read")


@dataclass(frozen=True)
class UpdatePerson:
    person_id: str
    expected_version: int
    last_name: str
    first_name: str
    patronymic: str
    email: str
    placement: Placement


async def update_person(deps: Deps, principal: Principal, cmd: UpdatePerson) -> Person:
    name, problems = validate_name(cmd.last_name, cmd.first_name, cmd.patronymic)
    if not cmd.placement.university_id:
        problems.append(("placement.university_id", "is required"))
    if problems:
        raise ValidationFailed("the person cannot be changed", problems)
    async with deps.unit_of_work() as uow:
        person = await visible_person(uow.session, principal, cmd.person_id, "people.manage")
        require(principal, "people.manage", placement_scope(cmd.placement))  # may not move them out of reach
        new_values = {
            "last_name": name.last_name, "first_name": name.first_name, "patronymic": name.patronymic,
            "email": cmd.email.strip(), "university_id": cmd.placement.university_id,
            "faculty_id": cmd.placement.faculty_id, "department_id": cmd.placement.department_id,
            "group_id": cmd.placement.group_id,
        }  # fmt: skip
        old_values = {
            "last_name": person.name.last_name, "first_name": person.name.first_name,
            "patronymic": person.name.patronymic, "email": person.email,
            **person.placement.__dict__,
        }  # fmt: skip
        changed = {k: {"old": old_values[k], "new": v} for k, v in new_values.items() if old_values[k] != v}
        await people_repo.update_person(uow.session, person.id, cmd.expected_version, new_values)
        await people_repo.audit(uow.session, person.id, principal.subject, "person.updated", changed)
        updated = await people_repo.get_person(uow.session, person.id)
        await uow.commit()
    return updated


@dataclass(frozen=True, kw_only=True)
class SetAccountStatus:
    person_id: str
    status: AccountStatus | None  # None: the request named no status (refused with a field error)
    reason: str = ""


async def set_account_status(deps: Deps, principal: Principal, cmd: SetAccountStatus) -> Person:
    person_id, status, reason = cmd.person_id, cmd.status, cmd.reason
    if status is None:
        raise ValidationFailed("status is required", [("status", "is required: active, suspended or left")])
    async with deps.unit_of_work() as uow:
        person = await visible_person(uow.session, principal, person_id, "people.manage")
        if person.id == principal.subject:
            raise PermissionDenied("permission denied: nobody changes the status of their own account")
        check_status_change(person.status, status, reason)
        now = deps.clock()
        await people_repo.update_person(uow.session, person.id, person.version, {"status": status.value})
        await people_repo.audit(
            uow.session, person.id, principal.subject, "account.status_changed",
            {"old": person.status.value, "new": status.value, "reason": reason.strip()},
        )  # fmt: skip
        if status is not AccountStatus.ACTIVE:
            await sessions_repo.revoke_person_sessions(uow.session, person.id, f"account {status.value}", now)
            uow.add_event(
                Event(
                    ev.AccountSuspended(
                        person_id=person.id,
                        status=status.value,
                        reason=reason.strip(),
                        suspended_by=principal.subject,
                    ),
                    subject=f"person/{person.id}",
                )
            )
        updated = await people_repo.get_person(uow.session, person.id)
        await uow.commit()
    return updated


async def person_history(
    deps: Deps, principal: Principal, person_id: str, page: Page
) -> tuple[list[Any], str]:
    """One page of a person's audit trail, oldest first, and the next page's token."""
    async with deps.unit_of_work() as uow:
        await visible_person(uow.session, principal, person_id, "audit.read")
        return page.cut(await people_repo.history(uow.session, person_id, page), key=lambda r: (r.seq,))
