"""Attendance events -> a notice to the group's curator and the student's parents when a student has
been absent from `threshold` lessons of a journal in a row. The streak is kept in the notifier's own
table, updated in the consumer's transaction (so a redelivered event changes nothing)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as gb
from services.notifier.adapters.tables import absence_streaks as t
from services.notifier.domain.absences import Streak, after
from services.notifier.domain.notices import Audience, Category, NoticeSpec

ATTENDANCE = gb.AttendanceRecorded.DESCRIPTOR.full_name


async def absence_notices(session: AsyncSession, data: bytes, threshold: int) -> list[NoticeSpec]:
    e = gb.AttendanceRecorded.FromString(data)
    key = (t.c.journal_id == e.journal_id, t.c.student_id == e.student_id)
    row = (await session.execute(select(t.c.lessons).where(*key).with_for_update())).first()
    streak, reached = after(Streak(tuple(row.lessons) if row else ()), e.lesson_id, e.status, threshold)
    upsert = insert(t).values(journal_id=e.journal_id, student_id=e.student_id, lessons=list(streak.lessons))
    await session.execute(upsert.on_conflict_do_update(index_elements=[t.c.journal_id, t.c.student_id],
                                                       set_={"lessons": list(streak.lessons)}))  # fmt: skip
    if not reached:
        return []
    link = f"/api/v1/journals/{e.journal_id}/grid"
    values = {"count": str(threshold)}
    named = {"student": e.student_id}
    return [
        NoticeSpec("absence_streak", Category.ABSENCE, Audience(role="curator", scope_type="group",
                   scope_id=e.group_id), values, None, link, named=named, part="curator"),
        NoticeSpec("absence_streak", Category.ABSENCE, Audience(parents_of=(e.student_id,)), values, None,
                   link, named=named, part="parents"),
    ]  # fmt: skip
