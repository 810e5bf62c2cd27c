"""Prometheus metrics by route and status, the access log, and a request id on every request and
response (and on the request's trace)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

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

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.request_id = bind_request_id(request.headers.get(REQUEST_ID_HEADER))
        tag_request(request.state.request_id)
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = getattr(request.scope.get("route"), "path", "unmatched")
        self.requests.labels(request.method, route, str(response.status_code)).inc()
        self.latency.labels(request.method, route).observe(elapsed)
        if route not in QUIET_ROUTES:
            access_log.info(
                "request",
                method=request.method,
                route=route,
                status=response.status_code,
                ms=round(elapsed * 1000, 1),
            )
        response.headers[REQUEST_ID_HEADER] = request.state.request_id
        return response

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
