"""The HTTP/JSON API of the web portal. It holds no business rules: every decision is a service's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from services.gateway import imports, session
from services.gateway.auth import GatewayProblem
from services.gateway.clients import ServiceClients
from services.gateway.metrics import Metrics
from services.gateway.problems import grpc_error_handler, problem, validation_error_handler
from services.gateway.routes import rpc_router
from services.gateway.settings import GatewaySettings
from services.portal.app import install as install_portal


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
    app.middleware("http")(metrics.middleware)
    app.add_exception_handler(grpc.aio.AioRpcError, grpc_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    async def gateway_problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, GatewayProblem)
        return problem(request, error.status, error.key, error.detail)

    app.add_exception_handler(GatewayProblem, gateway_problem)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> JSONResponse:
        """200 when every service reports SERVING; 503 naming the ones that do not."""
        statuses = await app.state.clients.health()
        failing = sorted(name for name, status in statuses.items() if status != "SERVING")
        body = {"status": "ok" if not failing else "unavailable", "services": statuses, "failing": failing}
        return JSONResponse(body, status_code=503 if failing else 200)

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> dict[str, str]:
        """200 once the gateway itself accepts requests."""
        return {"status": "ok"}

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def prometheus() -> Response:
        return metrics.render()

    app.include_router(session.router)
    app.include_router(imports.router)
    app.include_router(rpc_router())
    install_portal(app)  # the web portal on the same origin: / is sign-in, the API stays under /api/v1
    return app
