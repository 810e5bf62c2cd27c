"""The monthly backup's use cases. Taking and pruning backups is the operator tool's job (a
`BackupPort`: adapters/backups.py runs it); the failure notice goes out through the outbox like every
other notice, to the system administrators of the university."""

from __future__ import annotations

from typing import Protocol

from ejournal_platform.events import Event
from services.workflow.adapters.event_messages import notification_event
from services.workflow.domain import notice_texts as say
from services.workflow.domain.notices import Notice
from services.workflow.processes.backup.messages import BackupFailed, BackupTaken
from services.workflow.service_layer.deps import Deps

ADMINISTRATORS = "administrator"


class BackupPort(Protocol):
    async def take(self) -> BackupTaken: ...

    async def prune(self, keep_years: int, now: str) -> list[str]: ...


async def notify_backup_failure(deps: Deps, cmd: BackupFailed) -> None:
    notice = Notice(
        say.BACKUP_FAILED,
        say.BACKUP_ERROR,
        recipient_role=ADMINISTRATORS,
        scope_type="university",
        case_id=f"backup-{cmd.at}",
        values={"failed_at": cmd.at, "error": cmd.error},
    )
    async with deps.unit_of_work() as uow:
        uow.add_event(Event(notification_event(notice, "backup_failed"), subject="university"))
        await uow.commit()
