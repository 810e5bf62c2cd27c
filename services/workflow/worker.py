"""The Temporal worker of every process in services/workflow (one folder per process)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from temporalio.client import Client
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


async def connect_temporal(settings: WorkflowSettings, attempts: int = 360) -> Client:
    for attempt in range(attempts):
        try:
            return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.info("waiting for temporal", address=settings.temporal_address, error=repr(error))
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")
