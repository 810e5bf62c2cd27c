"""QR check-ins' rows (KG-09): which journal a lesson belongs to, and a student's first scan of it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t
from services.gradebook.domain.vocabulary import CONTROL


async def journal_of_lesson(session: AsyncSession, lesson_id: uuid.UUID) -> uuid.UUID | None:
    """The journal holding the lesson's column (a control column is no lesson), or None."""
    journal_id: uuid.UUID | None = (
        await session.execute(
            select(t.columns.c.journal_id)
            .where(t.columns.c.column_id == lesson_id, t.columns.c.kind != CONTROL)
            .limit(1)
        )
    ).scalar()
    return journal_id


async def record_first_check_in(
    session: AsyncSession,
    *,
    column_id: uuid.UUID,
    student_id: uuid.UUID,
    journal_id: uuid.UUID,
    checked_in_at: datetime,
    time_window: int,
) -> bool:
    """Record the student's scan of the lesson; False when one is recorded already (nothing changes)."""
    first = await session.execute(
        insert(t.checkins)
        .values(
            column_id=column_id,
            student_id=student_id,
            journal_id=journal_id,
            checked_in_at=checked_in_at,
            time_window=time_window,
        )
        .on_conflict_do_nothing()
        .returning(t.checkins.c.student_id)
    )
    return first.first() is not None
