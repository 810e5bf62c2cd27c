"""Role assignments: a person x role x scope x validity period.

Which scope types a role may be held at is fixed here (a dean is a dean of a faculty, a parent is a
parent of one student); the token carries only assignments valid on the day it is issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ejournal_platform.authz import ANY_SCOPE_ID, Role, ScopeType
from ejournal_platform.context import RoleGrant
from ejournal_platform.errors import ValidationFailed

U, F, D, SP, G, DI, ST = (
    ScopeType.UNIVERSITY,
    ScopeType.FACULTY,
    ScopeType.DEPARTMENT,
    ScopeType.SPECIALTY,
    ScopeType.GROUP,
    ScopeType.DISCIPLINE,
    ScopeType.STUDENT,
)

SCOPES_OF_ROLE: dict[Role, frozenset[ScopeType]] = {
    Role.VICE_RECTOR: frozenset({U}),
    Role.REGISTRAR_INSPECTOR: frozenset({U, F}),
    Role.REGISTRAR_SENIOR_INSPECTOR: frozenset({U, F}),
    Role.REGISTRAR_HEAD: frozenset({U}),
    Role.DEAN: frozenset({F}),
    Role.DEAN_CURATION: frozenset({F}),
    Role.DEAN_STAFF: frozenset({F}),
    Role.DEPARTMENT_HEAD: frozenset({D}),
    Role.DISCIPLINE_LEAD: frozenset({DI, D}),
    Role.METHODOLOGIST: frozenset({U, F, D}),
    Role.CURRICULUM_CHAIR: frozenset({U, F, SP}),
    Role.TEACHER: frozenset({D}),
    Role.CURATOR: frozenset({G}),
    Role.STUDENT: frozenset({ST}),
    Role.PARENT: frozenset({ST}),
    Role.ADMINISTRATOR: frozenset({U}),
}
# The service role belongs to service identities only; no person can be granted it.
GRANTABLE = frozenset(SCOPES_OF_ROLE)


@dataclass(frozen=True)
class RoleAssignment:
    id: str
    person_id: str
    role: str
    scope_type: str
    scope_id: str
    valid_from: date
    valid_until: date | None
    revoked: bool
    granted_by: str

    def valid_on(self, day: date) -> bool:
        return (
            not self.revoked
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    @property
    def grant(self) -> RoleGrant:
        return RoleGrant(self.role, self.scope_type, self.scope_id)


def parse_day(value: str, field: str, problems: list[tuple[str, str]]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append((field, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


@dataclass(frozen=True)
class NewAssignment:
    role: Role
    scope_type: ScopeType
    scope_id: str
    valid_from: date
    valid_until: date | None


def validate_assignment(
    role: str, scope_type: str, scope_id: str, valid_from: str, valid_until: str, today: date
) -> NewAssignment:
    problems: list[tuple[str, str]] = []
    known = ", ".join(sorted(r.value for r in GRANTABLE))
    role_value = next((r for r in GRANTABLE if r.value == role), None)
    if role_value is None:
        problems.append(("role", f"unknown role {role!r}; known: {known}"))
    scope_value = next((s for s in ScopeType if s.value == scope_type), None)
    if scope_value is None:
        problems.append(("scope_type", f"unknown scope type {scope_type!r}"))
    elif role_value is not None and scope_value not in SCOPES_OF_ROLE[role_value]:
        allowed = ", ".join(sorted(s.value for s in SCOPES_OF_ROLE[role_value]))
        problems.append(("scope_type", f"{role} is held within: {allowed}"))
    if not scope_id.strip() or scope_id.strip() == ANY_SCOPE_ID:
        problems.append(("scope_id", "is required"))
    start = parse_day(valid_from, "valid_from", problems) or today
    end = parse_day(valid_until, "valid_until", problems)
    if end is not None and end < start:
        problems.append(("valid_until", "is before valid_from"))
    if problems:
        raise ValidationFailed("the role cannot be granted", problems)
    assert role_value is not None and scope_value is not None
    return NewAssignment(role_value, scope_value, scope_id.strip(), start, end)
