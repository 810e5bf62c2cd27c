"""Results of the daily fill check (KZ-09) and the weekly journal check (KG-08)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset, page_request
from services.workflow.adapters.tables import fill_flags, journal_checks, journals
from services.workflow.domain.fill_checks import JournalFill, LessonDayFill, WeeklyFigures


async def flag_day(session: AsyncSession, journal: JournalFill, day: LessonDayFill, at: datetime) -> bool:
    """Flag the lesson day once; True when it was not flagged before."""
    inserted = await session.scalar(
        insert(fill_flags)
        .values(
            journal_id=journal.journal_id,
            lesson_date=date.fromisoformat(day.date),
            teacher_ids=list(journal.teacher_ids),
            department_id=journal.department_id,
            faculty_id=journal.faculty_id,
            course_unit_id=journal.course_unit_id,
            flagged_at=at,
        )
        .on_conflict_do_nothing()
        .returning(fill_flags.c.journal_id)
    )
    return inserted is not None


async def record_check(
    session: AsyncSession, week_start: str, journal: JournalFill, figures: WeeklyFigures, at: datetime
) -> bool:
    """Record the journal's weekly check once; True when it is new."""
    inserted = await session.scalar(
        insert(journal_checks)
        .values(
            week_start=date.fromisoformat(week_start),
            journal_id=journal.journal_id,
            teacher_ids=list(journal.teacher_ids),
            department_id=journal.department_id,
            faculty_id=journal.faculty_id,
            lessons=figures.lessons,
            lessons_filled=figures.lessons_filled,
            filled_percent=figures.filled_percent,
            attendance_percent=figures.attendance_percent,
            findings=figures.findings_in_english,
            keyed_findings=[{"key": f.key, "values": dict(f.values)} for f in figures.findings],
            checked_at=at,
        )
        .on_conflict_do_nothing()
        .returning(journal_checks.c.journal_id)
    )
    return inserted is not None


async def list_checks(
    session: AsyncSession,
    *,
    week_start: date | None,
    teacher_ids: tuple[str, ...] = (),
    department_ids: tuple[str, ...] = (),
    faculty_ids: tuple[str, ...] = (),
    university_ids: tuple[str, ...] = (),
    teacher_id: str = "",
    department_id: str = "",
    faculty_id: str = "",
    page: Page | None = None,
) -> list[Any]:
    """One page (`page.fetch` rows) of a week's checks the caller reaches, narrowed by the filters."""
    page = page or page_request(0, "")
    c = journal_checks.c
    week = week_start or await session.scalar(select(func.max(c.week_start)))
    if week is None:
        return []
    reach = [
        c.teacher_ids.overlap(list(teacher_ids)),
        c.department_id.in_(department_ids),
        c.faculty_id.in_(faculty_ids),
    ]
    if university_ids:  # a university-wide role: its own university's journals, never another's
        reach.append(
            c.journal_id.in_(
                select(journals.c.journal_id).where(journals.c.university_id.in_(university_ids))
            )
        )
    query = select(journal_checks).where(c.week_start == week, or_(*reach))
    if teacher_id:
        query = query.where(c.teacher_ids.contains([teacher_id]))
    if department_id:
        query = query.where(c.department_id == department_id)
    if faculty_id:
        query = query.where(c.faculty_id == faculty_id)
    query = keyset(query, page, [c.faculty_id, c.department_id, c.journal_id], [str, str, str])
    return list((await session.execute(query)).all())
