"""Activities of the monthly backup as its workflow calls them; entrypoints/activities.py runs them.
Taking and pruning backups is the operator tool's job (service_layer/backups.py's `BackupPort`,
adapters/backups.py runs it); the failure notice goes out through the outbox like every other notice,
to the system administrators of the university."""

from __future__ import annotations

from temporalio import activity

from services.workflow.processes.backup.messages import BackupFailed, BackupTaken, PruneRequest

TAKE = "backup.take"
PRUNE = "backup.prune"
NOTIFY_FAILURE = "backup.notify_failure"


class BackupActivities:
    @activity.defn(name=TAKE)
    async def take(self) -> BackupTaken:
        raise NotImplementedError

    @activity.defn(name=PRUNE)
    async def prune(self, request: PruneRequest) -> list[str]:
        raise NotImplementedError

    @activity.defn(name=NOTIFY_FAILURE)
    async def notify_failure(self, failed: BackupFailed) -> None:
        raise NotImplementedError
