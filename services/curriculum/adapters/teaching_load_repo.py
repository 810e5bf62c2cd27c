"""Reads of teaching load for its lists: pages of loads, the groups a student sits in, the labels."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, after
from services.curriculum.adapters.models import CourseUnit, Faculty, Group, Placement, TeachingLoad
from services.curriculum.adapters.records import records
from services.curriculum.domain import records as rec


async def groups_of_students(
    session: AsyncSession, students: set[uuid.UUID], on: dt.date
) -> dict[uuid.UUID, str]:
    """Group id -> one of the students placed in it on the day."""
    if not students:
        return {}
    rows = await session.execute(
        select(Placement.group_id, Placement.student_id).where(
            Placement.student_id.in_(students),
            Placement.valid_from <= on,
            or_(Placement.valid_until.is_(None), Placement.valid_until > on),
        )
    )
    return {group: str(student) for group, student in rows}


async def loads_page(
    session: AsyncSession, filters: Mapping[str, uuid.UUID | None], page: Page
) -> tuple[list[rec.TeachingLoad], str]:
    """One page of live loads matching the named columns (teacher_id, group_id, course_unit_id,
    term_id, department_id), by group, lesson type and id, and the next page's token."""
    query = select(TeachingLoad).where(TeachingLoad.removed_at.is_(None))
    for column, value in filters.items():
        if value:
            query = query.where(getattr(TeachingLoad, column) == value)
    order = (TeachingLoad.group_id, TeachingLoad.lesson_type, TeachingLoad.id)
    if page.after:
        query = query.where(after(order, page.after_key(uuid.UUID, str, uuid.UUID)))
    found = list(await session.scalars(query.order_by(*order).limit(page.fetch)))
    rows, next_token = page.cut(found, key=lambda r: (r.group_id, r.lesson_type, r.id))
    return records(rec.TeachingLoad, rows), next_token


async def universities_of_faculties(session: AsyncSession, faculties: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(Faculty.id, Faculty.university_id).where(Faculty.id.in_(faculties)))
    return {faculty: str(university) for faculty, university in rows}


async def labels(
    session: AsyncSession, units: set[uuid.UUID], groups: set[uuid.UUID]
) -> tuple[dict[str, str], dict[str, str]]:
    """Course unit titles and group codes by id: two reads for a whole page."""
    titles = await session.execute(select(CourseUnit.id, CourseUnit.title).where(CourseUnit.id.in_(units)))
    codes = await session.execute(select(Group.id, Group.code).where(Group.id.in_(groups)))
    return {str(i): t for i, t in titles}, {str(i): c for i, c in codes}
