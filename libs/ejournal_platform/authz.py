"""The one authorization policy of ejournal: who may do what, where.

A use case describes where its resource sits (`ResourceScope`: the university, faculty, department,
specialty, group, discipline and student it belongs to, as far as they apply, plus the people assigned
to it) and calls `require(principal, "journal.write", scope)`. The decision comes from the caller's
verified role grants (role x scope) and the table `POLICY` below, which is the only place that says
which roles may perform an action and how far their reach goes:

- Reach.SCOPE     a grant of the role whose scope contains the resource (dean of faculty F reaches
                  everything whose faculty_id is F; a parent's grant is scoped to their child);
- Reach.ASSIGNED  the caller holds the role and is among the resource's `assignee_ids` (a teacher and
                  the journals of their teaching load, or a substitute during a substitution: the
                  owning service decides who is assigned and passes it in the scope);
- Reach.OWN       the caller holds the role and the resource is their own (`owner_id` is the caller);
- Reach.ANYWHERE  holding the role anywhere is enough (reference data everyone may read).

A refusal never says whether the resource exists: the message names the action only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from ejournal_platform.context import Principal, RoleGrant, current_principal
from ejournal_platform.errors import NotFound, PermissionDenied, Unauthenticated, Wording
from ejournal_platform.logging import get_logger

log = get_logger(__name__)


class Role(StrEnum):
    VICE_RECTOR = "vice_rector"
    REGISTRAR_INSPECTOR = "registrar_inspector"
    REGISTRAR_SENIOR_INSPECTOR = "registrar_senior_inspector"
    REGISTRAR_HEAD = "registrar_head"
    DEAN = "dean"
    DEAN_CURATION = "dean_curation"
    DEAN_STAFF = "dean_staff"
    DEPARTMENT_HEAD = "department_head"
    DISCIPLINE_LEAD = "discipline_lead"
    METHODOLOGIST = "methodologist"
    CURRICULUM_CHAIR = "curriculum_chair"
    TEACHER = "teacher"
    CURATOR = "curator"
    STUDENT = "student"
    PARENT = "parent"
    ADMINISTRATOR = "administrator"
    # A service acting on its own (a deadline fired, an event consumed), not on a person's behalf.
    SERVICE = "service"


class ScopeType(StrEnum):
    UNIVERSITY = "university"
    FACULTY = "faculty"
    DEPARTMENT = "department"
    SPECIALTY = "specialty"
    GROUP = "group"
    DISCIPLINE = "discipline"
    STUDENT = "student"


# A grant with this scope id covers every resource (service identities; never given to a person).
ANY_SCOPE_ID = "*"

REGISTRAR = (Role.REGISTRAR_INSPECTOR, Role.REGISTRAR_SENIOR_INSPECTOR, Role.REGISTRAR_HEAD)
DEANS_OFFICE = (Role.DEAN, Role.DEAN_CURATION, Role.DEAN_STAFF)
# Roles that oversee the teaching of their scope (read everything in it, monitor filling quality).
OVERSIGHT = (
    Role.VICE_RECTOR,
    *REGISTRAR,
    *DEANS_OFFICE,
    Role.DEPARTMENT_HEAD,
    Role.DISCIPLINE_LEAD,
    Role.METHODOLOGIST,
    Role.CURRICULUM_CHAIR,
)
STAFF = (*OVERSIGHT, Role.TEACHER, Role.CURATOR, Role.ADMINISTRATOR)
EVERYONE = (*STAFF, Role.STUDENT, Role.PARENT)


@dataclass(frozen=True)
class ResourceScope:
    """Where a resource sits. Leave out what does not apply; a grant only covers the levels named."""

    university_id: str | None = None
    faculty_id: str | None = None
    department_id: str | None = None
    specialty_id: str | None = None
    group_id: str | None = None
    discipline_id: str | None = None
    student_id: str | None = None
    # People the owning service has assigned to the resource (teaching load, an active substitution).
    assignee_ids: frozenset[str] = field(default_factory=frozenset)
    # The person the resource belongs to (their own account, their own login request...).
    owner_id: str | None = None

    def id_at(self, scope_type: str) -> str | None:
        value = getattr(self, f"{scope_type}_id", None) if scope_type in _SCOPE_TYPES else None
        return value if isinstance(value, str) else None


_SCOPE_TYPES = frozenset(ScopeType)
EVERYWHERE = ResourceScope()


class Reach(StrEnum):
    SCOPE = "scope"
    ASSIGNED = "assigned"
    OWN = "own"
    ANYWHERE = "anywhere"


@dataclass(frozen=True)
class Permit:
    role: Role
    reach: Reach = Reach.SCOPE


def permits(roles: Iterable[Role], reach: Reach = Reach.SCOPE) -> tuple[Permit, ...]:
    return tuple(Permit(role, reach) for role in roles)


A, OWN, W = Reach.ASSIGNED, Reach.OWN, Reach.ANYWHERE
_SVC = Permit(Role.SERVICE)
_READ_JOURNAL = (
    *permits(OVERSIGHT),
    Permit(Role.TEACHER, A),
    Permit(Role.CURATOR),
    Permit(Role.STUDENT),
    Permit(Role.PARENT),
    Permit(Role.ADMINISTRATOR),
    _SVC,
)

# action -> who may perform it. Add a row when you add an action; `require` refuses unknown actions.
POLICY: Mapping[str, tuple[Permit, ...]] = {
    # identity
    "people.read": (*permits(STAFF), Permit(Role.PARENT), *permits(EVERYONE, OWN), _SVC),
    "people.manage": (Permit(Role.ADMINISTRATOR), *permits(REGISTRAR), _SVC),  # KG-14, KZ-15 contingent
    "roles.read": (Permit(Role.ADMINISTRATOR), *permits(REGISTRAR), *permits(EVERYONE, OWN), _SVC),
    "roles.grant": (Permit(Role.ADMINISTRATOR), _SVC),  # KG-14: access rights by category
    "parents.link": (Permit(Role.ADMINISTRATOR), *permits(DEANS_OFFICE)),
    "audit.read": (Permit(Role.ADMINISTRATOR), Permit(Role.REGISTRAR_HEAD), Permit(Role.VICE_RECTOR)),
    "keys.rotate": (Permit(Role.ADMINISTRATOR, W), _SVC),  # installation-wide and harmless to repeat
    "profile.manage": (Permit(Role.ADMINISTRATOR),),  # KG-14: base parameters
    "login_request.submit": (Permit(Role.DEPARTMENT_HEAD),),  # KZ-15
    "login_request.read": (Permit(Role.DEPARTMENT_HEAD), Permit(Role.ADMINISTRATOR), *permits(REGISTRAR)),
    "login_request.decide": (Permit(Role.ADMINISTRATOR), *permits(REGISTRAR)),
    "substitution.appoint": (Permit(Role.DEPARTMENT_HEAD),),  # KZ-07, KG-07
    "substitution.read": (*permits(OVERSIGHT), Permit(Role.ADMINISTRATOR), Permit(Role.TEACHER, A), _SVC),
    # Contacts (issue 17): one's own, the administrator's, and a group's curator for its students and
    # their parents (KG-11: curators use attendance to contact parents).
    "contacts.read": (Permit(Role.ADMINISTRATOR), Permit(Role.CURATOR), *permits(EVERYONE, OWN), _SVC),
    "contacts.manage": (Permit(Role.ADMINISTRATOR), *permits(EVERYONE, OWN), _SVC),
    "contacts.resolve": (_SVC,),  # chat ids and every recipient's preferences: the notifier only
    # curriculum
    "structure.read": (*permits(EVERYONE, W), _SVC),
    "structure.manage": (Permit(Role.ADMINISTRATOR), *permits(REGISTRAR)),  # KG-02
    "curriculum.read": (*permits(EVERYONE, W), _SVC),
    "curriculum.manage": (  # KZ-03: the methodologist loads the curriculum
        *permits(REGISTRAR),
        Permit(Role.CURRICULUM_CHAIR),
        Permit(Role.METHODOLOGIST),
        Permit(Role.ADMINISTRATOR),
    ),
    "contingent.manage": (*permits(REGISTRAR), *permits(DEANS_OFFICE), Permit(Role.ADMINISTRATOR)),
    # Personal data by need (issue 13): a student's movement history and a group's member list with
    # names go to the student, their parent, the group's curator, the teachers of the group's journals
    # (its teaching load) and the dean's office and registrar office of that faculty or university.
    "contingent.read": (
        Permit(Role.STUDENT, OWN),
        Permit(Role.PARENT),
        Permit(Role.CURATOR),
        Permit(Role.TEACHER, A),
        *permits(DEANS_OFFICE),
        *permits(REGISTRAR),
        _SVC,
    ),
    "teaching_load.manage": (Permit(Role.DEPARTMENT_HEAD), Permit(Role.ADMINISTRATOR), *permits(REGISTRAR)),
    # Who teaches whom: oversight in its scope, a department's teachers, a teacher's own load, a group's
    # curator, its students and their parents (KG-06: a teacher's access follows the load).
    "teaching_load.read": (
        *permits(OVERSIGHT),
        Permit(Role.ADMINISTRATOR),
        Permit(Role.TEACHER),
        Permit(Role.TEACHER, A),
        Permit(Role.CURATOR),
        Permit(Role.STUDENT),
        Permit(Role.PARENT),
        _SVC,
    ),
    "lesson_plan.upload": (
        Permit(Role.DEPARTMENT_HEAD),
        Permit(Role.DISCIPLINE_LEAD),
        Permit(Role.METHODOLOGIST),
        *permits(REGISTRAR),  # late changes, with a reason
        Permit(Role.TEACHER, A),  # KZ-15: uploaders the department head appointed are the assignees
    ),
    "lesson_plan.appoint": (Permit(Role.DEPARTMENT_HEAD),),  # KZ-15
    "classroom.secret.read": (Permit(Role.ADMINISTRATOR), _SVC),  # KG-09: the QR secret
    "schedule.manage": (Permit(Role.ADMINISTRATOR), *permits(REGISTRAR)),
    "calendar.manage": permits(REGISTRAR),  # KZ-06: deadlines are the registrar's
    # gradebook
    "journal.read": _READ_JOURNAL,
    "journal.write": (Permit(Role.TEACHER, A),),  # KG-06: only the groups they teach (or substitute)
    "journal.close": (Permit(Role.TEACHER, A), *permits(REGISTRAR), _SVC),
    "journal.reopen": (Permit(Role.REGISTRAR_SENIOR_INSPECTOR), Permit(Role.REGISTRAR_HEAD)),  # KZ-13.3
    "journal.monitor": (*permits(OVERSIGHT), _SVC),  # KZ-10, KG-08
    "statement.form": (Permit(Role.TEACHER, A), Permit(Role.DEPARTMENT_HEAD), *permits(REGISTRAR), _SVC),
    "statement.read": _READ_JOURNAL,
    "attendance.checkin": (Permit(Role.STUDENT),),  # KG-09
    "mark.dispute": (Permit(Role.STUDENT),),  # KG-10
    "mark.dispute.answer": (Permit(Role.TEACHER, A),),
    # workflow
    "reopen.request": (Permit(Role.TEACHER, A),),  # KZ-13.1
    "reopen.endorse": (Permit(Role.DEPARTMENT_HEAD), Permit(Role.DEAN_CURATION), Permit(Role.DEAN)),  # KZ-08
    "reopen.decide": (Permit(Role.DEAN),),  # KZ-13.2: the dean's council
    "reopen.grant": (Permit(Role.REGISTRAR_SENIOR_INSPECTOR), Permit(Role.REGISTRAR_HEAD), _SVC),
    "sanction.record": permits(REGISTRAR),  # KZ-13.7, KZ-14
    "tasks.read": (*permits(STAFF, W),),
    # reporting
    "report.read": (
        *permits(OVERSIGHT),
        Permit(Role.ADMINISTRATOR),
        Permit(Role.CURATOR),
        Permit(Role.TEACHER, A),
    ),
    "report.archive": (Permit(Role.ADMINISTRATOR), _SVC),  # KG-14, KG-12
    # subscribers (issue 20): a university's administrator connects its outside systems
    "subscribers.manage": (Permit(Role.ADMINISTRATOR),),
}


class UnknownAction(LookupError):
    """A programming error: the action has no row in POLICY."""


def grant_covers(grant: RoleGrant, resource: ResourceScope) -> bool:
    """Whether the grant's scope contains the resource (the resource names that level and it matches)."""
    if grant.scope_id == ANY_SCOPE_ID:
        return grant.role == Role.SERVICE
    return resource.id_at(grant.scope_type) == grant.scope_id


