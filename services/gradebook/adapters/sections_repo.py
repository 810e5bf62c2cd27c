"""A journal section's row as closing and reopening use it, and the closing marks on it: the section's
closing (which migration 0002's trigger makes final) and the kg-jasu lock of a whole journal (KG-06)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t
from services.gradebook.adapters.journal_rows import SectionInfo


async def section(
    session: AsyncSession, journal_id: uuid.UUID, section_id: uuid.UUID, *, for_update: bool = False
) -> SectionInfo | None:
    """The journal's section, or None; `for_update` locks its row to the end of the transaction."""
    s = t.sections.c
    query = select(
        s.section_id,
        s.control_kind,
        s.date,
        s.closing_deadline,
        s.closed_at,
        s.closed_by,
        s.statement_id,
    ).where(s.journal_id == journal_id, s.section_id == section_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return None if row is None else SectionInfo(*row)


async def mark_closed(
    session: AsyncSession,
    journal_id: uuid.UUID,
    section_id: uuid.UUID,
    *,
    at: datetime,
    by: str,
    reason: str,
    statement_id: uuid.UUID,
) -> None:
    await session.execute(
        update(t.sections)
        .where(t.sections.c.journal_id == journal_id, t.sections.c.section_id == section_id)
        .values(closed_at=at, closed_by=by, close_reason=reason, statement_id=statement_id)
    )


async def journals_with_section(session: AsyncSession, section_id: uuid.UUID) -> list[uuid.UUID]:
    """Every journal carrying the section (a control event shared by several journals), in id order."""
    return list(
        (
            await session.execute(
                select(t.sections.c.journal_id)
                .where(t.sections.c.section_id == section_id)
                .order_by(t.sections.c.journal_id)
            )
        ).scalars()
    )


async def lock_journal(session: AsyncSession, journal_id: uuid.UUID, at: datetime, by: str) -> None:
    """KG-06: the whole journal locked for teachers."""
    await session.execute(
        update(t.journals).where(t.journals.c.journal_id == journal_id).values(locked_at=at, locked_by=by)
    )
