"""A service process's runtime: health is SERVING only while its database and NATS answer, and it
shuts down gracefully when asked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from deploy.local.servers import NatsServer, free_port
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.adapters import tables
from services.gradebook.settings import GradebookSettings

pytestmark = pytest.mark.integration


async def status(address: str) -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        try:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=1
            )
        except grpc.aio.AioRpcError:
            return -1
        return int(reply.status)


async def wait_for_status(address: str, wanted: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await status(address) == wanted:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"health did not become {health_pb2.HealthCheckResponse.ServingStatus.Name(wanted)}")


async def test_health_follows_nats_and_the_service_stops_on_request(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    nats_server = nats_factory()
    port = free_port()
    settings = GradebookSettings(
        grpc_port=port, database_url=databases.fresh("gradebook"), nats_url=nats_server.url, log_format="json"
    )

    async def wire(runtime: Runtime) -> Wiring:
        return Wiring(servicers=[])

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, wire, outbox_table=tables.outbox, stop=stop))
    address = f"127.0.0.1:{port}"
    serving, not_serving = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING
    try:
        await wait_for_status(address, serving, 20)
        nats_server.kill()
        await wait_for_status(address, not_serving, 10)
        nats_server.start()
        await wait_for_status(address, serving, 20)
    finally:
        stop.set()
        await asyncio.wait_for(service, 20)
    assert await status(address) == -1  # the port is closed: the server has stopped
