"""Authorization of curriculum's use cases: `require(principal, action, scope)`.

The call shape is identity's `ejournal_platform.authz.require(principal, action, resource_scope)` with
the same action names and role names; until that module is on this branch this file holds the
curriculum rows of the policy. Switching is one line: import `require`, `ResourceScope` and `EVERYWHERE`
from ejournal_platform.authz instead of defining them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import PermissionDenied, Unauthenticated
from ejournal_platform.logging import get_logger

log = get_logger(__name__)

REGISTRAR = ("registrar_inspector", "registrar_senior_inspector", "registrar_head")
DEANS_OFFICE = ("dean", "dean_curation", "dean_staff")
SERVICE = "service"
ANY_SCOPE_ID = "*"
SCOPE, ASSIGNED, ANYWHERE = "scope", "assigned", "anywhere"


@dataclass(frozen=True)
class ResourceScope:
    """Where a resource sits; a role granted at one of these levels covers it."""

    university_id: str | None = None
    faculty_id: str | None = None
    department_id: str | None = None
    specialty_id: str | None = None
    group_id: str | None = None
    discipline_id: str | None = None
    student_id: str | None = None
    assignee_ids: frozenset[str] = field(default_factory=frozenset)
    owner_id: str | None = None

    def id_at(self, scope_type: str) -> str | None:
        value = getattr(self, f"{scope_type}_id", None)
        return value if isinstance(value, str) else None


EVERYWHERE = ResourceScope()


def _rows(*roles: str, reach: str = SCOPE) -> tuple[tuple[str, str], ...]:
    return tuple((role, reach) for role in roles)


_EVERYONE = (
    "vice_rector",
    *REGISTRAR,
    *DEANS_OFFICE,
    "department_head",
    "discipline_lead",
    "methodologist",
    "curriculum_chair",
    "teacher",
    "curator",
    "student",
    "parent",
    "administrator",
)

POLICY: Mapping[str, tuple[tuple[str, str], ...]] = {
    "structure.read": (*_rows(*_EVERYONE, reach=ANYWHERE), (SERVICE, SCOPE)),
    "structure.manage": _rows("administrator", *REGISTRAR),  # KG-02, KG-14
    "curriculum.read": (*_rows(*_EVERYONE, reach=ANYWHERE), (SERVICE, SCOPE)),
    "curriculum.manage": _rows(*REGISTRAR, "curriculum_chair", "methodologist", "administrator"),  # KZ-03
    "contingent.manage": _rows(*REGISTRAR, *DEANS_OFFICE, "administrator"),  # KZ-15
    "teaching_load.manage": _rows("department_head", "administrator", *REGISTRAR),  # KG-02
    "lesson_plan.upload": (
        *_rows("department_head", "discipline_lead", "methodologist", *REGISTRAR),
        ("teacher", ASSIGNED),
    ),  # KZ-15: appointed uploaders are passed as assignees
    "lesson_plan.appoint": _rows("department_head"),  # KZ-15
    "schedule.manage": _rows("administrator", *REGISTRAR),  # KG-02
    "calendar.manage": _rows(*REGISTRAR),  # KZ-06: deadlines are the registrar's
    "classroom.secret.read": (("administrator", SCOPE), (SERVICE, SCOPE)),  # KG-09
    # The audit of one entity: registrar office, vice-rector and administrators of any scope.
    "audit.read": (*_rows(*REGISTRAR, "vice_rector", "administrator", reach=ANYWHERE), (SERVICE, SCOPE)),
}


def _grant_covers(grant: RoleGrant, resource: ResourceScope) -> bool:
    if grant.scope_id == ANY_SCOPE_ID:
        return grant.role == SERVICE
    return resource.id_at(grant.scope_type) == grant.scope_id


def allowed(principal: Principal | None, action: str, resource: ResourceScope = EVERYWHERE) -> bool:
    if action not in POLICY:
        raise LookupError(f"no policy row for action {action!r}")
    if principal is None:
        return False
    for role, reach in POLICY[action]:
        held = [g for g in principal.roles if g.role == role]
        if not held:
            continue
        if reach == ANYWHERE:
            return True
        if reach == ASSIGNED and principal.subject in resource.assignee_ids:
            return True
        if reach == SCOPE and any(_grant_covers(g, resource) for g in held):
            return True
    return False


def require(principal: Principal | None, action: str, resource: ResourceScope = EVERYWHERE) -> Principal:
    if principal is None:
        raise Unauthenticated("a bearer token is required", field="authorization")
    if not allowed(principal, action, resource):
        log.info("permission denied", action=action, subject=principal.subject, resource=repr(resource))
        raise PermissionDenied(f"permission denied: {action}")
    return principal


def is_registrar(principal: Principal, resource: ResourceScope) -> bool:
    """The registrar office (or a service acting for the system, such as the demo seed) in this scope."""
    return any(
        (g.role in REGISTRAR or g.role == SERVICE) and _grant_covers(g, resource) for g in principal.roles
    )


def setup_principal(university_id: str, subject: str = "ejournal:setup") -> Principal:
    """The caller the demo seed and set-up scripts act as: an administrator, the registrar head and a
    department head of one university (grants identity's policy accepts as well)."""
    roles = ("administrator", "registrar_head", "department_head")
    return Principal(subject, tuple(RoleGrant(role, "university", university_id) for role in roles))
