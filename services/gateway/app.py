"""The HTTP/JSON API of the web portal. It holds no business rules: every decision is a service's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from services.gateway.clients import ServiceClients
from services.gateway.settings import GatewaySettings


def create_app(settings: GatewaySettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients = ServiceClients(settings.service_addresses())
        yield
        await app.state.clients.close()

    app = FastAPI(title="ejournal", version="0.1.0", lifespan=lifespan)

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

    return app
