"""Domain errors that every service raises and the gRPC layer maps to status codes.

A use case raises e.g. InvalidArgument("value", "5 is not on the scale; allowed: нб, 0..100"); the
error interceptor turns it into INVALID_ARGUMENT with a google.rpc.BadRequest detail naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Wording:
    """A message the gateway words in the user's language: a key of its table (services/gateway/i18n.py)
    and the values the text names. It travels in ErrorInfo's metadata beside the English message."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)


class DomainError(Exception):
    """Base of errors a client caused or may act on; never a 5xx-like status."""

    code_name = "FAILED_PRECONDITION"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        reason: str | None = None,
        wording: Wording | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reason = reason or message
        self.wording = wording


class InvalidArgument(DomainError):
    code_name = "INVALID_ARGUMENT"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field, reason=reason)


class NotFound(DomainError):
    code_name = "NOT_FOUND"


class AlreadyExists(DomainError):
    code_name = "ALREADY_EXISTS"


class FailedPrecondition(DomainError):
    code_name = "FAILED_PRECONDITION"


class Conflict(DomainError):
    """Optimistic concurrency lost: the caller's version is stale; `current` says what is there now."""

    code_name = "ABORTED"

    def __init__(self, message: str, *, field: str | None = None, current: str | None = None) -> None:
        super().__init__(message, field=field)
        self.current = current


class NotImplementedYet(DomainError):
    """An RPC of the contract whose use case has not been built yet (see the open issues)."""

    code_name = "UNIMPLEMENTED"


class PermissionDenied(DomainError):
    code_name = "PERMISSION_DENIED"


class Unauthenticated(DomainError):
    code_name = "UNAUTHENTICATED"


class ValidationFailed(DomainError):
    """Several field problems at once (a batch or an import): each is (field, reason)."""

    code_name = "INVALID_ARGUMENT"

    def __init__(self, message: str, violations: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.violations = violations
