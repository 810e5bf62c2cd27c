"""The monthly backup's use cases. Taking and pruning backups is the operator tool's job (a
`BackupPort`: adapters/backups.py runs it); the failure notice goes out through the outbox like every
other notice, to the system administrators of the university."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from services.workflow.adapters.event_messages import notification_event
from services.workflow.domain import notice_texts as say
from services.workflow.domain.notices import Notice
from services.workflow.processes.backup.messages import BackupFailed, BackupTaken

ADMINISTRATORS = "administrator"


class BackupPort(Protocol):
    async def take(self) -> BackupTaken: ...

    async def prune(self, keep_years: int, now: str) -> list[str]: ...


async def notify_backup_failure(unit_of_work: Callable[[], UnitOfWork], failed: BackupFailed) -> None:
    notice = Notice(
        say.BACKUP_FAILED,
        say.BACKUP_ERROR,
        recipient_role=ADMINISTRATORS,
        scope_type="university",
        case_id=f"backup-{failed.at}",
        values={"failed_at": failed.at, "error": failed.error},
    )
    async with unit_of_work() as uow:
        uow.add_event(Event(notification_event(notice, "backup_failed"), subject="university"))
        await uow.commit()
