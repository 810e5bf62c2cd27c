"""Reads of the calendar: a university's academic years, what a term's new dates would strand, and
pages of control events."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.curriculum.adapters.models import AcademicYear, ControlEvent, Lesson
from services.curriculum.adapters.records import records
from services.curriculum.domain import records as rec


async def other_years(
    session: AsyncSession, university_id: uuid.UUID, but: uuid.UUID
) -> list[tuple[str, dt.date, dt.date]]:
    """Code, start and end of the university's academic years other than `but`."""
    rows = await session.execute(
        select(AcademicYear.code, AcademicYear.starts_on, AcademicYear.ends_on).where(
            AcademicYear.university_id == university_id, AcademicYear.id != but
        )
    )
    return [(code, starts, ends) for code, starts, ends in rows]


async def years_of(session: AsyncSession, university_id: uuid.UUID) -> list[rec.AcademicYear]:
    rows = await session.scalars(
        select(AcademicYear)
        .where(AcademicYear.university_id == university_id)
        .order_by(AcademicYear.starts_on)
    )
    return records(rec.AcademicYear, rows)


async def outside_term(
    session: AsyncSession, term_id: uuid.UUID, starts_on: dt.date, ends_on: dt.date
) -> tuple[int, int]:
    """How many live lessons and control events of the term lie outside the dates."""
    lessons = await session.scalar(
        select(func.count(Lesson.id)).where(
            Lesson.term_id == term_id,
            Lesson.cancelled_at.is_(None),
            or_(Lesson.date < starts_on, Lesson.date > ends_on),
        )
    )
    control = await session.scalar(
        select(func.count(ControlEvent.id)).where(
            ControlEvent.term_id == term_id,
            or_(ControlEvent.date < starts_on, ControlEvent.date > ends_on),
        )
    )
    return lessons or 0, control or 0


async def control_events_page(
    session: AsyncSession, filters: Mapping[str, uuid.UUID | None], page: Page
) -> tuple[list[rec.ControlEvent], str]:
    """One page of the control events matching the named columns (term_id, group_id, course_unit_id),
    by date, kind and id, and the next page's token."""
    query = select(ControlEvent)
    for column, value in filters.items():
        if value:
            query = query.where(getattr(ControlEvent, column) == value)
    key = [ControlEvent.date, ControlEvent.kind, ControlEvent.id]
    query = keyset(query, page, key, [dt.date.fromisoformat, str, uuid.UUID])
    found, next_token = page.cut(list(await session.scalars(query)), key=lambda e: (e.date, e.kind, e.id))
    return records(rec.ControlEvent, found), next_token
