"""Retention's rows (KG-12): what may be archived, an archived journal's full rows, the archive
records, and the archived marks on the live read models — in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.ops_tables import archive_record


async def term_ends(session: AsyncSession) -> dict[str, date]:
    """Each term's last day, for the terms that have one."""
    return {row.term_id: row.ends_on for row in await session.execute(select(rm.term)) if row.ends_on}


async def live_journals(session: AsyncSession) -> list[Any]:
    return list((await session.execute(select(rm.journal).where(~rm.journal.c.archived))).all())


async def journal_profiles(session: AsyncSession) -> dict[str, str]:
    """Every journal's regulation profile, archived or not (a statement's retention is its journal's)."""
    return {row.journal_id: row.profile_code for row in await session.execute(select(rm.journal))}


async def live_statements(session: AsyncSession) -> list[Any]:
    return list((await session.execute(select(rm.statement).where(~rm.statement.c.archived))).all())


async def journal_cells(session: AsyncSession, journal_id: str) -> tuple[list[Any], list[Any]]:
    """The journal's mark rows and attendance rows, as stored."""
    marks = (await session.execute(select(rm.mark).where(rm.mark.c.journal_id == journal_id))).all()
    attendance = (
        await session.execute(select(rm.attendance).where(rm.attendance.c.journal_id == journal_id))
    ).all()
    return list(marks), list(attendance)


async def add_records(session: AsyncSession, records: Sequence[dict[str, Any]]) -> None:
    await session.execute(archive_record.insert(), list(records))


async def archived_items(session: AsyncSession) -> tuple[list[str], list[str]]:
    """The ids the archive records name: (journals, statements)."""
    rows = (await session.execute(select(archive_record.c.kind, archive_record.c.item_id))).all()
    return [i for k, i in rows if k == "journal"], [i for k, i in rows if k == "statement"]


async def mark_archived(session: AsyncSession, journals: list[str], statements: list[str]) -> None:
    """Flag archived items and drop their cells from the live read models (also after a rebuild)."""
    if journals:
        await session.execute(
            update(rm.journal).where(rm.journal.c.journal_id.in_(journals)).values(archived=True)
        )
        await session.execute(delete(rm.mark).where(rm.mark.c.journal_id.in_(journals)))
        await session.execute(delete(rm.attendance).where(rm.attendance.c.journal_id.in_(journals)))
    if statements:
        await session.execute(
            update(rm.statement).where(rm.statement.c.statement_id.in_(statements)).values(archived=True)
        )


async def records_page(session: AsyncSession, item_id: str, page: Page) -> tuple[list[Any], str]:
    """One page of archive records (of one item, if given), oldest first, and the next page's token."""
    a = archive_record.c
    query = select(archive_record)
    if item_id:
        query = query.where(a.item_id == item_id)
    query = keyset(query, page, [a.archived_at, a.archive_id], [datetime.fromisoformat, str])
    return page.cut(list((await session.execute(query)).all()), key=lambda r: (r.archived_at, r.archive_id))
