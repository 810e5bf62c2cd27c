"""The Temporal worker of every process in services/workflow (one folder per process)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from ejournal_platform.db import UnitOfWork
from ejournal_platform.logging import get_logger
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.gradebook import GradebookPort
from services.workflow.backup.activities import BackupActivities, BackupPort
from services.workflow.backup.workflows import MonthlyBackupWorkflow
from services.workflow.closing.activities import ClosingActivities
from services.workflow.closing.workflows import ClosingDeadlineWorkflow
from services.workflow.monitoring.activities import MonitoringActivities
from services.workflow.monitoring.workflows import DailyFillCheckWorkflow, WeeklyJournalCheckWorkflow
from services.workflow.reconcile.activities import ReconcileActivities
from services.workflow.reconcile.workflows import ReconcileCasesWorkflow
from services.workflow.reopen.activities import ReopenActivities
from services.workflow.reopen.workflows import ReopenCaseWorkflow
from services.workflow.service_layer.reconciler import CaseReconciler
from services.workflow.settings import WorkflowSettings
from services.workflow.statements.activities import StatementActivities
from services.workflow.statements.workflows import StatementDeadlineWorkflow

log = get_logger(__name__)

WORKFLOWS: list[type[Any]] = [
    ReopenCaseWorkflow,
    ClosingDeadlineWorkflow,
    StatementDeadlineWorkflow,
    DailyFillCheckWorkflow,
    WeeklyJournalCheckWorkflow,
    ReconcileCasesWorkflow,
    MonthlyBackupWorkflow,
]


def activities(
    unit_of_work: Callable[[], UnitOfWork], gradebook: GradebookPort, backups: BackupPort | None = None
) -> list[Callable[..., Any]]:
    """Every activity, as bound methods of classes holding their clients (the backup's only when a
    backup tool is given: a worker without one leaves the monthly backup to a worker that has it)."""
    return [
        *(BackupActivities(unit_of_work, backups).all() if backups is not None else []),
        *ReopenActivities(unit_of_work, gradebook).all(),
        *ClosingActivities(unit_of_work, gradebook).all(),
        *StatementActivities(unit_of_work, gradebook).all(),
        *MonitoringActivities(unit_of_work, gradebook).all(),
    ]


def build_worker(
    client: Client,
    task_queue: str,
    unit_of_work: Callable[[], UnitOfWork],
    gradebook: GradebookPort,
    backups: BackupPort | None = None,
    **options: Any,
) -> Worker:
    reconciler = CaseReconciler(unit_of_work, CaseProcesses(client, task_queue))
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[*activities(unit_of_work, gradebook, backups), *ReconcileActivities(reconciler).all()],
        **options,
    )


def sdk_runtime(metrics_address: str) -> Runtime:
    """The SDK's runtime, serving its metrics for Prometheus when an address is given."""
    if not metrics_address:
        return Runtime.default()
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_address)))


async def connect_temporal(settings: WorkflowSettings, attempts: int = 360) -> Client:
    runtime = sdk_runtime(settings.temporal_metrics_address)
    for attempt in range(attempts):
        try:
            # The SDK's tracing interceptor: a workflow started inside a traced call continues that
            # trace through its activities (the worker takes the client's interceptors too).
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                interceptors=[TracingInterceptor()],
                runtime=runtime,
            )
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.info("waiting for temporal", address=settings.temporal_address, error=repr(error))
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")
