"""Retrying idempotent calls while the callee (or its database, NATS, Temporal) is briefly down.

Only calls that are safe to repeat are retried, and always with the same request, so a write carries
the same idempotency key every time and a retry of an accepted write returns the first answer. A
call is safe to repeat when its request carries a non-empty `idempotency_key` / `request_id`, or when
its RPC only reads (its name starts with a reading verb). Retries use stamina (exponential backoff
with jitter, bounded in attempts and time); what still fails reaches the caller as UNAVAILABLE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import stamina

from ejournal_platform.unavailable import UNAVAILABLE_GRPC_CODES

IDEMPOTENCY_FIELDS = ("idempotency_key", "request_id")
READING_VERBS = ("Get", "List", "Read", "Search", "Verify", "Explain", "Export", "Check", "Watch", "Find")
NEVER_RETRIED = ("/grpc.health.v1.Health/",)  # a probe must report what it sees, at once


def rpc_name(method: str | bytes) -> str:
    text = method.decode() if isinstance(method, bytes) else method
    return text.rsplit("/", 1)[-1]


def is_idempotent(method: str | bytes, request: Any) -> bool:
    text = method.decode() if isinstance(method, bytes) else method
    if text.startswith(NEVER_RETRIED):
        return False
    if rpc_name(text).startswith(READING_VERBS):
        return True
    for name in IDEMPOTENCY_FIELDS:
        descriptor = getattr(request, "DESCRIPTOR", None)
        if descriptor is not None and name in descriptor.fields_by_name and getattr(request, name):
            return True
    return False


def is_retryable(error: Exception) -> bool:
    return isinstance(error, grpc.aio.AioRpcError) and error.code() in UNAVAILABLE_GRPC_CODES


_Unary: Any = grpc.aio.UnaryUnaryClientInterceptor


class RetryIdempotent(_Unary):  # type: ignore[misc]
    """Retries idempotent unary calls on UNAVAILABLE; others pass through untouched."""

    def __init__(self, attempts: int = 5, timeout: float = 4.0, wait_max: float = 1.0) -> None:
        self.attempts = attempts
        self.timeout = timeout
        self.wait_max = wait_max

    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        if not is_idempotent(client_call_details.method, request):
            return await continuation(client_call_details, request)
        async for attempt in stamina.retry_context(
            on=is_retryable,
            attempts=self.attempts,
            timeout=self.timeout,
            wait_initial=0.1,
            wait_max=self.wait_max,
            wait_jitter=0.1,
        ):
            with attempt:
                call = await continuation(client_call_details, request)
                return await call
        raise AssertionError("stamina re-raises the last error")  # pragma: no cover
