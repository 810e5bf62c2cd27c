"""Retrying idempotent calls while the callee (or its database, NATS, Temporal) is briefly down.

Only calls that are safe to repeat are retried, and always with the same request, so a write carries
the same idempotency key every time and a retry of an accepted write returns the first answer. A
call is safe to repeat when its request carries a non-empty `idempotency_key` / `request_id`, or when
its RPC only reads (its name starts with a reading verb). Retries use stamina (exponential backoff
with jitter, bounded in attempts and time); what still fails reaches the caller as UNAVAILABLE.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

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

T = TypeVar("T")


class RetryIdempotent(_Unary):  # type: ignore[misc]
    """Retries idempotent unary calls on UNAVAILABLE; others pass through untouched."""

    def __init__(self, attempts: int = 5, timeout: float = 4.0, wait_max: float = 1.0) -> None:
        self.attempts = attempts
        self.timeout = timeout
        self.wait_max = wait_max

    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        async def attempt() -> Any:
            call = await continuation(client_call_details, request)
            return await call

        if not is_idempotent(client_call_details.method, request):
            return await continuation(client_call_details, request)
        return await self.retried(attempt)

    async def call(self, method: str | bytes, request: Any, attempt: Callable[[], Awaitable[T]]) -> T:
        """`attempt()` (one call of `method` with `request`), retried as this interceptor retries: for a
        caller that calls without interceptors (the gateway's hot path, services/gateway/clients.py)."""
        if not is_idempotent(method, request):
            return await attempt()
        return await self.retried(attempt)

    async def retried(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """The first attempt runs bare: building stamina's retry state for every call was a visible
        share of a save's CPU in the gateway (issue 19), and nearly every call succeeds at once. A
        first failure worth retrying is replayed into stamina as its own first attempt, so the backoff
        (and stamina's retry hooks) go on exactly as before; its time counts against `timeout`."""
        started = time.monotonic()
        try:
            return await attempt()
        except Exception as error:
            if not is_retryable(error):
                raise
            failure = error
        left = self.timeout - (time.monotonic() - started)
        if left <= 0:
            raise failure
        first: Exception | None = failure
        async for retry in stamina.retry_context(
            on=is_retryable,
            attempts=self.attempts,
            timeout=left,
            wait_initial=0.1,
            wait_max=self.wait_max,
            wait_jitter=0.1,
        ):
            with retry:
                if first is not None:
                    failed, first = first, None
                    raise failed
                return await attempt()
        raise AssertionError("stamina re-raises the last error")  # pragma: no cover
