"""The server side of tracing while no span is recorded: only the caller's trace context carried on.

With no tracer provider installed (ejournal_platform.telemetry: no `otlp_endpoint`), OpenTelemetry's
gRPC server interceptor records nothing; what it still does is attach the call's incoming
`traceparent` (and `tracestate`, baggage) to the call's context, under a non-recording span of that
same context, so the outbox row stores the caller's `traceparent` and log lines carry its trace id.
For that it wrapped every call's handler (its filter, a span, its own context managers): ~25 µs a call,
~4 % of the gradebook's CPU a save (docs/perf/README.md, stop 31, lanes wgb and gbi).
`incoming_trace` keeps the propagation alone and costs a look at the metadata.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc

from ejournal_platform.telemetry import TRACE_FIELDS, caller_context


@asynccontextmanager
async def incoming_trace(
    servicer_context: grpc.aio.ServicerContext[Any, Any], method: str
) -> AsyncIterator[None]:
    """A call scope: an incoming trace context becomes the call's context, as the instrumentation's
    non-recording span would make it; a call without one passes untouched."""
    carrier = {
        item.key: item.value
        for item in servicer_context.invocation_metadata() or ()
        if item.key in TRACE_FIELDS and isinstance(item.value, str)
    }
    with caller_context(carrier):
        yield
