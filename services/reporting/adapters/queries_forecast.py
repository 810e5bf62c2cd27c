"""What the forecast needs from the read models: each student's journal entries of a course unit so
far (current controls and midterms; never the exam or the final itself) and the lessons held."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters import read_models as rm
from services.reporting.adapters.queries_results import journals_of
from services.reporting.domain.forecast import Control, StudentRecord
from services.reporting.domain.marks import read_mark


async def student_records(
    session: AsyncSession, course_unit_id: str, group_id: str, as_of: date
) -> tuple[str, list[StudentRecord]]:
    journals = await journals_of(session, course_unit_id, group_id)
    if not journals:
        return "", []
    profile = journals[0].profile_code
    journal_ids = [j.journal_id for j in journals]
    lesson = rm.lesson
    held = {
        row.lesson_id: row
        for row in await session.execute(
            select(lesson).where(
                lesson.c.course_unit_id == course_unit_id,
                lesson.c.group_id == group_id,
                lesson.c.lesson_date <= as_of,
                ~lesson.c.cancelled,
            )
        )
    }
    midterms = {
        row.section
        for row in await session.execute(
            select(rm.section.c.section).where(
                rm.section.c.journal_id.in_(journal_ids), rm.section.c.control_kind == "midterm"
            )
        )
    }
    controls: dict[str, list[Control]] = defaultdict(list)
    missed: dict[str, set[str]] = defaultdict(set)
    marks = await session.execute(
        select(rm.mark).where(rm.mark.c.journal_id.in_(journal_ids), rm.mark.c.value != "")
    )
    for row in marks:
        if row.column_id in held:
            lesson_row = held[row.column_id]
            label = f"{lesson_row.lesson_date.isoformat()} {lesson_row.topic}".strip()
            controls[row.student_id].append(Control(row.column_id, label, "current", row.value))
            if read_mark(profile, row.value).is_absence:
                missed[row.student_id].add(row.column_id)
        elif row.column_id in midterms:
            controls[row.student_id].append(Control(row.column_id, "midterm", "midterm", row.value))
    absences = await session.execute(
        select(rm.attendance.c.student_id, rm.attendance.c.lesson_id).where(
            rm.attendance.c.journal_id.in_(journal_ids), rm.attendance.c.status == "absent"
        )
    )
    for student_id, lesson_id in absences:
        if lesson_id in held:
            missed[student_id].add(lesson_id)
    enrolled = await session.execute(
        select(rm.enrollment.c.student_id).where(rm.enrollment.c.group_id == group_id, rm.enrollment.c.active)
    )
    students = sorted({row[0] for row in enrolled} | set(controls))
    records = [
        StudentRecord(
            student_id=s,
            profile_code=profile,
            controls=tuple(sorted(controls[s], key=lambda c: (c.kind, c.label))),
            lessons_held=len(held),
            lessons_missed=len(missed[s]),
        )
        for s in students
    ]
    return profile, records
