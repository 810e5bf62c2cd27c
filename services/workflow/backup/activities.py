"""Activities of the monthly backup. Taking and pruning backups is the operator tool's job (a
`BackupPort`: adapters/backups.py runs it); the failure notice goes out through the outbox like every
other notice, to the system administrators of the university."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from temporalio import activity

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from services.workflow.adapters.event_messages import notification_event
from services.workflow.backup.messages import BackupFailed, BackupTaken, PruneRequest
from services.workflow.domain import notice_texts as say
from services.workflow.domain.notices import Notice

TAKE = "backup.take"
PRUNE = "backup.prune"
NOTIFY_FAILURE = "backup.notify_failure"
ADMINISTRATORS = "administrator"


class BackupPort(Protocol):
    async def take(self) -> BackupTaken: ...

    async def prune(self, keep_years: int, now: str) -> list[str]: ...


class BackupActivities:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], backups: BackupPort) -> None:
        self._unit_of_work = unit_of_work
        self._backups = backups

    @activity.defn(name=TAKE)
    async def take(self) -> BackupTaken:
        return await self._backups.take()

    @activity.defn(name=PRUNE)
    async def prune(self, request: PruneRequest) -> list[str]:
        return await self._backups.prune(request.keep_years, request.now)

    @activity.defn(name=NOTIFY_FAILURE)
    async def notify_failure(self, failed: BackupFailed) -> None:
        notice = Notice(
            say.BACKUP_FAILED,
            say.BACKUP_ERROR,
            recipient_role=ADMINISTRATORS,
            scope_type="university",
            case_id=f"backup-{failed.at}",
            values={"failed_at": failed.at, "error": failed.error},
        )
        async with self._unit_of_work() as uow:
            uow.add_event(Event(notification_event(notice, "backup_failed"), subject="university"))
            await uow.commit()

    def all(self) -> list[Callable[..., Any]]:
        return [self.take, self.prune, self.notify_failure]
