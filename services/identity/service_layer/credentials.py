"""Use cases on credentials: issue or reset (by whom the profile says, KG-03), change one's own
password (where the profile allows it), read the login audit."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from ejournal_platform.authz import allowed, permits_allow
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, PermissionDenied, Unauthenticated
from ejournal_platform.pagination import Page
from services.identity.adapters import people_repo, sessions_repo
from services.identity.domain.people import AccountStatus, Person
from services.identity.domain.profiles import profile
from services.identity.service_layer.deps import Deps, hidden_not_found

ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 16) -> str:
    """A random password that meets the policy (upper, lower, digit and a symbol)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(length - 1)) + secrets.choice("-_.!")
        if (
            any(c.isupper() for c in body)
            and any(c.islower() for c in body)
            and any(c.isdigit() for c in body)
        ):
            return body


def may_issue(principal: Principal, person: Person) -> bool:
    return permits_allow(
        principal, profile(person.profile_code).credential_issuers[person.category], person.scope
    )


def check_password(deps: Deps, password: str, person: Person, field: str) -> None:
    names = (person.name.last_name, person.name.first_name)
    if problem := deps.passwords.problem(password, login=person.login, names=names):
        raise InvalidArgument(field, problem)


async def store_password(
    session: Any, deps: Deps, person: Person, password: str, actor: str, action: str
) -> None:
    password_hash = await deps.hashing.hash(password)
    now = deps.clock()
    await people_repo.set_fields(
        session,
        person.id,
        {"password_hash": password_hash, "password_set_at": now, "failed_logins": 0, "locked_until": None},
    )
    await sessions_repo.revoke_person_sessions(session, person.id, "password changed", now)
    await people_repo.audit(session, person.id, actor, action, {"by": actor})


@dataclass(frozen=True, kw_only=True)
class IssueCredentials:
    person_id: str
    password: str = ""  # empty: generate one (returned once, to the issuer)


async def issue_credentials(deps: Deps, principal: Principal, cmd: IssueCredentials) -> tuple[str, str]:
    """Set a person's password; return (login, generated password or "")."""
    person_id, password = cmd.person_id, cmd.password
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_id(uow.session, person_id, lock=True)
        if row is None:
            raise hidden_not_found(principal, "people.manage", "person", "person_id")
        person = people_repo.to_person(row)
        if not may_issue(principal, person):
            raise PermissionDenied(
                f"permission denied: under {person.profile_code} credentials of a {person.category.value} "
                "are issued by someone else (KG-03)"
            )
        if person.id == principal.subject:
            raise PermissionDenied(
                "permission denied: credentials are issued by someone else, not to oneself"
            )
        generated = ""
        if not password:
            password = generated = generate_password()
        check_password(deps, password, person, "password")
        await store_password(uow.session, deps, person, password, principal.subject, "credentials.issued")
        await uow.commit()
    return person.login, generated


def may_change_own_password(person: Person) -> bool:
    """KG-03: in kg-jasu users may not change their own access data; the portal asks before offering."""
    return profile(person.profile_code).users_change_own_password


@dataclass(frozen=True, kw_only=True)
class ChangeOwnPassword:
    current_password: str
    new_password: str


async def change_own_password(deps: Deps, principal: Principal, cmd: ChangeOwnPassword) -> None:
    current, new = cmd.current_password, cmd.new_password
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_id(uow.session, principal.subject, lock=True)
        if row is None or principal.is_service:
            raise PermissionDenied("permission denied: only a person can change their own password")
        person = people_repo.to_person(row)
        if not may_change_own_password(person):
            raise PermissionDenied(
                f"permission denied: under {person.profile_code} users may not change their own access data; "
                "ask whoever issued your credentials (KG-03)"
            )
        if person.status is not AccountStatus.ACTIVE:
            raise Unauthenticated("the account is not active")
        if not await deps.hashing.verify(row.password_hash, current):
            raise InvalidArgument("current_password", "is wrong")
        if current == new:
            raise InvalidArgument("new_password", "must differ from the current password")
        check_password(deps, new, person, "new_password")
        await store_password(uow.session, deps, person, new, principal.subject, "password.changed_by_owner")
        await uow.commit()


async def list_login_attempts(
    deps: Deps, principal: Principal, person_id: str, page: Page
) -> tuple[list[Any], str]:
    """One page of a person's sign-in attempts, newest first, and the next page's token."""
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_id(uow.session, person_id)
        if row is None:
            raise hidden_not_found(principal, "audit.read", "person", "person_id")
        person = people_repo.to_person(row)
        if person.id != principal.subject and not allowed(principal, "audit.read", person.scope):
            raise PermissionDenied("permission denied: audit.read")
        rows = await people_repo.list_login_attempts(uow.session, person_id, page)
        return page.cut(rows, key=lambda r: (r.seq,))
