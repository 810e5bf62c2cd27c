"""Reads of the schedule: the lessons that might double-book a new one, and pages of lessons."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, after
from services.curriculum.adapters.models import Lesson
from services.curriculum.adapters.records import records
from services.curriculum.domain import records as rec
from services.curriculum.domain.schedule import Booking


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


async def overlapping(session: AsyncSession, new: Booking) -> list[Booking]:
    """The same day's other live lessons overlapping `new` in time that share its teacher, group or room
    (indexed by group and date, teacher and date), by start; the domain decides which is a conflict."""
    shares = [Lesson.teacher_id == uuid.UUID(new.teacher_id), Lesson.group_id == uuid.UUID(new.group_id)]
    if new.classroom_id is not None:
        shares.append(Lesson.classroom_id == uuid.UUID(new.classroom_id))
    rows = await session.scalars(
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
    return [booking_of(row) for row in rows]


async def lessons_page(
    session: AsyncSession,
    group_id: uuid.UUID | None,
    teacher_id: uuid.UUID | None,
    first: dt.date,
    last: dt.date,
    page: Page,
) -> tuple[list[rec.Lesson], str]:
    """One page of live lessons of the group or the teacher (either, when both are named) between the
    dates, by date, start and id, and the next page's token."""
    query = select(Lesson).where(Lesson.cancelled_at.is_(None), Lesson.date >= first, Lesson.date <= last)
    query = (
        query.where(or_(Lesson.group_id == group_id, Lesson.teacher_id == teacher_id))
        if group_id and teacher_id
        else query.where(Lesson.group_id == group_id if group_id else Lesson.teacher_id == teacher_id)
    )
    order = (Lesson.date, Lesson.starts_at, Lesson.id)
    if page.after:
        query = query.where(
            after(order, page.after_key(dt.date.fromisoformat, dt.time.fromisoformat, uuid.UUID))
        )
    found = list(await session.scalars(query.order_by(*order).limit(page.fetch)))
    shown, next_token = page.cut(found, key=lambda r: (r.date, r.starts_at, r.id))
    return records(rec.Lesson, shown), next_token


async def live_lessons(
    session: AsyncSession, groups: set[uuid.UUID], first: dt.date, last: dt.date
) -> list[Lesson]:
    """The groups' lessons (not cancelled) between the days: mapped rows, for the import that may
    cancel some of them in the same transaction."""
    rows = await session.scalars(
        select(Lesson).where(
            Lesson.group_id.in_(groups),
            Lesson.date >= first,
            Lesson.date <= last,
            Lesson.cancelled_at.is_(None),
        )
    )
    return list(rows)
