"""The gradebook's copy of enrollments (curriculum's movements) and substitutions (identity's):
rows written by roster_projections' handlers in the consumer's transaction. Each write is idempotent
(a redelivered event changes nothing)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t


async def enroll(
    session: AsyncSession,
    *,
    movement_id: uuid.UUID,
    student_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    since: date,
) -> None:
    await session.execute(
        insert(t.enrollments)
        .values(
            movement_id=movement_id,
            student_id=student_id,
            group_id=group_id,
            subgroup_id=subgroup_id,
            since=since,
        )
        .on_conflict_do_nothing()
    )


async def leave(session: AsyncSession, student_id: uuid.UUID, group_id: uuid.UUID | None, day: date) -> None:
    """End the student's open enrollments (in one group, or in every group)."""
    condition = [t.enrollments.c.student_id == student_id, t.enrollments.c.until.is_(None)]
    if group_id is not None:
        condition.append(t.enrollments.c.group_id == group_id)
    await session.execute(update(t.enrollments).where(*condition).values(until=day))


async def add_substitution(
    session: AsyncSession,
    *,
    substitution_id: uuid.UUID,
    absent_teacher_id: uuid.UUID,
    substitute_id: uuid.UUID,
    journal_ids: list[uuid.UUID],
    course_unit_ids: list[uuid.UUID],
    starts_on: date,
    ends_on: date,
    protocol: str,
) -> None:
    await session.execute(
        insert(t.substitutions)
        .values(
            substitution_id=substitution_id,
            absent_teacher_id=absent_teacher_id,
            substitute_id=substitute_id,
            journal_ids=journal_ids,
            course_unit_ids=course_unit_ids,
            starts_on=starts_on,
            ends_on=ends_on,
            protocol=protocol,
        )
        .on_conflict_do_nothing()
    )


async def end_substitution(session: AsyncSession, substitution_id: uuid.UUID, ended_on: date) -> None:
    """Move the substitution's end earlier (never later) to the day it ended."""
    await session.execute(
        update(t.substitutions)
        .where(
            t.substitutions.c.substitution_id == substitution_id,
            or_(t.substitutions.c.ends_on > ended_on),
        )
        .values(ends_on=ended_on)
    )
