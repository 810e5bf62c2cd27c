"""gRPC calls spread over pods (issue 18): each service is a headless Service, so its name resolves to
one address per ready pod, and the services' channels (`ejournal_platform.grpc.client.open_channel`)
balance round_robin over every address instead of keeping one HTTP/2 connection to one pod. Here two
real gRPC servers stand for two pods and a static address list for the headless Service's DNS answer
(the same resolver result, without a cluster's DNS)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from deploy.local.servers import free_port
from ejournal_platform.grpc.client import open_channel

pytestmark = pytest.mark.integration
CALLS = 40


class CountCalls(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    def __init__(self, pod: str, seen: Counter[str]) -> None:
        self.pod, self.seen = pod, seen

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Any]],
        details: grpc.HandlerCallDetails,
    ) -> Any:
        self.seen[self.pod] += 1
        return await continuation(details)


@pytest.fixture
async def two_pods() -> AsyncIterator[tuple[str, Counter[str]]]:
    """Two servers of one service; the target lists both, as DNS does for a headless Service."""
    seen: Counter[str] = Counter()
    servers, addresses = [], []
    for pod in ("pod-a", "pod-b"):
        server = grpc.aio.server(interceptors=[CountCalls(pod, seen)])
        health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
        port = free_port()
        server.add_insecure_port(f"127.0.0.1:{port}")
        await server.start()
        servers.append(server)
        addresses.append(f"127.0.0.1:{port}")
    yield "ipv4:" + ",".join(addresses), seen
    for server in servers:
        await server.stop(grace=None)


async def call_many(channel: grpc.aio.Channel) -> None:
    stub = health_pb2_grpc.HealthStub(channel)
    for _ in range(CALLS):
        await stub.Check(health_pb2.HealthCheckRequest(), timeout=10)


async def test_the_services_channel_spreads_calls_over_every_pod(two_pods: tuple[str, Counter[str]]) -> None:
    target, seen = two_pods
    async with open_channel(target) as channel:
        await call_many(channel)
    assert set(seen) == {"pod-a", "pod-b"}, seen
    assert sum(seen.values()) == CALLS


async def test_without_round_robin_one_pod_takes_every_call(two_pods: tuple[str, Counter[str]]) -> None:
    """The control: gRPC's default policy (pick_first) keeps to the first address it reaches, which is
    what a ClusterIP Service amounts to as well."""
    target, seen = two_pods
    async with grpc.aio.insecure_channel(target) as channel:
        await call_many(channel)
    assert len(seen) == 1 and sum(seen.values()) == CALLS, seen
