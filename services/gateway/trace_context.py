"""The HTTP side of tracing: OpenTelemetry's ASGI instrumentation while spans are recorded, and
otherwise only the incoming trace context carried on to the services.

With no tracer provider installed (ejournal_platform.telemetry: no `otlp_endpoint`), OpenTelemetry's
ASGI middleware records nothing: what it still does is attach an incoming `traceparent` to the request's
context, which the gRPC calls then send on. For that it wrapped every request (attributes, a
non-recording span, wrapped receive and send, and its own pair of exception middlewares): ~0.15 ms of
the gateway's CPU on a 25-cell save (docs/perf/README.md, stop 31). `carry_incoming_trace` keeps the
propagation alone and costs a look at the headers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ejournal_platform.telemetry import TRACE_FIELDS, caller_context

# The propagator's fields as ASGI names its headers.
TRACE_HEADERS = frozenset(name.encode("latin-1") for name in TRACE_FIELDS)


def carry_incoming_trace(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: an incoming trace context becomes the request's context, as the ASGI
    instrumentation's non-recording span would make it; a request without one passes untouched."""

    async def carried(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in TRACE_HEADERS
        }
        with caller_context(carrier):
            await app(scope, receive, send)

    return carried
