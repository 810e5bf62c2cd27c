"""The caller as the workflow's domain sees them: person id and role grants from the verified token."""

from __future__ import annotations

from ejournal_platform.context import Principal
from ejournal_platform.errors import Unauthenticated
from services.workflow.domain.actors import Actor, Grant


def actor_of(principal: Principal | None) -> Actor:
    if principal is None:
        raise Unauthenticated("a bearer token is required", field="authorization")
    return Actor(principal.subject, tuple(Grant(g.role, g.scope_type, g.scope_id) for g in principal.roles))
