"""Course units' rows: their parts, hours and live loads, and pages of a year's units."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.curriculum.adapters.models import CourseUnit, CourseUnitHours, TeachingLoad


async def live_parts(
    session: AsyncSession, unit_id: uuid.UUID, but: Collection[uuid.UUID] = ()
) -> list[CourseUnit]:
    """The unit's parts not removed (other than `but`): mapped rows, for a removal in the same unit of
    work."""
    query = select(CourseUnit).where(CourseUnit.parent_id == unit_id, CourseUnit.removed_at.is_(None))
    if but:
        query = query.where(CourseUnit.id.not_in(but))
    return list(await session.scalars(query))


async def hours_of(session: AsyncSession, unit_id: uuid.UUID) -> dict[str, int]:
    rows = await session.scalars(select(CourseUnitHours).where(CourseUnitHours.course_unit_id == unit_id))
    return {h.lesson_type: h.hours for h in rows}


async def replace_hours(session: AsyncSession, unit_id: uuid.UUID, hours: dict[str, int]) -> None:
    await session.execute(delete(CourseUnitHours).where(CourseUnitHours.course_unit_id == unit_id))
    if hours:
        await session.execute(
            insert(CourseUnitHours),
            [{"course_unit_id": unit_id, "lesson_type": t, "hours": h} for t, h in hours.items()],
        )


async def live_loads(session: AsyncSession, unit_id: uuid.UUID) -> int:
    """How many teaching loads (not removed) the unit has."""
    count = await session.scalar(
        select(func.count(TeachingLoad.id)).where(
            TeachingLoad.course_unit_id == unit_id, TeachingLoad.removed_at.is_(None)
        )
    )
    return count or 0


async def year_units_page(
    session: AsyncSession,
    year_id: uuid.UUID,
    specialty_id: uuid.UUID | None,
    course_number: int,
    term_id: uuid.UUID | None,
    page: Page,
) -> tuple[list[CourseUnit], list[CourseUnit], dict[uuid.UUID, dict[str, int]], str]:
    """One page of the year's live top-level units by code (then id), their live parts by position,
    every one's hours, and the next page's token."""
    query = select(CourseUnit).where(CourseUnit.academic_year_id == year_id, CourseUnit.removed_at.is_(None))
    if specialty_id:
        query = query.where(CourseUnit.specialty_id == specialty_id)
    if course_number:
        query = query.where(CourseUnit.course_number == course_number)
    if term_id:
        query = query.where(CourseUnit.term_id == term_id)
    top = keyset(
        query.where(CourseUnit.parent_id.is_(None)), page, [CourseUnit.code, CourseUnit.id], [str, uuid.UUID]
    )
    tops, next_token = page.cut(list(await session.scalars(top)), key=lambda u: (u.code, u.id))
    parts = list(
        await session.scalars(
            query.where(CourseUnit.parent_id.in_([u.id for u in tops])).order_by(CourseUnit.position)
        )
    )
    hours: dict[uuid.UUID, dict[str, int]] = {}
    rows = await session.scalars(
        select(CourseUnitHours).where(CourseUnitHours.course_unit_id.in_([u.id for u in (*tops, *parts)]))
    )
    for h in rows:
        hours.setdefault(h.course_unit_id, {})[h.lesson_type] = h.hours
    return tops, parts, hours, next_token
