"""A service process's runtime with real PostgreSQL and NATS: NATS down leaves it serving but degraded
(the outbox keeps the events), both over gRPC health and its HTTP probes, also when NATS is down as it
starts; it shuts down gracefully when asked."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from deploy.local.servers import NatsServer, free_port
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.events import Event, stream_name
from ejournal_platform.nats import connect
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.adapters import tables
from services.gradebook.settings import GradebookSettings

pytestmark = pytest.mark.integration


async def status(address: str, service: str = "") -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        try:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=1
            )
        except grpc.aio.AioRpcError:
            return -1
        return int(reply.status)


def healthz(port: int, path: str = "/healthz") -> tuple[int, object]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def wait_for_status(address: str, wanted: int, timeout: float, service: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await status(address, service) == wanted:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"health did not become {health_pb2.HealthCheckResponse.ServingStatus.Name(wanted)}")


async def test_health_follows_nats_and_the_service_stops_on_request(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    nats_server = nats_factory()
    port, health_port = free_port(), free_port()
    settings = GradebookSettings(
        grpc_port=port,
        health_port=health_port,
        database_url=databases.fresh("gradebook"),
        nats_url=nats_server.url,
        identity_address="127.0.0.1:1",  # never called: the test serves no API
        curriculum_address="127.0.0.1:1",
        log_format="json",
    )

    async def wire(runtime: Runtime) -> Wiring:
        return Wiring(servicers=[])

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, wire, outbox_table=tables.outbox, stop=stop))
    address = f"127.0.0.1:{port}"
    serving, not_serving = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING
    try:
        await wait_for_status(address, serving, 20)
        await wait_for_status(address, serving, 20, service="dependency/nats")
        nats_server.kill()
        await wait_for_status(address, not_serving, 10, service="dependency/nats")
        assert await status(address) == serving  # writes are still accepted: degraded, not down
        assert await asyncio.to_thread(healthz, health_port) == (
            200, {"status": "degraded", "dependencies": {"database": "ok", "nats": "down"}}
        )  # fmt: skip
        nats_server.start()
        await wait_for_status(address, serving, 20, service="dependency/nats")
        assert (await asyncio.to_thread(healthz, health_port))[1] == {
            "status": "ok", "dependencies": {"database": "ok", "nats": "ok"}
        }  # fmt: skip
    finally:
        stop.set()
        await asyncio.wait_for(service, 20)
    assert await status(address) == -1  # the port is closed: the server has stopped


async def test_a_service_starts_and_takes_writes_while_nats_is_down_and_publishes_them_later(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    nats_server = nats_factory()
    nats_server.kill()  # its address is known; nothing answers there yet
    port, health_port = free_port(), free_port()
    settings = GradebookSettings(
        grpc_port=port,
        health_port=health_port,
        database_url=databases.fresh("gradebook"),
        nats_url=nats_server.url,
        identity_address="127.0.0.1:1",
        curriculum_address="127.0.0.1:1",
        stream_max_bytes=64 * 1024 * 1024,
        log_format="json",
    )
    runtimes: list[Runtime] = []

    async def wire(runtime: Runtime) -> Wiring:
        runtimes.append(runtime)
        return Wiring(servicers=[])

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, wire, outbox_table=tables.outbox, stop=stop))
    address = f"127.0.0.1:{port}"
    try:
        await wait_for_status(address, health_pb2.HealthCheckResponse.SERVING, 30)
        assert await asyncio.to_thread(healthz, health_port) == (
            200, {"status": "degraded", "dependencies": {"database": "ok", "nats": "down"}}
        )  # fmt: skip
        assert await asyncio.to_thread(healthz, health_port, "/readyz") == (200, {"status": "ready"})
        # A write goes through the unit of work as an API call's would: accepted into the outbox.
        async with runtimes[0].unit_of_work() as uow:
            uow.add_event(Event(gb.MarkRecorded(journal_id="j", value="5"), subject="journal/j"))
            await uow.commit()

        nats_server.start()
        await wait_for_status(address, health_pb2.HealthCheckResponse.SERVING, 30, service="dependency/nats")
        client = await connect(nats_server.url, "test")
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    info = await client.jetstream().stream_info(stream_name("gradebook"))
                    if info.state.messages == 1:
                        break
                except Exception:
                    pass
                assert time.monotonic() < deadline, "the event never reached the stream"
                await asyncio.sleep(0.2)
            # The stream was made once NATS came, with the limits from the settings.
            assert info.config.max_bytes == 64 * 1024 * 1024
            assert info.config.num_replicas == 1
        finally:
            await client.close()
    finally:
        stop.set()
        await asyncio.wait_for(service, 20)
