"""`python -m services.workflow`: the gRPC WorkflowService, the Temporal worker, the event consumers
and the monitoring schedules, in one process."""

from __future__ import annotations

import asyncio

from temporalio.client import Client

from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc
from ejournal_platform.health import Dependency
from ejournal_platform.probes import loopback_exporter
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator, ServiceIdentity
from services.workflow.adapters import tables
from services.workflow.adapters.backup_schedule import ensure_monthly_backup
from services.workflow.adapters.backups import CommandBackups
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.adapters.gradebook import GrpcGradebook
from services.workflow.adapters.schedules import ensure_schedules
from services.workflow.adapters.statement_processes import StatementProcesses
from services.workflow.adapters.temporal import connect_temporal
from services.workflow.entrypoints.consumers import consumers
from services.workflow.entrypoints.grpc_api import WorkflowServicer
from services.workflow.entrypoints.worker import build_worker
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.tasks import measure_overdue_steps
from services.workflow.settings import WorkflowSettings

SERVICE = pb.DESCRIPTOR.services_by_name["WorkflowService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, WorkflowSettings)
    client = await connect_temporal(settings)
    gradebook = GrpcGradebook(
        settings.gradebook_address,
        ServiceIdentity(settings.identity_address, "workflow", settings.service_secret),
    )
    backups = CommandBackups(settings.backup_command, settings.backup_dir, settings.backup_env_file)
    worker = build_worker(client, settings.task_queue, runtime.unit_of_work, gradebook, backups)
    await ensure_schedules(client, settings.task_queue, settings.time_zone, settings.utc_offset_hours)
    await ensure_monthly_backup(client, settings.task_queue, settings.time_zone)
    deps = Deps(
        runtime.unit_of_work,
        gradebook,
        CaseProcesses(client, settings.task_queue),
        activity_timeout_seconds=settings.activity_timeout_seconds,
    )
    closing = ClosingProcesses(client, settings.task_queue)
    statements = StatementProcesses(client, settings.task_queue)
    return Wiring(
        servicers=[(pb_grpc.add_WorkflowServiceServicer_to_server, WorkflowServicer(deps), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(settings.identity_address),
        background=[
            worker.run,
            *(c.run for c in consumers(runtime, closing, statements)),
            lambda: measure_overdue_steps(deps),
        ],
        on_stop=[gradebook.close],
        # Without Temporal no reopen procedure can start or advance: the service is down, not degraded.
        dependencies=[Dependency("temporal", lambda: temporal_serving(client))],
        # The SDK's exporter listens on loopback only; /metrics (behind the token) carries its text.
        extra_metrics=loopback_exporter(settings.temporal_metrics_address)
        if settings.temporal_metrics_address
        else None,
    )


async def temporal_serving(client: Client) -> None:
    if not await client.service_client.check_health():
        raise ConnectionError("Temporal is not serving")


def main() -> None:
    settings = load_settings(WorkflowSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
