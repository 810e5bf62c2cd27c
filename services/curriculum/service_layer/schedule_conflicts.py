"""Refuse a lesson that double-books a teacher, group, subgroup or classroom, naming both lessons.

One query per lesson over the same day's overlapping lessons that share its teacher, group or room
(indexed by group and date, teacher and date); the domain (domain/schedule.py) decides which
overlap is a conflict. Imports reach this through apply_lesson, so a file's row is refused the same way.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.errors import FailedPrecondition
from services.curriculum.adapters.models import Lesson
from services.curriculum.domain.schedule import Booking, conflict_message, double_booked


def booking_of(row: Lesson) -> Booking:
    return Booking(
        str(row.id),
        str(row.course_unit_id),
        str(row.group_id),
        str(row.subgroup_id) if row.subgroup_id else None,
        row.lesson_type,
        row.date,
        row.starts_at,
        row.ends_at,
        str(row.teacher_id),
        str(row.classroom_id) if row.classroom_id else None,
    )


async def refuse_double_booking(
    session: AsyncSession, new: Booking, *, substitution: bool = False
) -> list[str]:
    """Raise on the first conflict; return the lessons whose teacher conflict the substitution excused
    (the caller audits them with the substitution's reference)."""
    shares = [Lesson.teacher_id == uuid.UUID(new.teacher_id), Lesson.group_id == uuid.UUID(new.group_id)]
    if new.classroom_id is not None:
        shares.append(Lesson.classroom_id == uuid.UUID(new.classroom_id))
    candidates = await session.scalars(
        select(Lesson)
        .where(
            Lesson.date == new.day,
            Lesson.cancelled_at.is_(None),
            Lesson.id != uuid.UUID(new.lesson_id),
            Lesson.starts_at < new.ends_at,
            Lesson.ends_at > new.starts_at,
            or_(*shares),
        )
        .order_by(Lesson.starts_at, Lesson.id)
    )
    excused: list[str] = []
    for row in candidates:
        other = booking_of(row)
        field = double_booked(new, other, substitution=substitution)
        if field is not None:
            raise FailedPrecondition(conflict_message(field, new, other), field=field)
        if substitution and double_booked(new, other) is not None:
            excused.append(other.lesson_id)
    return excused
