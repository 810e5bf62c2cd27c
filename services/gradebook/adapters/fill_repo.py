"""Fill monitoring's rows (KZ-09 daily grades, KG-08 weekly filling and attendance): the journals a
monitor asked for, page by page, and each journal's lessons with their marks and attendance counted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.domain.fill import LessonFill

LESSONS = text(
    """
    WITH r AS (
        SELECT DISTINCT student_id FROM enrollments
        WHERE group_id = :g AND until IS NULL AND (CAST(:sg AS uuid) IS NULL OR subgroup_id = :sg)
    ),
    cell_marks AS (
        SELECT m.column_id, m.student_id, m.value FROM marks m
        WHERE m.journal_id = :j AND m.term_id = (SELECT term_id FROM journals WHERE journal_id = :j)
          AND m.value IS NOT NULL AND m.student_id IN (SELECT student_id FROM r)
    ),
    cell_attendance AS (
        SELECT a.column_id, a.student_id, a.status FROM attendance a
        WHERE a.journal_id = :j AND a.term_id = (SELECT term_id FROM journals WHERE journal_id = :j)
    )
    SELECT c.column_id, c.date,
        (SELECT count(*) FROM r) AS students,
        (SELECT count(*) FROM cell_marks m WHERE m.column_id = c.column_id) AS marks,
        (SELECT count(*) FROM cell_attendance a WHERE a.column_id = c.column_id) AS records,
        (SELECT count(DISTINCT x.student_id) FROM (
            SELECT a.student_id FROM cell_attendance a
            WHERE a.column_id = c.column_id AND a.status IN ('present', 'late')
            UNION SELECT m.student_id FROM cell_marks m
            WHERE m.column_id = c.column_id AND m.value <> ALL(:absent_marks)) x) AS present,
        (SELECT count(DISTINCT x.student_id) FROM (
            SELECT a.student_id FROM cell_attendance a WHERE a.column_id = c.column_id AND a.status = 'absent'
            UNION SELECT m.student_id FROM cell_marks m
            WHERE m.column_id = c.column_id AND m.value = ANY(:absent_marks)) x) AS absent
    FROM columns c
    WHERE c.journal_id = :j AND c.kind <> 'control' AND NOT c.cancelled AND c.date BETWEEN :from AND :to
    ORDER BY c.date, c.column_id
    """
)

UNIT_DAYS = text(
    "SELECT count(DISTINCT date) FROM columns WHERE journal_id = :j AND kind <> 'control' AND NOT cancelled"
)

SELECT_JOURNALS = text(
    """
    SELECT DISTINCT j.journal_id FROM journals j
    WHERE (CAST(:journal AS uuid) IS NULL OR j.journal_id = :journal)
      AND (CAST(:department AS uuid) IS NULL OR j.department_id = :department)
      AND (CAST(:teacher AS uuid) IS NULL OR EXISTS (
           SELECT 1 FROM journal_teachers t
           WHERE t.journal_id = j.journal_id AND t.active AND t.teacher_id = :teacher))
      AND (CAST(:after AS uuid) IS NULL OR j.journal_id > :after)
    ORDER BY j.journal_id
    LIMIT :fetch
    """
)


async def journal_ids(
    session: AsyncSession,
    *,
    journal: uuid.UUID | None,
    teacher: uuid.UUID | None,
    department: uuid.UUID | None,
    after: uuid.UUID | None,
    fetch: int,
) -> list[uuid.UUID]:
    """Up to `fetch` ids, in order, after `after`, of the journals matching every given filter (the
    teacher must be an active one of the journal)."""
    params = {
        "journal": journal,
        "teacher": teacher,
        "department": department,
        "after": after,
        "fetch": fetch,
    }
    return list((await session.execute(SELECT_JOURNALS, params)).scalars())


async def lessons(
    session: AsyncSession,
    *,
    journal_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    start: date,
    end: date,
    absent_marks: Sequence[str],
) -> list[LessonFill]:
    """The journal's lessons from `start` to `end` (not control events, not cancelled), each with its
    roster size, marks, attendance records, and students present or absent (an absence mark counts)."""
    rows = await session.execute(
        LESSONS,
        {
            "g": group_id,
            "sg": subgroup_id,
            "j": journal_id,
            "from": start,
            "to": end,
            "absent_marks": list(absent_marks),
        },
    )
    return [
        LessonFill(
            lesson_id=str(r.column_id),
            date=r.date,
            students=r.students,
            marks=r.marks,
            attendance_records=r.records,
            present=r.present,
            absent=r.absent,
        )
        for r in rows
    ]


async def unit_days(session: AsyncSession, journal_id: uuid.UUID) -> int:
    """How many distinct days the journal has lessons on (KZ-09's measure of a course unit)."""
    return int((await session.execute(UNIT_DAYS, {"j": journal_id})).scalar_one())
