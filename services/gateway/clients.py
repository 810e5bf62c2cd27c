"""gRPC channels to every service, opened once per gateway process."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ejournal_platform.grpc.client import CHANNEL_OPTIONS, open_channel
from ejournal_platform.health import DEPENDENCY_PREFIX, Report, State
from services.gateway.lean_calls import LeanStub, with_context


def _stub_class(service: str) -> type[Any]:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2_grpc")
    return getattr(module, f"{service.capitalize()}ServiceStub")  # type: ignore[no-any-return]


def _service_name(service: str) -> str:
    """The gRPC service's full name, as its methods' paths start (ejournal.gradebook.v1.GradebookService)."""
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2")
    return str(module.DESCRIPTOR.services_by_name[f"{service.capitalize()}Service"].full_name)


class ServiceClients:
    """Two channels to each service, both connecting on their first call: a bare one (no interceptors)
    for the calls made while no span is recorded, which the gateway's lean calls carry themselves
    (services/gateway/lean_calls.py), and the instrumented one of every service (open_channel), for
    calls in a recorded trace, streams, and anything the lean calls do not cover."""

    def __init__(self, addresses: dict[str, str]) -> None:
        self.channels: dict[str, grpc.aio.Channel] = {
            name: grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
            for name, address in addresses.items()
        }
        self._addresses = addresses
        self._instrumented: dict[str, grpc.aio.Channel] = {}
        self._instrumented_stubs: dict[str, Any] = {}
        self._stubs = {name: self._lean_stub(name, channel) for name, channel in self.channels.items()}

    def _lean_stub(self, service: str, channel: grpc.aio.Channel) -> LeanStub:
        return LeanStub(
            _stub_class(service)(channel), _service_name(service), lambda: self._instrumented_stub(service)
        )

    def _instrumented_stub(self, service: str) -> Any:
        stub = self._instrumented_stubs.get(service)
        if stub is None:
            channel = self._instrumented[service] = open_channel(self._addresses[service])
            stub = self._instrumented_stubs[service] = _stub_class(service)(channel)
        return stub

    def stub(self, service: str) -> Any:
        return self._stubs[service]

    async def health(self, timeout: float = 1.0) -> dict[str, Report]:
        """Each service's health as it reports it: down when unreachable or not serving, degraded
        when one of its non-essential dependencies (NATS) is down."""

        async def check(channel: grpc.aio.Channel) -> Report:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).List(
                    health_pb2.HealthListRequest(), timeout=timeout, metadata=with_context((), traced=False)
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
        channels = [*self.channels.values(), *self._instrumented.values()]
        await asyncio.gather(*(channel.close() for channel in channels))
