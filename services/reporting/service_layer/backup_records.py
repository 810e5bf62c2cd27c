"""The record of backups taken (ListBackups), written after the backup's own files are complete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from ejournal_platform.context import Principal
from ejournal_platform.pagination import Page, keyset
from services.reporting.adapters.ops_tables import backup_record
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
        session = uow.session
        await session.execute(
            insert(backup_record)
            .values(
                backup_id=backup_id,
                started_at=datetime.fromisoformat(manifest["started_at"]),
                finished_at=datetime.fromisoformat(manifest["finished_at"]),
                location=location,
                status="done",
                manifest=manifest,
                size_bytes=size_bytes,
            )
            .on_conflict_do_nothing()
        )
        await uow.commit()


async def list_backups(deps: Deps, principal: Principal, page: Page) -> tuple[list[Any], str]:
    """One page of backups, newest first, and the next page's token."""
    allow(principal, "report.archive")
    b = backup_record.c
    query = keyset(
        select(backup_record),
        page,
        [b.started_at, b.backup_id],
        [datetime.fromisoformat, str],
        descending=True,
    )
    async with deps.unit_of_work() as uow:
        session = uow.session
        return page.cut(list((await session.execute(query)).all()), key=lambda r: (r.started_at, r.backup_id))
