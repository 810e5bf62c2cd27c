"""Rows curriculum keeps from other services' events (through its inbox): gradebook's closed sections and
recorded cells, identity's substitutions. Every write is idempotent: a repeated event changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.models import (
    ClosedSection,
    ControlEvent,
    Lesson,
    RecordedCell,
    Substitution,
)


async def add_closed_section(
    session: AsyncSession, control_event_id: uuid.UUID, journal_id: str, closed_at: dt.datetime
) -> None:
    await session.execute(
        insert(ClosedSection)
        .values(control_event_id=control_event_id, journal_id=journal_id, closed_at=closed_at)
        .on_conflict_do_nothing()
    )


async def is_known_column(session: AsyncSession, column: uuid.UUID) -> bool:
    """Whether the id is one of curriculum's lessons or control events (a journal's column)."""
    lesson = await session.scalar(select(Lesson.id).where(Lesson.id == column))
    return (
        lesson is not None
        or await session.scalar(select(ControlEvent.id).where(ControlEvent.id == column)) is not None
    )


async def add_recorded_cell(session: AsyncSession, lesson_id: str, student_id: str, kind: str) -> None:
    await session.execute(
        insert(RecordedCell)
        .values(lesson_id=lesson_id, student_id=student_id, kind=kind)
        .on_conflict_do_nothing()
    )


async def add_substitution(
    session: AsyncSession,
    *,
    substitution_id: str,
    absent_teacher_id: str,
    substitute_id: str,
    course_unit_ids: list[str],
    starts_on: dt.date,
    ends_on: dt.date,
    university_id: uuid.UUID | None,
) -> None:
    await session.execute(
        insert(Substitution)
        .values(
            substitution_id=substitution_id,
            absent_teacher_id=absent_teacher_id,
            substitute_id=substitute_id,
            course_unit_ids=course_unit_ids,
            starts_on=starts_on,
            ends_on=ends_on,
            university_id=university_id,
        )
        .on_conflict_do_nothing()
    )


async def end_substitution(
    session: AsyncSession, *, substitution_id: str, absent_teacher_id: str, substitute_id: str, ended: dt.date
) -> None:
    """Mark the substitution ended; an end that arrives before its start is kept as a row of its own."""
    await session.execute(
        insert(Substitution)
        .values(
            substitution_id=substitution_id,
            absent_teacher_id=absent_teacher_id,
            substitute_id=substitute_id,
            course_unit_ids=[],
            starts_on=ended,
            ends_on=ended,
            ended_on=ended,
        )
        .on_conflict_do_update(index_elements=["substitution_id"], set_={"ended_on": ended})
    )
