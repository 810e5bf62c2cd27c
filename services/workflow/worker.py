"""The Temporal worker of every process in services/workflow (one folder per process)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import TLSConfig
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


class TemporalConnection(Protocol):
    temporal_tls: bool
    temporal_api_key: str
    temporal_tls_cert_file: Path | None
    temporal_tls_key_file: Path | None
    temporal_tls_ca_file: Path | None


def temporal_tls(settings: TemporalConnection) -> bool | TLSConfig:
    """TLS towards an external Temporal (e.g. Temporal Cloud): plain when nothing asks for it."""
    files = (settings.temporal_tls_ca_file, settings.temporal_tls_cert_file, settings.temporal_tls_key_file)
    if not any(files):
        return settings.temporal_tls or bool(settings.temporal_api_key)
    ca, cert, key = (path.read_bytes() if path else None for path in files)
    return TLSConfig(server_root_ca_cert=ca, client_cert=cert, client_private_key=key)


def sdk_runtime(metrics_address: str) -> Runtime:
    """The SDK's runtime, serving its metrics for Prometheus when an address is given."""
    if not metrics_address:
        return Runtime.default()
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_address)))


async def connect_temporal(settings: WorkflowSettings, attempts: int = 360) -> Client:
    runtime = sdk_runtime(settings.temporal_metrics_address)
    for attempt in range(attempts):
        try:
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                api_key=settings.temporal_api_key or None,
                tls=temporal_tls(settings),
                interceptors=[TracingInterceptor()],
                runtime=runtime,
            )
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.info("waiting for temporal", address=settings.temporal_address, error=repr(error))
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")
