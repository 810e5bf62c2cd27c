"""gRPC channels to every service, opened once per gateway process."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ejournal_platform.grpc.client import open_channel


def _stub_class(service: str) -> type[Any]:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2_grpc")
    return getattr(module, f"{service.capitalize()}ServiceStub")  # type: ignore[no-any-return]


class ServiceClients:
    def __init__(self, addresses: dict[str, str]) -> None:
        self.channels: dict[str, grpc.aio.Channel] = {name: open_channel(a) for name, a in addresses.items()}
        self._stubs = {name: _stub_class(name)(channel) for name, channel in self.channels.items()}

    def stub(self, service: str) -> Any:
        return self._stubs[service]

    async def health(self, timeout: float = 1.0) -> dict[str, str]:
        """Each service's overall health status name (SERVING, NOT_SERVING, UNREACHABLE)."""

        async def check(channel: grpc.aio.Channel) -> str:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=timeout
                )
            except grpc.aio.AioRpcError:
                return "UNREACHABLE"
            return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))

        names = list(self.channels)
        statuses = await asyncio.gather(*(check(self.channels[name]) for name in names))
        return dict(zip(names, statuses, strict=True))

    async def close(self) -> None:
        await asyncio.gather(*(channel.close() for channel in self.channels.values()))
