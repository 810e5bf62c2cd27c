"""The record of backups taken (ListBackups), written after the backup's own files are complete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.context import Principal
from services.reporting.adapters.ops_tables import backup_record
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.backup import BackupResult


async def record_backup(sessions: async_sessionmaker[AsyncSession], result: BackupResult) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            insert(backup_record)
            .values(
                backup_id=result.backup_id,
                started_at=datetime.fromisoformat(result.manifest["started_at"]),
                finished_at=datetime.fromisoformat(result.manifest["finished_at"]),
                location=str(result.folder),
                status="done",
                manifest=result.manifest,
                size_bytes=result.size_bytes,
            )
            .on_conflict_do_nothing()
        )


async def list_backups(sessions: async_sessionmaker[AsyncSession], principal: Principal) -> list[object]:
    allow(principal, "report.archive")
    async with sessions() as session:
        query = select(backup_record).order_by(backup_record.c.started_at.desc()).limit(200)
        return list((await session.execute(query)).all())
