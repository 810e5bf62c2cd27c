"""The gateway's unary calls to the services without gRPC client interceptors while no span is recorded.

A service's channel (ejournal_platform.grpc.client.open_channel) runs every call through three
interceptors: the retry of idempotent calls, OpenTelemetry's client span (which puts the `traceparent`
in the metadata), and the context's request id and token. Through grpc.aio's interceptor machinery
that was ~0.3 ms of the gateway's CPU on a 25-cell save, a fifth of it (docs/perf/README.md, stop 31).
A lean call does the same three things inline, on a channel without interceptors:
- the retry: `RetryIdempotent.call`, the same policy (and the same code) as the interceptor's;
- the current context's `traceparent` (and baggage) injected into the metadata: with no span recorded,
  OpenTelemetry's client span is the non-recording span of that same context, so it sends the same;
- the request id and the caller's token from the context, where the call's metadata lacks them.
While a span is recorded (tracing configured and sampled), the call goes through the instrumented
channel instead, so the trace keeps its gRPC client span. Streaming calls always do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from opentelemetry import propagate, trace

from ejournal_platform.context import (
    AUTHORIZATION_HEADER,
    REQUEST_ID_HEADER,
    current_principal,
    current_request_id,
)
from ejournal_platform.grpc.retry import RetryIdempotent

Metadata = tuple[tuple[str, str], ...]

_RETRY = RetryIdempotent()  # open_channel's policy


def with_context(metadata: Metadata | None, traced: bool = True) -> Metadata:
    """`metadata` plus what the interceptors would add: the request id and the caller's token from the
    context when absent, and (`traced`; health checks are not) the trace context."""
    items = list(metadata or ())
    names = {name for name, _ in items}
    request_id = current_request_id()
    if request_id and REQUEST_ID_HEADER not in names:
        items.append((REQUEST_ID_HEADER, request_id))
    principal = current_principal()
    if principal and principal.token and AUTHORIZATION_HEADER not in names:
        items.append((AUTHORIZATION_HEADER, f"Bearer {principal.token}"))
    if traced:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        items += carrier.items()
    return tuple(items)


class LeanCall:
    """One unary RPC of one service, called as the stub's method is (`await call(request, metadata=...)`)."""

    def __init__(self, path: str, bare: Any, instrumented: Callable[[], Any]) -> None:
        self._path = path
        self._bare = bare
        self._instrumented = instrumented

    async def __call__(
        self, request: Any, *, metadata: Metadata | None = None, timeout: float | None = None, **options: Any
    ) -> Any:
        if trace.get_current_span().is_recording():
            return await self._instrumented()(request, metadata=metadata, timeout=timeout, **options)
        sent = with_context(metadata)
        return await _RETRY.call(
            self._path, request, lambda: self._bare(request, metadata=sent, timeout=timeout, **options)
        )


class LeanStub:
    """A service's stub whose unary methods are lean calls; every other method is the instrumented
    stub's (`instrumented()` opens it on first use)."""

    def __init__(self, bare: Any, service_name: str, instrumented: Callable[[], Any]) -> None:
        self._bare = bare
        self._service_name = service_name
        self._instrumented = instrumented
        self._methods: dict[str, Any] = {}

    def __getattr__(self, rpc: str) -> Any:
        if rpc.startswith("_"):
            raise AttributeError(rpc)
        found = self._methods.get(rpc)
        if found is None:
            bare = getattr(self._bare, rpc)
            if isinstance(bare, grpc.aio.UnaryUnaryMultiCallable):
                path = f"/{self._service_name}/{rpc}"
                found = LeanCall(path, bare, lambda: getattr(self._instrumented(), rpc))
            else:
                found = _Delegated(rpc, self._instrumented)
            self._methods[rpc] = found
        return found


class _Delegated:
    def __init__(self, rpc: str, instrumented: Callable[[], Any]) -> None:
        self._rpc = rpc
        self._instrumented = instrumented

    def __call__(self, *arguments: Any, **options: Any) -> Any:
        return getattr(self._instrumented(), self._rpc)(*arguments, **options)
