"""gRPC channels to every service, opened once per gateway process."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ejournal_platform.grpc.client import open_channel
from ejournal_platform.health import DEPENDENCY_PREFIX, Report, State


def _stub_class(service: str) -> type[Any]:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2_grpc")
    return getattr(module, f"{service.capitalize()}ServiceStub")  # type: ignore[no-any-return]


class ServiceClients:
    def __init__(self, addresses: dict[str, str]) -> None:
        self.channels: dict[str, grpc.aio.Channel] = {name: open_channel(a) for name, a in addresses.items()}
        self._stubs = {name: _stub_class(name)(channel) for name, channel in self.channels.items()}

    def stub(self, service: str) -> Any:
        return self._stubs[service]

    async def health(self, timeout: float = 1.0) -> dict[str, Report]:
        """Each service's health as it reports it: down when unreachable or not serving, degraded
        when one of its non-essential dependencies (NATS) is down."""

        async def check(channel: grpc.aio.Channel) -> Report:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).List(
                    health_pb2.HealthListRequest(), timeout=timeout
                )
            except grpc.aio.AioRpcError:
                return Report(State.DOWN, {"service": State.DOWN})
            serving = health_pb2.HealthCheckResponse.SERVING
            dependencies = {
                name.removeprefix(DEPENDENCY_PREFIX): State.OK if status.status == serving else State.DOWN
                for name, status in reply.statuses.items()
                if name.startswith(DEPENDENCY_PREFIX)
            }
            overall = reply.statuses.get("")
            if overall is None or overall.status != serving:
                return Report(State.DOWN, dependencies)
            all_ok = all(state is State.OK for state in dependencies.values())
            return Report(State.OK if all_ok else State.DEGRADED, dependencies)

        names = list(self.channels)
        reports = await asyncio.gather(*(check(self.channels[name]) for name in names))
        return dict(zip(names, reports, strict=True))

    async def close(self) -> None:
        await asyncio.gather(*(channel.close() for channel in self.channels.values()))
