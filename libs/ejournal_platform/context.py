"""Per-call context: the request id (bound into every log line) and the authenticated principal."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

import structlog

REQUEST_ID_HEADER = "x-request-id"
AUTHORIZATION_HEADER = "authorization"

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_principal: ContextVar[Principal | None] = ContextVar("principal", default=None)


@dataclass(frozen=True)
class RoleGrant:
    """A role held within a scope, as the verified token states it."""

    role: str
    scope_type: str
    scope_id: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (from a verified access token) or a service identity."""

    subject: str
    roles: tuple[RoleGrant, ...] = ()
    is_service: bool = False
    token: str | None = field(default=None, repr=False)
    claims: dict[str, object] = field(default_factory=dict, repr=False, compare=False)


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind_request_id(request_id: str | None) -> str:
    """Bind the request id for this task (and the log lines it writes); make one if absent."""
    value = request_id or new_request_id()
    _request_id.set(value)
    structlog.contextvars.bind_contextvars(request_id=value)
    return value


def current_request_id() -> str | None:
    return _request_id.get()


def set_principal(principal: Principal | None) -> None:
    _principal.set(principal)


def current_principal() -> Principal | None:
    return _principal.get()
