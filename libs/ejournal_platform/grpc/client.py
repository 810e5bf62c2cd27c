"""Client channels that carry the caller's context to the next service.

Idempotent calls are retried on UNAVAILABLE (grpc/retry.py). The request id always travels
(x-request-id), so one user action can be followed across services in the logs. The caller's own
bearer token travels too, unless the call sets its own: a service acts on the user's behalf with the
user's rights, never through an unchecked header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors, filters

from ejournal_platform.context import (
    AUTHORIZATION_HEADER,
    REQUEST_ID_HEADER,
    current_principal,
    current_request_id,
)
from ejournal_platform.grpc.retry import RetryIdempotent


def _with_context(details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
    metadata = grpc.aio.Metadata(*(details.metadata or ()))
    request_id = current_request_id()
    if request_id and REQUEST_ID_HEADER not in metadata:
        metadata[REQUEST_ID_HEADER] = request_id
    principal = current_principal()
    if principal and principal.token and AUTHORIZATION_HEADER not in metadata:
        metadata[AUTHORIZATION_HEADER] = f"Bearer {principal.token}"
    return grpc.aio.ClientCallDetails(
        details.method, details.timeout, metadata, details.credentials, details.wait_for_ready
    )


_Unary: Any = grpc.aio.UnaryUnaryClientInterceptor
_Stream: Any = grpc.aio.UnaryStreamClientInterceptor


class ContextPropagation(_Unary, _Stream):  # type: ignore[misc]
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(_with_context(client_call_details), request)

    async def intercept_unary_stream(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(_with_context(client_call_details), request)


# Calls spread over every address the name resolves to: on a cluster each service is a headless
# Service, so DNS answers one address per ready pod and round_robin keeps a connection to each (one
# ClusterIP would pin every call of a long-lived HTTP/2 connection to one pod). Servers end
# connections after a while (server.py), so a client re-resolves and finds pods added since.
CHANNEL_OPTIONS: list[tuple[str, Any]] = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.lb_policy_name", "round_robin"),
]


def open_channel(address: str, *, retry: bool = True) -> grpc.aio.Channel:
    """A channel whose idempotent calls ride out a short outage of the callee (see grpc/retry.py)."""
    interceptors: list[Any] = [RetryIdempotent()] if retry else []
    # A client span per attempt, inside the retries; it puts the trace's traceparent in the metadata.
    tracing = aio_client_interceptors(filter_=filters.negate(filters.health_check()))  # type: ignore[no-untyped-call]
    return grpc.aio.insecure_channel(
        address, interceptors=[*interceptors, *tracing, ContextPropagation()], options=CHANNEL_OPTIONS
    )


def bearer(token: str) -> tuple[tuple[str, str]]:
    """Metadata for a call made with an explicit token (a service identity, or a test's user)."""
    return ((AUTHORIZATION_HEADER, f"Bearer {token}"),)
