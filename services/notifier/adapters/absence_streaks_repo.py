"""Each student's current run of absences in a journal (domain/absences.py's `Streak`), in the
notifier's own table, read and written in the consumer's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.adapters.tables import absence_streaks as t


async def lessons_locked(session: AsyncSession, journal_id: str, student_id: str) -> tuple[str, ...] | None:
    """The lessons of the student's current streak, the row locked until commit (two events of one
    student are counted one after the other); None if no streak was kept."""
    query = select(t.c.lessons).where(t.c.journal_id == journal_id, t.c.student_id == student_id)
    row = (await session.execute(query.with_for_update())).first()
    return tuple(row.lessons) if row is not None else None


async def save(session: AsyncSession, journal_id: str, student_id: str, lessons: Sequence[str]) -> None:
    upsert = insert(t).values(journal_id=journal_id, student_id=student_id, lessons=list(lessons))
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[t.c.journal_id, t.c.student_id], set_={"lessons": list(lessons)}
        )
    )
