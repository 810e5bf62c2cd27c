"""The monthly backup (KZ-16), ensured at every start of the service: one long-lived workflow with a
fixed id (backup/workflows.py) that wakes at 02:00 on the 1st of each month in the university's time
zone. Starting it again finds it running: idempotent."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError

from ejournal_regulation import load_profiles
from services.workflow.domain.backup_retention import keep_years
from services.workflow.processes.backup.messages import BackupInput
from services.workflow.processes.backup.workflows import MonthlyBackupWorkflow

MONTHLY_BACKUP_ID = "monthly-backup"


async def ensure_monthly_backup(client: Client, task_queue: str, time_zone: str) -> bool:
    """Start the monthly backup unless it runs already; True when it was started now."""
    years = keep_years([profile.retention_years for profile in load_profiles().values()])
    try:
        await client.start_workflow(
            MonthlyBackupWorkflow.run,
            BackupInput(time_zone=time_zone, keep_years=years),
            id=MONTHLY_BACKUP_ID,
            task_queue=task_queue,
        )
    except WorkflowAlreadyStartedError:
        return False
    return True
