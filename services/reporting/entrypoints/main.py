"""`python -m services.reporting`: run the reporting service."""

from __future__ import annotations

import asyncio

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator
from services.reporting.adapters import tables
from services.reporting.entrypoints.grpc_api import ReportingServicer
from services.reporting.settings import ReportingSettings

SERVICE = pb.DESCRIPTOR.services_by_name["ReportingService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    return Wiring(
        servicers=[(pb_grpc.add_ReportingServiceServicer_to_server, ReportingServicer(), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
    )


def main() -> None:
    settings = load_settings(ReportingSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
