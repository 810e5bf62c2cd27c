"""Import records (what each import did, for GetImport and the "same file again" answer) and the lock
that keeps one import of a kind per academic year at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.locks import IMPORT_LOCK
from services.curriculum.adapters.models import (
    AcademicYear,
    Classroom,
    CourseUnit,
    Department,
    Faculty,
    Group,
    ImportRecord,
    Specialty,
    Subgroup,
)
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec


async def lock(session: AsyncSession, key: str) -> None:
    """Held to the end of the transaction: imports of the same kind and year would check against each
    other's rows."""
    await session.execute(IMPORT_LOCK, {"key": key})


def add(session: AsyncSession, **values: Any) -> None:
    session.add(ImportRecord(**values))


async def applied_before(session: AsyncSession, kind: str, sha256: str) -> uuid.UUID | None:
    """An import of the same kind and content that was applied (or found nothing to change), if any."""
    return await session.scalar(
        select(ImportRecord.id)
        .where(
            ImportRecord.kind == kind,
            ImportRecord.sha256 == sha256,
            ImportRecord.status.in_(("applied", "unchanged")),
        )
        .limit(1)
    )


async def find(session: AsyncSession, import_id: uuid.UUID) -> rec.Import | None:
    row = await session.get(ImportRecord, import_id)
    return None if row is None else record(rec.Import, row)


async def university_of_year(session: AsyncSession, year_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(AcademicYear.university_id).where(AcademicYear.id == year_id))


# Code -> id maps of a university (or its academic year), read once per import.


async def departments_by_code(session: AsyncSession, university_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(Department.code, Department.id).join(Faculty).where(Faculty.university_id == university_id)
    )
    return {code: id_ for code, id_ in rows}


async def specialties_by_code(session: AsyncSession, university_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(Specialty.code, Specialty.id).join(Faculty).where(Faculty.university_id == university_id)
    )
    return {code: id_ for code, id_ in rows}


async def classrooms_by_code(session: AsyncSession, university_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(Classroom.code, Classroom.id).where(Classroom.university_id == university_id)
    )
    return {code: id_ for code, id_ in rows}


async def course_units_by_key(
    session: AsyncSession, year_id: uuid.UUID
) -> dict[tuple[uuid.UUID, int, str], uuid.UUID]:
    """(specialty, course, code) -> id of the year's live course units."""
    rows = await session.execute(
        select(CourseUnit.specialty_id, CourseUnit.course_number, CourseUnit.code, CourseUnit.id).where(
            CourseUnit.academic_year_id == year_id, CourseUnit.removed_at.is_(None)
        )
    )
    return {(a, b, c): d for a, b, c, d in rows}


@dataclass(frozen=True)
class GroupInfo:
    id: uuid.UUID
    code: str
    specialty_id: uuid.UUID
    faculty_id: uuid.UUID
    course_number: int
    subgroups: dict[str, uuid.UUID]


async def groups_of_year(session: AsyncSession, year_id: uuid.UUID) -> dict[str, GroupInfo]:
    """The year's groups by code, with their faculty and subgroups (by code)."""
    rows = (
        await session.execute(
            select(Group, Specialty.faculty_id)
            .join(Specialty, Specialty.id == Group.specialty_id)
            .where(Group.academic_year_id == year_id)
        )
    ).all()
    subgroups: dict[uuid.UUID, dict[str, uuid.UUID]] = {}
    for sub in await session.scalars(select(Subgroup).where(Subgroup.group_id.in_([g.id for g, _ in rows]))):
        subgroups.setdefault(sub.group_id, {})[sub.code] = sub.id
    return {
        g.code: GroupInfo(g.id, g.code, g.specialty_id, f, g.course_number, subgroups.get(g.id, {}))
        for g, f in rows
    }
