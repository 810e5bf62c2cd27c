"""Health end to end over real sockets: a service's monitor publishes its dependencies through gRPC
health and its HTTP probes, and the gateway reads them: NATS down is degraded (writes still accepted,
200), the database down is down (503), an unreachable service is down."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from deploy.local.servers import free_port
from ejournal_platform.grpc.interceptors import RejectAll
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.health import Dependency, HealthMonitor, State
from ejournal_platform.probes import ProbeServer
from ejournal_platform.runtime import publisher
from services.gateway.clients import ServiceClients

pytestmark = pytest.mark.unit


@dataclass
class Switch:
    """A dependency we can take down: its probe fails while `up` is False."""

    name: str
    up: bool = True

    async def probe(self) -> None:
        if not self.up:
            raise ConnectionRefusedError(self.name)


@dataclass
class Service:
    monitor: HealthMonitor
    database: Switch
    nats: Switch
    grpc_address: str
    probe_url: str


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    database, nats = Switch("database"), Switch("nats")
    dependencies = [Dependency("database", database.probe), Dependency("nats", nats.probe, essential=False)]
    server = GrpcServer(RejectAll())  # health answers without a token
    monitor = HealthMonitor(dependencies, publisher(server, dependencies))
    probes = ProbeServer(lambda: monitor.report)
    probe_port = await probes.start("127.0.0.1", 0)
    port = await server.start("127.0.0.1", 0)
    probes.started = True
    yield Service(monitor, database, nats, f"127.0.0.1:{port}", f"http://127.0.0.1:{probe_port}")
    await probes.stop()
    await server.stop(0)


async def probe(url: str) -> tuple[int, dict[str, object]]:
    """The HTTP probe as a cluster sends it, from another thread (the server runs on this loop)."""
    return await asyncio.to_thread(get, url)


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_health_is_ok_degraded_and_down_as_the_dependencies_go(service: Service) -> None:
    clients = ServiceClients({"gradebook": service.grpc_address, "reporting": f"127.0.0.1:{free_port()}"})
    try:
        await service.monitor.check()
        reports = await clients.health()
        assert reports["gradebook"].state is State.OK
        assert reports["reporting"].state is State.DOWN  # nothing listens there
        assert await probe(f"{service.probe_url}/healthz") == (
            200, {"status": "ok", "dependencies": {"database": "ok", "nats": "ok"}}
        )  # fmt: skip
        assert (await probe(f"{service.probe_url}/readyz"))[0] == 200

        service.nats.up = False
        await service.monitor.check()
        gradebook = (await clients.health())["gradebook"]
        assert gradebook.state is State.DEGRADED and gradebook.dependencies["nats"] is State.DOWN
        assert await probe(f"{service.probe_url}/healthz") == (
            200, {"status": "degraded", "dependencies": {"database": "ok", "nats": "down"}}
        )  # fmt: skip
        assert (await probe(f"{service.probe_url}/readyz"))[0] == 200

        service.database.up = False
        await service.monitor.check()
        assert (await clients.health())["gradebook"].state is State.DOWN
        assert (await probe(f"{service.probe_url}/healthz"))[0] == 503
        assert (await probe(f"{service.probe_url}/readyz"))[0] == 503
        assert (await probe(f"{service.probe_url}/livez"))[0] == 200  # alive: no restart would help
    finally:
        await clients.close()
