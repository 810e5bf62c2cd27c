"""`python -m services.reporting`: run the reporting service — the gRPC API, the read-model consumers
(one durable consumer per publishing service), the statement-content fetcher and the report runner."""

from __future__ import annotations

import asyncio

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.public import public_methods
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator, ServiceIdentity
from services.reporting.adapters import tables
from services.reporting.adapters.gradebook_client import GrpcStatementSource
from services.reporting.entrypoints.app import ReportingApp
from services.reporting.entrypoints.grpc_api import ReportingServicer
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.jobs import JobRunner
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.reports.background import BUILDERS
from services.reporting.service_layer.statement_content import StatementFetcher
from services.reporting.settings import ReportingSettings

SERVICE = pb.DESCRIPTOR.services_by_name["ReportingService"].full_name
# Anyone holding a statement on paper may verify it (the portal's public /verify page).
PUBLIC_METHODS = public_methods(pb.DESCRIPTOR.services_by_name["ReportingService"])  # the contract says which


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    lag = LagTracker()
    consumers = ReadModelConsumers(runtime.js, runtime.sessions, lag, batch=settings.consumer_batch)
    runner = JobRunner(runtime.sessions, BUILDERS)
    app = ReportingApp(runtime.sessions, consumers, lag, runner, settings.archive_dir, settings.public_url)
    background = [consumers.run, runner.run]
    if settings.service_secret:
        tokens = ServiceIdentity(settings.identity_address, "reporting", settings.service_secret)
        fetcher = StatementFetcher(runtime.sessions, GrpcStatementSource(settings.gradebook_address, tokens))
        background.append(fetcher.run)
    return Wiring(
        servicers=[(pb_grpc.add_ReportingServiceServicer_to_server, ReportingServicer(app), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
        public_methods=PUBLIC_METHODS,
        background=background,
    )


def main() -> None:
    settings = load_settings(ReportingSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
