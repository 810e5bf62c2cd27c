"""The record of backups taken (KZ-16), in reporting's operational tables: rows in the caller's
transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.reporting.adapters.ops_tables import backup_record


async def add_done(
    session: AsyncSession, *, backup_id: str, location: str, manifest: dict[str, Any], size_bytes: int
) -> None:
    """A finished backup, once (a repeated call for the same backup leaves the first record)."""
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


async def newest_first(session: AsyncSession, page: Page) -> tuple[list[Any], str]:
    """One page of backups, newest first, and the next page's token."""
    b = backup_record.c
    query = keyset(
        select(backup_record),
        page,
        [b.started_at, b.backup_id],
        [datetime.fromisoformat, str],
        descending=True,
    )
    return page.cut(list((await session.execute(query)).all()), key=lambda r: (r.started_at, r.backup_id))
