"""`python -m services.gradebook`: run the gradebook service."""

from __future__ import annotations

import asyncio

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator
from services.gradebook.adapters import tables
from services.gradebook.entrypoints.grpc_api import GradebookServicer
from services.gradebook.settings import GradebookSettings

SERVICE = pb.DESCRIPTOR.services_by_name["GradebookService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    return Wiring(
        servicers=[(pb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
    )


def main() -> None:
    settings = load_settings(GradebookSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
