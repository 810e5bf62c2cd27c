"""The Temporal worker of every process in services/workflow (processes/: one folder per process; the
activities' implementations in entrypoints/activities.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from ejournal_platform.db import UnitOfWork
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.gradebook import GradebookPort
from services.workflow.entrypoints.activities import (
    Backup,
    Closing,
    Monitoring,
    Reconcile,
    Reopen,
    Statements,
)
from services.workflow.processes.backup.workflows import MonthlyBackupWorkflow
from services.workflow.processes.closing.workflows import ClosingDeadlineWorkflow
from services.workflow.processes.monitoring.workflows import (
    DailyFillCheckWorkflow,
    WeeklyJournalCheckWorkflow,
)
from services.workflow.processes.reconcile.workflows import ReconcileCasesWorkflow
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.processes.statements.workflows import StatementDeadlineWorkflow
from services.workflow.service_layer.backups import BackupPort
from services.workflow.service_layer.deps import Deps

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
    deps = Deps(unit_of_work, gradebook)
    return [
        *(Backup(deps, backups).all() if backups is not None else []),
        *Reopen(deps).all(),
        *Closing(deps).all(),
        *Statements(deps).all(),
        *Monitoring(deps).all(),
    ]


def build_worker(
    client: Client,
    task_queue: str,
    unit_of_work: Callable[[], UnitOfWork],
    gradebook: GradebookPort,
    backups: BackupPort | None = None,
    **options: Any,
) -> Worker:
    reconciling = Deps(unit_of_work, gradebook, CaseProcesses(client, task_queue))
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[*activities(unit_of_work, gradebook, backups), *Reconcile(reconciling).all()],
        **options,
    )
