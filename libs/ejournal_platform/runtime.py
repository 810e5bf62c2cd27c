"""One service process: database, NATS, outbox relay, gRPC server, health, graceful shutdown.

A service's entrypoint builds its settings and calls `run_service(settings, wire)`; `wire` receives the
Runtime (engine, sessions, outbox writer, JetStream) and returns what to serve. Health (health.py):
the database is essential (down without it), NATS is not (degraded: the outbox keeps the events),
and a service may add its own dependencies; gRPC health and the HTTP probes (probes.py, on
`health_port`) report it. SIGTERM or SIGINT: health goes NOT_SERVING, in-flight calls get a grace
period, background tasks are cancelled, connections close. A background loop that fails ends the
process with code 1, so the supervisor (or the cluster) starts it afresh rather than leaving a
service that answers but no longer relays, consumes or runs workflows.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
from collections.abc import Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.grpc.interceptors import Authenticator, RejectAll
from ejournal_platform.grpc.server import AddServicer, GrpcServer
from ejournal_platform.health import DEPENDENCY_PREFIX, Dependency, HealthMonitor, Report
from ejournal_platform.logging import configure_logging, get_logger
from ejournal_platform.nats import NatsTls, StreamLimits, connect_in_background, ensure_stream
from ejournal_platform.outbox import OutboxRelay, OutboxWriter
from ejournal_platform.probes import ProbeServer
from ejournal_platform.settings import ServiceSettings
from ejournal_platform.telemetry import configure_tracing, shutdown_tracing

log = get_logger(__name__)


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    nats: Client
    js: JetStreamContext
    outbox: OutboxWriter | None

    def unit_of_work(self) -> UnitOfWork:
        if self.outbox is None:
            raise RuntimeError(f"{self.settings.service_name} publishes no events")
        return UnitOfWork(self.sessions, self.outbox)


@dataclass
class Wiring:
    """What a service serves: its servicers, the methods callable without a token, background loops."""

    servicers: list[tuple[AddServicer, Any, str]]
    authenticator: Authenticator = field(default_factory=RejectAll)
    public_methods: Collection[str] = ()
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Beyond the database and NATS, which every service has (e.g. Temporal for the workflow service).
    dependencies: list[Dependency] = field(default_factory=list)
    # Another exporter's text appended to /metrics, behind the same token (the Temporal SDK's).
    extra_metrics: Callable[[], Awaitable[bytes]] | None = None


async def stream_when_connected(
    connecting: asyncio.Task[None], js: JetStreamContext, settings: ServiceSettings
) -> None:
    """Wait for the first NATS connection, then make sure the service's stream exists."""
    await asyncio.shield(connecting)
    limits = StreamLimits(
        settings.stream_replicas, settings.stream_max_bytes, settings.stream_max_age_days * 86400
    )
    for attempt in itertools.count():
        try:
            await ensure_stream(js, settings.service_name, limits)
            return
        except (NatsError, TimeoutError) as error:  # e.g. JetStream still electing its leader
            log.warning("cannot create the stream yet", error=repr(error), attempt=attempt)
            await asyncio.sleep(min(0.5 * 2**attempt, 10))


def standard_dependencies(runtime: Runtime) -> list[Dependency]:
    async def database() -> None:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def nats() -> None:
        if not runtime.nats.is_connected:
            raise ConnectionError("not connected to NATS")

    return [Dependency("database", database), Dependency("nats", nats, essential=False)]


def publisher(server: GrpcServer, dependencies: list[Dependency]) -> Callable[[Report], Awaitable[None]]:
    async def publish(report: Report) -> None:
        await server.set_serving(report.accepts_writes)
        for dependency in dependencies:
            name = f"{DEPENDENCY_PREFIX}{dependency.name}"
            await server.set_status(name, report.dependencies.get(dependency.name) == "ok")

    return publish


async def run_service(
    settings: ServiceSettings,
    wire: Callable[[Runtime], Awaitable[Wiring]],
    *,
    outbox_table: Table | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    configure_tracing(settings.service_name, settings.otlp_endpoint)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    engine = make_engine(settings.database_url)
    # Not awaited: while NATS is down the service serves and its writes wait in the outbox
    # (health: degraded); the relay starts publishing once the stream is there.
    tls = NatsTls(settings.nats_ca_file, settings.nats_cert_file, settings.nats_key_file)
    nats_client, connecting = connect_in_background(settings.nats_url, settings.service_name, tls)
    js = nats_client.jetstream()
    outbox = OutboxWriter(outbox_table) if outbox_table is not None else None
    runtime = Runtime(
        settings, engine, async_sessionmaker(engine, expire_on_commit=False), nats_client, js, outbox
    )
    wiring = await wire(runtime)
    loops = list(wiring.background)
    if outbox is not None:
        relay = OutboxRelay(
            engine,
            outbox,
            js,
            source=f"ejournal/{settings.service_name}",
            batch=settings.outbox_batch,
            idle_seconds=settings.outbox_idle_seconds,
        )

        async def relay_once_the_stream_exists() -> None:
            await stream_when_connected(connecting, js, settings)
            await relay.run()

        loops.append(relay_once_the_stream_exists)

    server = GrpcServer(wiring.authenticator, wiring.public_methods)
    for add_servicer, servicer, full_name in wiring.servicers:
        server.add(add_servicer, servicer, full_name)
    dependencies = [*standard_dependencies(runtime), *wiring.dependencies]
    monitor = HealthMonitor(dependencies, publisher(server, dependencies))
    probes = ProbeServer(lambda: monitor.report, settings.metrics_token, wiring.extra_metrics)
    if settings.health_port is not None:
        health_port = await probes.start(settings.grpc_host, settings.health_port)
        log.info("health probes listening", address=f"http://{settings.grpc_host}:{health_port}")
    port = await server.start(settings.grpc_host, settings.grpc_port)
    probes.started = True
    failed: list[BaseException] = []

    def on_done(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            failed.append(task.exception())  # type: ignore[arg-type]
            log.error("background loop failed; stopping so that it is restarted", error=repr(failed[0]))
            stop.set()

    tasks: list[asyncio.Task[None]] = [asyncio.create_task(fn()) for fn in [*loops, monitor.run]]
    for task in tasks:
        task.add_done_callback(on_done)
    log.info("service started", address=f"{settings.grpc_host}:{port}")

    await stop.wait()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(signum)
    log.info("service stopping")
    await server.stop(grace=5)
    await probes.stop()
    for task in tasks:
        task.remove_done_callback(on_done)
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for callback in wiring.on_stop:
        await callback()
    if connecting.done() and not connecting.cancelled() and connecting.exception() is None:
        await nats_client.close()  # connected once: close it, reconnecting or not
    else:
        connecting.cancel()
        with contextlib.suppress(asyncio.CancelledError, NatsError):
            await connecting
    await engine.dispose()
    shutdown_tracing()
    log.info("service stopped")
    if failed:
        raise SystemExit(1)
