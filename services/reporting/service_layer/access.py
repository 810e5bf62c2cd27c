"""Authorization of reporting's reads through the shared policy (ejournal_platform.authz).

The events carry faculty, department and group ids but not the university's, so a grant scoped to a
university (vice-rector, registrar office) covers every resource here: one installation serves one
university in production. (JournalOpened.university_id would lift this; see docs/events.md.)
"""

from __future__ import annotations

from collections.abc import Iterable

from ejournal_platform.authz import ANY_SCOPE_ID, ResourceScope, ScopeType, require
from ejournal_platform.context import Principal, current_principal
from ejournal_platform.errors import Unauthenticated


def caller() -> Principal:
    principal = current_principal()
    if principal is None:
        raise Unauthenticated("a bearer token is required", field="authorization")
    return principal


def resource(
    principal: Principal,
    *,
    faculty_id: str = "",
    department_id: str = "",
    group_id: str = "",
    student_id: str = "",
    assignees: Iterable[str] = (),
) -> ResourceScope:
    universities = [g.scope_id for g in principal.roles if g.scope_type == ScopeType.UNIVERSITY]
    return ResourceScope(
        university_id=universities[0] if universities else None,
        faculty_id=faculty_id or None,
        department_id=department_id or None,
        group_id=group_id or None,
        student_id=student_id or None,
        assignee_ids=frozenset(a for a in assignees if a),
    )


def allow(
    principal: Principal,
    action: str,
    *,
    faculty_id: str = "",
    department_id: str = "",
    group_id: str = "",
    student_id: str = "",
    assignees: Iterable[str] = (),
) -> Principal:
    where = resource(
        principal,
        faculty_id=faculty_id,
        department_id=department_id,
        group_id=group_id,
        student_id=student_id,
        assignees=assignees,
    )
    return require(principal, action, where)


def caller_units(principal: Principal) -> tuple[str, ...] | None:
    """The structure units the caller's grants name, whose universities bound every report they read
    (issue 18, adapters/tenancy.py); None for a grant over everything (a service identity)."""
    if principal.is_service or any(g.scope_id == ANY_SCOPE_ID for g in principal.roles):
        return None
    return tuple(sorted({g.scope_id for g in principal.roles}))
