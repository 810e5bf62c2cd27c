"""Use cases on role assignments: grant (by category, KG-14), revoke, list; parents linked to a child."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.identity.v1 import events_pb2 as ev
from ejournal_platform.authz import Role, allowed, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists, FailedPrecondition, PermissionDenied, ValidationFailed
from ejournal_platform.events import Event
from services.identity.adapters import people_repo, roles_repo
from services.identity.domain.people import Person, PersonCategory
from services.identity.domain.profiles import profile
from services.identity.domain.roles import NewAssignment, RoleAssignment, validate_assignment
from services.identity.service_layer.deps import Deps, hidden_not_found
from services.identity.service_layer.people import visible_person


def grant_action(role: str) -> str:
    # Linking a parent to a child is the dean's office's business too; every other role is the
    # administrator's, who ensures access rights by category (KG-14).
    return "parents.link" if role == Role.PARENT.value else "roles.grant"


async def check_grant_subject(session: AsyncSession, person: Person, new: NewAssignment) -> None:
    """Whether this person can hold this role in this scope at all (category, the child, KZ-15)."""
    problems: list[tuple[str, str]] = []
    if new.role is Role.STUDENT:
        if person.category is not PersonCategory.STUDENT:
            problems.append(("role", "only a person registered as a student can hold the student role"))
        if new.scope_id != person.id:
            problems.append(("scope_id", "a student's role is scoped to the student themself"))
    elif new.role is Role.PARENT:
        if person.category is not PersonCategory.PARENT:
            problems.append(("role", "only a person registered as a parent can be linked to a child"))
        child = await people_repo.find_by_id(session, new.scope_id)
        if child is None or child.category != PersonCategory.STUDENT.value:
            problems.append(("scope_id", "must be the person id of a student (the child)"))
    elif person.category is not PersonCategory.STAFF:
        problems.append(
            ("role", f"{new.role.value} is a staff role; the person is a {person.category.value}")
        )
    if problems:
        raise ValidationFailed("the role cannot be granted", problems)
    if (
        new.role is Role.TEACHER
        and profile(person.profile_code).new_teachers_need_login_request
        and not person.from_login_request
        and not await roles_repo.ever_held(session, person.id, Role.TEACHER)
    ):
        raise FailedPrecondition(
            f"under {person.profile_code} a new teacher's login is issued on the department head's "
            "login request (KZ-15): submit one with SubmitLoginRequest",
            field="role",
        )


def role_event(assignment: RoleAssignment) -> Event:
    return Event(
        ev.RoleGranted(
            assignment_id=assignment.id,
            person_id=assignment.person_id,
            role=assignment.role,
            scope_type=assignment.scope_type,
            scope_id=assignment.scope_id,
            valid_from=assignment.valid_from.isoformat(),
            valid_until=assignment.valid_until.isoformat() if assignment.valid_until else "",
            granted_by=assignment.granted_by,
        ),
        subject=f"person/{assignment.person_id}",
    )


async def grant(
    session: AsyncSession, person: Person, new: NewAssignment, by: str
) -> tuple[RoleAssignment, Event]:
    """Insert a checked assignment (callers authorize); an overlapping equal grant is a duplicate."""
    if await roles_repo.find_overlapping(session, person.id, new):
        raise AlreadyExists("the person already holds this role in this scope for that period", field="role")
    assignment = await roles_repo.insert_assignment(session, person.id, new, by)
    await people_repo.audit(
        session, person.id, by, "role.granted",
        {"assignment_id": assignment.id, "role": new.role.value, "scope_type": new.scope_type.value,
         "scope_id": new.scope_id, "valid_from": new.valid_from, "valid_until": new.valid_until},
    )  # fmt: skip
    return assignment, role_event(assignment)


@dataclass(frozen=True, kw_only=True)
class GrantRole:
    person_id: str
    role: str
    scope_type: str
    scope_id: str
    valid_from: str = ""  # ISO dates; empty: from today, without end
    valid_until: str = ""


async def grant_role(deps: Deps, principal: Principal, cmd: GrantRole) -> RoleAssignment:
    today = deps.clock().date()
    new = validate_assignment(cmd.role, cmd.scope_type, cmd.scope_id, cmd.valid_from, cmd.valid_until, today)
    action = grant_action(cmd.role)
    async with deps.unit_of_work() as uow:
        person = await visible_person(uow.session, principal, cmd.person_id, action)
        if new.role is Role.PARENT:  # the dean's office links parents of its own faculty's students
            child = await people_repo.find_by_id(uow.session, new.scope_id)
            if child is not None:
                require(principal, action, people_repo.to_person(child).scope)
        await check_grant_subject(uow.session, person, new)
        assignment, event = await grant(uow.session, person, new, principal.subject)
        uow.add_event(event)
        await uow.commit()
    return assignment


@dataclass(frozen=True, kw_only=True)
class RevokeRole:
    assignment_id: str
    reason: str


async def revoke_role(deps: Deps, principal: Principal, cmd: RevokeRole) -> RoleAssignment:
    assignment_id, reason = cmd.assignment_id, cmd.reason
    if not reason.strip():
        raise ValidationFailed("a reason is required", [("reason", "is required to revoke a role")])
    async with deps.unit_of_work() as uow:
        try:
            assignment = await roles_repo.get_assignment(uow.session, assignment_id, lock=True)
        except Exception:
            raise hidden_not_found(principal, "roles.grant", "role assignment", "assignment_id") from None
        await visible_person(uow.session, principal, assignment.person_id, grant_action(assignment.role))
        if assignment.revoked:
            raise FailedPrecondition("the assignment is already revoked", field="assignment_id")
        if assignment.person_id == principal.subject and assignment.role == Role.ADMINISTRATOR.value:
            raise PermissionDenied(
                "permission denied: an administrator cannot revoke their own administrator role"
            )
        await roles_repo.revoke(uow.session, assignment.id, principal.subject, reason.strip(), deps.clock())
        await people_repo.audit(
            uow.session, assignment.person_id, principal.subject, "role.revoked",
            {"assignment_id": assignment.id, "role": assignment.role, "reason": reason.strip()},
        )  # fmt: skip
        uow.add_event(
            Event(
                ev.RoleRevoked(
                    assignment_id=assignment.id,
                    person_id=assignment.person_id,
                    role=assignment.role,
                    scope_type=assignment.scope_type,
                    scope_id=assignment.scope_id,
                    revoked_by=principal.subject,
                    reason=reason.strip(),
                ),
                subject=f"person/{assignment.person_id}",
            )
        )
        revoked = await roles_repo.get_assignment(uow.session, assignment.id)
        await uow.commit()
    return revoked


async def list_roles(deps: Deps, principal: Principal, person_id: str) -> list[RoleAssignment]:
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_id(uow.session, person_id)
        if row is None:
            raise hidden_not_found(principal, "roles.read", "person", "person_id")
        person = people_repo.to_person(row)
        if not allowed(principal, "roles.read", person.scope):
            raise PermissionDenied("permission denied: roles.read")
        return await roles_repo.list_for_person(uow.session, person_id)
