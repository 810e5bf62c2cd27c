"""Authorization of reporting's reads through the shared policy (ejournal_platform.authz).

A grant scoped to a university (vice-rector, registrar office) is checked here as covering every
resource, since the events carry faculty, department and group ids; what a report then reads is
limited to the caller's universities in the query itself (`caller_units`, adapters/tenancy.py: every
read model carries its university, issue 18), so a grant never reaches another university's rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from ejournal_platform.authz import ANY_SCOPE_ID, ResourceScope, ScopeType, authenticated, require
from ejournal_platform.context import Principal

# The one `authenticated()` (the caller of this call, or Unauthenticated), under this service's name.
caller = authenticated


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
