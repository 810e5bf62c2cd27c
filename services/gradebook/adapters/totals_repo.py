"""What totals read: course units and their parts, integrated exams' results, a group's students, the
teachers of a course unit in a group, a student's journals and attendance (the SQL is totals_sql's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.gradebook.adapters import tables as t
from services.gradebook.adapters.totals_sql import (
    EXAMS,
    GROUP_STUDENTS,
    STUDENT_ATTENDANCE,
    STUDENT_JOURNALS,
    UNIT_TEACHERS,
)

CU = t.course_units.c


@dataclass(frozen=True, kw_only=True)
class CourseUnit:
    """A course unit as integrated results read it: what it is, where it sits, whose it is."""

    course_unit_id: uuid.UUID
    kind: str
    parent_id: uuid.UUID | None
    profile_code: str
    title: str
    code: str
    term_id: uuid.UUID | None
    department_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    position: int
    is_last_part: bool
    has_own_exam: bool
    course_number: int


@dataclass(frozen=True, kw_only=True)
class ExamResult:
    """A student's mark in an intermediate attestation of a course unit's journal."""

    course_unit_id: uuid.UUID
    lesson_type: str
    student_id: uuid.UUID
    value: str


async def course_unit(session: AsyncSession, course_unit_id: uuid.UUID) -> CourseUnit | None:
    row = (await session.execute(select(t.course_units).where(CU.course_unit_id == course_unit_id))).first()
    return None if row is None else record(CourseUnit, row)


async def parts_of(session: AsyncSession, course_unit_id: uuid.UUID) -> list[CourseUnit]:
    """A module's or integrated discipline's parts in their order."""
    rows = await session.execute(
        select(t.course_units).where(CU.parent_id == course_unit_id).order_by(CU.position)
    )
    return [record(CourseUnit, r) for r in rows]


async def exam_results(
    session: AsyncSession, group_id: uuid.UUID, units: list[uuid.UUID]
) -> list[ExamResult]:
    """The results of the units' intermediate attestations in the group's journals."""
    rows = await session.execute(EXAMS, {"group": group_id, "units": units})
    return [record(ExamResult, r) for r in rows]


async def group_students(session: AsyncSession, group_id: uuid.UUID) -> list[uuid.UUID]:
    return list((await session.execute(GROUP_STUDENTS, {"g": group_id})).scalars())


async def unit_teachers(
    session: AsyncSession, group_id: uuid.UUID, course_unit_id: uuid.UUID
) -> list[uuid.UUID]:
    """The active teachers of the course unit's journals in the group."""
    return list((await session.execute(UNIT_TEACHERS, {"g": group_id, "u": course_unit_id})).scalars())


async def student_journals(
    session: AsyncSession, student_id: uuid.UUID, term_id: uuid.UUID | None
) -> list[uuid.UUID]:
    return list((await session.execute(STUDENT_JOURNALS, {"s": student_id, "term": term_id})).scalars())


async def student_attendance(
    session: AsyncSession, journal_id: uuid.UUID, student_id: uuid.UUID
) -> dict[uuid.UUID, str]:
    """The student's attendance status by column in the journal's term."""
    rows = await session.execute(STUDENT_ATTENDANCE, {"j": journal_id, "s": student_id})
    return {r.column_id: r.status for r in rows}
