"""The record of backups taken (ListBackups), written after the backup's own files are complete."""

from __future__ import annotations

from typing import Any

from ejournal_platform.context import Principal
from ejournal_platform.pagination import Page
from services.reporting.adapters import backup_records_repo
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.deps import Deps


async def record_backup(
    deps: Deps,
    *,
    backup_id: str,
    location: str,
    manifest: dict[str, Any],
    size_bytes: int,
) -> None:
    """Called by the backup tool (deploy/ops/backup.py) once the backup's files are complete."""
    async with deps.unit_of_work() as uow:
        await backup_records_repo.add_done(
            uow.session, backup_id=backup_id, location=location, manifest=manifest, size_bytes=size_bytes
        )
        await uow.commit()


async def list_backups(deps: Deps, principal: Principal, page: Page) -> tuple[list[Any], str]:
    """One page of backups, newest first, and the next page's token."""
    allow(principal, "report.archive")
    async with deps.unit_of_work() as uow:
        return await backup_records_repo.newest_first(uow.session, page)