def _permit_allows(principal: Principal, permit: Permit, resource: ResourceScope) -> bool:
    held = [grant for grant in principal.roles if grant.role == permit.role]
    if not held:
        return False
    match permit.reach:
        case Reach.SCOPE:
            return any(grant_covers(grant, resource) for grant in held)
        case Reach.ASSIGNED:
            return principal.subject in resource.assignee_ids
        case Reach.OWN:
            return resource.owner_id is not None and resource.owner_id == principal.subject
        case Reach.ANYWHERE:
            return True
    return False


def permits_allow(principal: Principal, granted: Iterable[Permit], resource: ResourceScope) -> bool:
    """The decision over an explicit list of permits (for rules that are profile data, e.g. KG-03)."""
    return any(_permit_allows(principal, permit, resource) for permit in granted)


def allowed(principal: Principal | None, action: str, resource: ResourceScope = EVERYWHERE) -> bool:
    if action not in POLICY:
        raise UnknownAction(f"no policy row for action {action!r}")
    if principal is None:
        return False
    return permits_allow(principal, POLICY[action], resource)


def require(principal: Principal | None, action: str, resource: ResourceScope = EVERYWHERE) -> Principal:
    """Return the principal if it may perform the action here; otherwise raise PermissionDenied."""
    if principal is None:
        raise Unauthenticated("a bearer token is required", field="authorization")
    if not allowed(principal, action, resource):
        # The details go to the log only: the caller learns nothing about the resource.
        log.info("permission denied", action=action, subject=principal.subject, resource=repr(resource))
        raise refusal(action)
    return principal


def refusal(action: str) -> PermissionDenied:
    """The one refusal of an action: the same words whether the resource is someone else's or missing."""
    wording = Wording("permission_denied", {"action": action})
    return PermissionDenied(f"permission denied: {action}", wording=wording)


@contextmanager
def missing_is_refused(action: str) -> Iterator[None]:
    """Around the look-ups that find where a resource sits before `require` can decide: a resource
    that does not exist is refused exactly like one the caller may not touch (issue 13: answers never
    reveal whether an id exists)."""
    try:
        yield
    except NotFound as error:
        log.info("permission denied (not found)", action=action, reason=str(error))
        raise refusal(action) from None


def require_current(action: str, resource: ResourceScope = EVERYWHERE) -> Principal:
    """`require` for the principal the gRPC interceptor authenticated for this call."""
    return require(current_principal(), action, resource)


def authenticated() -> Principal:
    """The caller of this call, or Unauthenticated (for calls every signed-in person may make)."""
    principal = current_principal()
    if principal is None:
        raise Unauthenticated("a bearer token is required", field="authorization")
    return principal
