"""`python -m services.subscribers`: outside systems' subscriptions (issue 20) — event consumers of the
offered streams, the webhook dispatcher, and the administrator's API."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from prometheus_client import start_http_server

from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal.subscribers.v1 import subscribers_service_pb2_grpc as pb_grpc
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.events import stream_name, stream_subjects
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator
from services.subscribers.adapters import tables
from services.subscribers.domain.routing import OFFERED_SERVICES
from services.subscribers.entrypoints.grpc_api import SubscribersServicer
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.dispatch import Dispatcher
from services.subscribers.service_layer.export import ExportConfig, Exporter
from services.subscribers.service_layer.intake import Intake
from services.subscribers.settings import SubscribersSettings

SERVICE = pb.DESCRIPTOR.services_by_name["SubscribersService"].full_name


def consumers(runtime: Runtime, intake: Intake) -> list[EventConsumer]:
    return [
        EventConsumer(runtime.js, runtime.unit_of_work, tables.inbox, name=f"subscribers-{service}",
                      stream=stream_name(service), subjects=stream_subjects(service), handler=intake.handle)
        for service in OFFERED_SERVICES
    ]  # fmt: skip


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, SubscribersSettings)
    if settings.metrics_port is not None:
        start_http_server(settings.metrics_port, addr=settings.grpc_host)
    config = ExportConfig.from_settings(settings)
    deps = Deps(runtime.unit_of_work, allow_loopback_http=settings.allow_loopback_http)
    exporter = Exporter(runtime.engine, deps, config) if config is not None else None
    dispatcher = Dispatcher(
        runtime.engine, deps, deps.clock, retry_delays=settings.retry_delays,
        timeout=settings.delivery_timeout, concurrency=settings.concurrency, chain=settings.chain,
        poll_seconds=settings.poll_seconds, park_keep=timedelta(hours=settings.park_hours),
        delivered_keep=timedelta(days=settings.delivered_keep_days),
        export_wake=exporter.wake if exporter else None,
    )  # fmt: skip
    intake = Intake(dispatcher.wake, exporter.wake if exporter else None)
    servicer = SubscribersServicer(deps, exporter)
    exporting = [exporter.run] if exporter else []
    return Wiring(
        servicers=[(pb_grpc.add_SubscribersServiceServicer_to_server, servicer, SERVICE)],
        authenticator=JwtAuthenticator(settings.identity_address),
        background=[dispatcher.run, *exporting, *(c.run for c in consumers(runtime, intake))],
        on_stop=[dispatcher.close, *([exporter.close] if exporter else [])],
    )


def main() -> None:
    settings = load_settings(SubscribersSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
