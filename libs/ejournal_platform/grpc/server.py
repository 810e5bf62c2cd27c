"""A grpc.aio server with the platform's interceptors, health service and reflection."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import aio_server_interceptor, filters

from ejournal_platform.grpc.incoming_trace import incoming_trace
from ejournal_platform.grpc.interceptors import (
    Authenticator,
    CallScope,
    ScopedInterceptor,
    authentication,
    error_mapping,
    request_context,
)
from ejournal_platform.telemetry import spans_recorded

AddServicer = Callable[[Any, grpc.aio.Server], None]


class Health(health.aio.HealthServicer):  # type: ignore[misc]
    """The stock health service plus `List` (in the protocol, not yet in grpcio's aio servicer), so
    the gateway reads a service's status and its dependencies' ("dependency/nats") in one call."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[str, health_pb2.HealthCheckResponse.ServingStatus.ValueType] = {
            "": health_pb2.HealthCheckResponse.SERVING
        }

    async def set(self, service: str, status: health_pb2.HealthCheckResponse.ServingStatus.ValueType) -> None:
        self.statuses[service] = status
        await super().set(service, status)

    async def List(self, request: Any, context: Any) -> health_pb2.HealthListResponse:
        return health_pb2.HealthListResponse(
            statuses={name: health_pb2.HealthCheckResponse(status=s) for name, s in self.statuses.items()}
        )


class GrpcServer:
    def __init__(
        self, authenticator: Authenticator, public_methods: Collection[str] = (), max_workers: int = 0
    ) -> None:
        scopes: list[CallScope] = [
            request_context,
            error_mapping,
            authentication(authenticator, public_methods),
        ]
        interceptors: list[grpc.aio.ServerInterceptor] = []
        if spans_recorded():
            # The tracing span is outermost, so the request id and the log line join it; health checks
            # every second would be noise in the traces.
            interceptors.append(aio_server_interceptor(filter_=filters.negate(filters.health_check())))  # type: ignore[no-untyped-call]
        else:
            # No span would be recorded: the caller's trace context alone is carried on (outermost,
            # as the span would be), without OpenTelemetry's interceptor on every call.
            scopes.insert(0, incoming_trace)
        interceptors.append(ScopedInterceptor(scopes))
        self.interceptors: tuple[grpc.aio.ServerInterceptor, ...] = tuple(interceptors)
        self.server = grpc.aio.server(
            interceptors=self.interceptors,
            options=[
                ("grpc.max_receive_message_length", 64 * 1024 * 1024),
                ("grpc.so_reuseport", 0),
                # Clients reconnect (and re-resolve the headless Service) every few minutes, so new
                # replicas get their share of calls; in-flight calls get a grace period.
                ("grpc.max_connection_age_ms", 5 * 60 * 1000),
                ("grpc.max_connection_age_grace_ms", 30 * 1000),
            ],
        )
        self.health = Health()
        self.service_names: list[str] = [health.SERVICE_NAME]
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)

    def add(self, add_servicer: AddServicer, servicer: Any, full_name: str) -> None:
        add_servicer(servicer, self.server)
        self.service_names.append(full_name)

    async def start(self, host: str, port: int) -> int:
        reflection.enable_server_reflection([*self.service_names, reflection.SERVICE_NAME], self.server)
        # NOT_SERVING until the runtime has seen the database and NATS answer.
        await self.set_serving(False)
        bound: int = self.server.add_insecure_port(f"{host}:{port}")
        if bound == 0:
            raise OSError(f"cannot listen on {host}:{port}")
        await self.server.start()
        return bound

    async def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ["", *self.service_names[1:]]:
            await self.health.set(name, status)

    async def set_status(self, name: str, serving: bool) -> None:
        """One named status beside the services' own, e.g. "dependency/nats" for the gateway to list."""
        status = health_pb2.HealthCheckResponse
        await self.health.set(name, status.SERVING if serving else status.NOT_SERVING)

    async def stop(self, grace: float) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
