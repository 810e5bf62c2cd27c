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

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.trace import TracerProvider
from starlette.types import ASGIApp, Receive, Scope, Send

# The headers the global propagator reads (W3C trace context and baggage), as ASGI names them.
TRACE_HEADERS = frozenset({b"traceparent", b"tracestate", b"baggage"})


def spans_recorded() -> bool:
    """True once this process installed a tracer provider (configure_tracing runs before create_app)."""
    return isinstance(trace.get_tracer_provider(), TracerProvider)


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
        if not carrier:
            await app(scope, receive, send)
            return
        token = context.attach(propagate.extract(carrier))
        try:
            await app(scope, receive, send)
        finally:
            context.detach(token)

    return carried
