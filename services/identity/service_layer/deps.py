"""What identity's use cases need: a unit of work, password hashing, the key ring, the policies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ejournal_platform.authz import POLICY, ScopeType
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import NotFound, PermissionDenied
from services.identity.adapters.passwords import PasswordHashing
from services.identity.domain.passwords import LockoutPolicy, PasswordPolicy
from services.identity.service_layer.keys import KeyRing


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TokenPolicy:
    access_ttl: timedelta = timedelta(minutes=5)
    # A session (refresh-token family) lasts at most this long after login, however often refreshed.
    session_ttl: timedelta = timedelta(hours=12)
    service_token_ttl: timedelta = timedelta(minutes=5)


@dataclass
class Deps:
    unit_of_work: Callable[[], UnitOfWork]
    hashing: PasswordHashing
    keys: KeyRing
    tokens: TokenPolicy = field(default_factory=TokenPolicy)
    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    # Client credentials of service identities: service name -> secret (from the environment).
    service_secrets: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = utc_now


def hidden_not_found(principal: Principal, action: str, what: str, field_name: str) -> Exception:
    """A missing resource: NOT_FOUND only for callers who could see it anywhere in their university;
    everyone else gets the same PERMISSION_DENIED as for an out-of-scope resource (no existence leak)."""
    roles = {permit.role.value for permit in POLICY[action]}
    if any(g.role in roles and g.scope_type == ScopeType.UNIVERSITY for g in principal.roles):
        return NotFound(f"no such {what}", field=field_name)
    return PermissionDenied(f"permission denied: {action}")
