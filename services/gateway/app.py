"""The HTTP/JSON API of the web portal. It holds no business rules: every decision is a service's."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from starlette.types import ASGIApp, Scope

from ejournal_platform.contract import asyncapi_document
from ejournal_platform.health import Report, State
from ejournal_platform.telemetry import spans_recorded
from services.gateway import imports, session
from services.gateway.auth import GatewayProblem
from services.gateway.clients import ServiceClients
from services.gateway.direct import DirectRoutes
from services.gateway.metrics import Metrics
from services.gateway.problems import grpc_error_handler, problem, validation_error_handler
from services.gateway.route_table import rpc_routes
from services.gateway.settings import GatewaySettings
from services.gateway.trace_context import carry_incoming_trace
from services.portal.app import install as install_portal

SEVERITY = [State.OK, State.DEGRADED, State.DOWN]


def _method_only(scope: Scope) -> tuple[str, dict[str, str]]:
    return str(scope.get("method") or "HTTP"), {}


def _name_spans_after_routing(app: FastAPI) -> None:
    """The HTTP span starts named by its method; the metrics middleware names it by its route once the
    router has matched it (scope["route"]). FastAPI's instrumentation would name it up front by matching
    the request against every route once more, a tenth of a save's time in the gateway (issue 19)."""
    instrumented = app.build_middleware_stack

    def build_middleware_stack() -> ASGIApp:
        stack = instrumented()
        otel = getattr(stack, "app", None)
        if isinstance(otel, OpenTelemetryMiddleware):
            otel.default_span_details = _method_only
        return stack

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]


def create_app(settings: GatewaySettings, clients: ServiceClients | None = None) -> FastAPI:
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients = clients or ServiceClients(settings.service_addresses())
        yield
        await app.state.clients.close()

    app = FastAPI(
        title="ejournal",
        version="0.1.0",
        summary="Electronic journal for universities: the web portal's HTTP API",
        lifespan=lifespan,
    )
    app.state.settings = settings
    api, with_body = rpc_routes()
    # Innermost of the middlewares, so request ids, metrics and traces cover what it serves.
    app.add_middleware(DirectRoutes, fastapi=app, direct=with_body)
    app.add_middleware(metrics.middleware)
    if spans_recorded():
        # The HTTP server span, outermost, which the gRPC client spans continue (probes are left out).
        FastAPIInstrumentor.instrument_app(app, excluded_urls="/healthz,/readyz,/metrics,/static")
        _name_spans_after_routing(app)
    else:
        app.add_middleware(carry_incoming_trace)  # no spans: only an incoming traceparent goes on
    app.add_exception_handler(grpc.aio.AioRpcError, grpc_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    async def gateway_problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, GatewayProblem)
        return problem(request, error.status, error.key, error.detail, error.errors)

    app.add_exception_handler(GatewayProblem, gateway_problem)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> JSONResponse:
        """Each service as ok / degraded / down, with its own dependencies; 200 while writes are
        accepted (every service up, even if degraded: NATS down leaves the events in the outboxes),
        503 naming the services that are down."""
        reports: dict[str, Report] = await app.state.clients.health()
        states = [report.state for report in reports.values()]
        overall = State.DOWN if State.DOWN in states else max(states, key=SEVERITY.index, default=State.OK)
        body = {
            "status": overall.value,
            "services": {name: report.as_json() for name, report in reports.items()},
            "down": sorted(name for name, report in reports.items() if report.state is State.DOWN),
        }
        return JSONResponse(body, status_code=503 if overall is State.DOWN else 200)

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        """200 while the gateway can serve the API: every service it forwards to answers and accepts
        writes; 503 otherwise, so a load balancer sends the traffic to another gateway."""
        reports: dict[str, Report] = await app.state.clients.health()
        ready = all(report.accepts_writes for report in reports.values())
        return JSONResponse({"status": "ready" if ready else "not ready"}, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def prometheus(request: Request) -> Response:
        """For the monitoring system only: without the token it is not there (404, like any unknown path)."""
        given = request.headers.get("authorization", "").encode()
        token = settings.metrics_token
        if not token or not hmac.compare_digest(given, f"Bearer {token}".encode()):
            raise GatewayProblem(404, "NOT_FOUND", "not found")
        return metrics.render()

    @app.get("/asyncapi.json", tags=["contract"])
    async def asyncapi() -> JSONResponse:
        """The AsyncAPI 3 document of the events outside systems may subscribe to (NATS subjects and
        webhooks), generated from the protos; rendered in docs/asyncapi.md."""
        return JSONResponse(asyncapi_document())

    app.include_router(session.router)
    app.include_router(imports.router)
    app.include_router(api)
    install_portal(app)  # the web portal on the same origin: / is sign-in, the API stays under /api/v1
    return app
