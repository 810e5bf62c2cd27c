"""Attendance events and absence marks -> a notice to the group's curator and the student's parents
when a student has been absent from `threshold` lessons of a journal in a row. The streak is kept in
the notifier's own table, updated in the consumer's transaction (so a redelivered event changes
nothing).

A mark event names neither the group nor the scale, so the notifier keeps each journal's group and
profile from `JournalOpened` (the journal is opened before any mark is written in it), with its names
(adapters/journal_names.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_regulation import get_profile
from services.notifier.adapters import absence_streaks_repo, journal_names
from services.notifier.domain.absences import CLEARED, Streak, after, status_of_mark
from services.notifier.domain.notices import Audience, Category, NoticeSpec

ATTENDANCE = gb.AttendanceRecorded.DESCRIPTOR.full_name
MARK = gb.MarkRecorded.DESCRIPTOR.full_name
JOURNAL = gb.JournalOpened.DESCRIPTOR.full_name
EVENTS = (ATTENDANCE, MARK, JOURNAL)
LESSON = "lesson"  # a mark in a control event's or self-study column says nothing about attendance


async def absence_notices(
    session: AsyncSession, event_type: str, data: bytes, threshold: int
) -> list[NoticeSpec]:
    if event_type == JOURNAL:
        await journal_names.remember(session, gb.JournalOpened.FromString(data))
        return []
    if event_type == MARK:
        mark = gb.MarkRecorded.FromString(data)
        if mark.column_kind != LESSON:
            return []
        found = await journal_names.group_and_profile(session, mark.journal_id)
        if found is None:  # a journal never opened here: its scale is unknown
            return []
        status = status_of_mark(mark.value, get_profile(found.profile_code))
        return await _streak(session, mark.journal_id, mark.student_id, found.group_id, mark.lesson_id,
                             status, threshold)  # fmt: skip
    e = gb.AttendanceRecorded.FromString(data)
    return await _streak(session, e.journal_id, e.student_id, e.group_id, e.lesson_id, e.status, threshold)


async def _streak(
    session: AsyncSession, journal_id: str, student_id: str, group_id: str, lesson_id: str, status: str,
    threshold: int,
) -> list[NoticeSpec]:  # fmt: skip
    kept = await absence_streaks_repo.lessons_locked(session, journal_id, student_id)
    before = Streak(kept or ())
    streak, reached = after(before, lesson_id, status, threshold)
    if (kept is None and not streak.lessons) or (streak == before and status == CLEARED):
        return []  # nothing to keep (most marks are grades of students who were there)
    await absence_streaks_repo.save(session, journal_id, student_id, streak.lessons)
    if not reached:
        return []
    link = f"/api/v1/journals/{journal_id}/grid"
    values = {"count": str(threshold)}
    named = {"student": student_id}
    return [
        NoticeSpec("absence_streak", Category.ABSENCE, Audience(role="curator", scope_type="group",
                   scope_id=group_id), values, None, link, named=named, part="curator"),
        NoticeSpec("absence_streak", Category.ABSENCE, Audience(parents_of=(student_id,)), values, None,
                   link, named=named, part="parents"),
    ]  # fmt: skip
