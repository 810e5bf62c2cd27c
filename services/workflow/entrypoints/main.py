"""`python -m services.workflow`: run the workflow service."""

from __future__ import annotations

import asyncio

from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator
from services.workflow.adapters import tables
from services.workflow.entrypoints.grpc_api import WorkflowServicer
from services.workflow.settings import WorkflowSettings
from services.workflow.worker import connect_temporal, run_worker

SERVICE = pb.DESCRIPTOR.services_by_name["WorkflowService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, WorkflowSettings)
    client = await connect_temporal(settings)
    return Wiring(
        servicers=[(pb_grpc.add_WorkflowServiceServicer_to_server, WorkflowServicer(), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
        background=[lambda: run_worker(client, settings)],
    )


def main() -> None:
    settings = load_settings(WorkflowSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
