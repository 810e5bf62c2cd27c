"""Prometheus metrics by route and status, the access log, and a request id on every request and
response (and on the request's trace)."""

from __future__ import annotations

import time

from fastapi import Response
from opentelemetry import trace
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ejournal_platform.context import REQUEST_ID_HEADER, bind_request_id
from ejournal_platform.logging import get_logger
from ejournal_platform.telemetry import tag_request

# One line per request: method, route template (never the query string, which may hold a token),
# status, milliseconds; the request id comes from the bound context.
access_log = get_logger("ejournal.access")


# Probes and scrapes arrive every few seconds; they would drown the access log.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "ejournal_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ejournal_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """The ASGI middleware: a request id bound for the request (and answered in its header), the
        metrics and one access-log line. Plain ASGI rather than `@app.middleware("http")`, whose
        BaseHTTPMiddleware runs every request through an extra task and memory streams, and that was
        about a tenth of the gateway's time on a save (docs/perf/README.md)."""

        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            request_id = bind_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
            scope.setdefault("state", {})["request_id"] = request_id  # request.state.request_id
            tag_request(request_id)
            status = 500  # if the app raises before answering, ServerErrorMiddleware answers 500
            id_header = (REQUEST_ID_HEADER.encode("latin-1"), request_id.encode("latin-1"))

            async def answer(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    # Named here, before the answer goes out: the HTTP instrumentation ends its span
                    # with the response's last byte, and an ended span can no longer be renamed.
                    _name_span_after_route(scope)
                    message["headers"] = [*message.get("headers", ()), id_header]
                await send(message)

            started = time.perf_counter()
            try:
                await app(scope, receive, answer)
            finally:
                self._observe(scope, status, time.perf_counter() - started)

        return measured

    def _observe(self, scope: Scope, status: int, elapsed: float) -> None:
        method = scope["method"]
        route = getattr(scope.get("route"), "path", "unmatched")
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(elapsed)
        if route not in QUIET_ROUTES:
            access_log.info("request", method=method, route=route, status=status, ms=round(elapsed * 1000, 1))

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def _name_span_after_route(scope: Scope) -> None:
    """Name the HTTP server span by the route the router matched (app.py starts it named by its method)."""
    route = getattr(scope.get("route"), "path", None)
    span = trace.get_current_span()
    if route is not None and span.is_recording():
        span.update_name(f"{scope['method']} {route}")
        span.set_attribute(HTTP_ROUTE, route)
