"""Authorization of curriculum's use cases: the platform's one policy (`ejournal_platform.authz`),
plus two curriculum helpers: who counts as the registrar office here, and the set-up caller."""

from __future__ import annotations

from ejournal_platform.authz import EVERYWHERE, REGISTRAR, ResourceScope, Role, allowed, grant_covers, require
from ejournal_platform.context import Principal, RoleGrant

__all__ = ["EVERYWHERE", "ResourceScope", "allowed", "is_registrar", "require", "setup_principal"]


def is_registrar(principal: Principal, resource: ResourceScope) -> bool:
    """The registrar office (or a service acting for the system, such as the demo seed) in this scope."""
    return any(
        (g.role in REGISTRAR or g.role == Role.SERVICE) and grant_covers(g, resource) for g in principal.roles
    )


def setup_principal(university_id: str, subject: str = "ejournal:setup") -> Principal:
    """The caller the demo seed and set-up scripts act as: an administrator, the registrar head and a
    department head of one university (grants identity's policy accepts as well)."""
    roles = ("administrator", "registrar_head", "department_head")
    return Principal(subject, tuple(RoleGrant(role, "university", university_id) for role in roles))
