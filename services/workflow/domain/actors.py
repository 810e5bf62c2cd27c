"""Who acts on a case: a person and the roles they hold within scopes, as their verified token said.

The gRPC layer authenticates the caller; the servicer copies the principal into an `Actor` that travels
inside the workflow update, so the update's validator (deterministic, no I/O) decides from it.

Scope reach: a grant at university scope covers that university's cases (a deployment may hold several);
a grant at faculty scope covers that faculty's cases; at department scope, that department's cases.
"""

from dataclasses import dataclass

UNIVERSITY = "university"
FACULTY = "faculty"
DEPARTMENT = "department"


@dataclass(frozen=True)
class Grant:
    role: str
    scope_type: str
    scope_id: str


@dataclass(frozen=True)
class Actor:
    person_id: str
    grants: tuple[Grant, ...] = ()

    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)

    def holds(
        self, role: str, *, faculty_id: str = "", department_id: str = "", university_id: str | None = None
    ) -> bool:
        """Whether the actor holds `role` over a resource of this faculty, department and university. A
        grant at university scope reaches its own university's resources only (issue 18); a resource
        whose university is unknown ("") or not said (None: "anywhere in a university") as before."""
        for grant in self.grants:
            if grant.role != role:
                continue
            if grant.scope_type == UNIVERSITY:
                if not university_id or grant.scope_id == university_id:
                    return True
                continue
            if grant.scope_type == FACULTY and faculty_id and grant.scope_id == faculty_id:
                return True
            if grant.scope_type == DEPARTMENT and department_id and grant.scope_id == department_id:
                return True
        return False

    def scope_ids(self, role: str, scope_type: str) -> tuple[str, ...]:
        """The scope ids at one level where the actor holds `role` (for task-list queries)."""
        return tuple(g.scope_id for g in self.grants if g.role == role and g.scope_type == scope_type)

    def holds_anywhere(self, role: str) -> bool:
        return any(grant.role == role for grant in self.grants)


# Roles that oversee the teaching of their scope (see ejournal_platform.authz.OVERSIGHT).
OVERSIGHT_ROLES = (
    "vice_rector",
    "registrar_inspector",
    "registrar_senior_inspector",
    "registrar_head",
    "dean",
    "dean_curation",
    "dean_staff",
    "department_head",
    "discipline_lead",
    "methodologist",
    "curriculum_chair",
)
REGISTRAR_ROLES = ("registrar_inspector", "registrar_senior_inspector", "registrar_head")


def oversees(actor: Actor, faculty_id: str, department_id: str, university_id: str = "") -> bool:
    """Whether an oversight role of the actor reaches a resource of this faculty, department and
    university."""
    return any(
        actor.holds(r, faculty_id=faculty_id, department_id=department_id, university_id=university_id)
        for r in OVERSIGHT_ROLES
    )


# The service's own identity (a deadline fired): never a person, so it never approves anything.
SYSTEM = Actor(person_id="service:workflow")
