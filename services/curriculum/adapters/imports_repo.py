"""Import records (what each import did, for GetImport and the "same file again" answer) and the lock
that keeps one import of a kind per academic year at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
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
    LessonPlan,
    RecordedCell,
    Specialty,
    Subgroup,
    TeachingLoad,
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


# What the importers read and write beyond the use cases they call.


async def live_top_unit_ids(session: AsyncSession, year_id: uuid.UUID) -> set[uuid.UUID]:
    """The year's top-level course units that are not removed."""
    return set(
        await session.scalars(
            select(CourseUnit.id).where(
                CourseUnit.academic_year_id == year_id,
                CourseUnit.parent_id.is_(None),
                CourseUnit.removed_at.is_(None),
            )
        )
    )


async def lessons_with_cells(session: AsyncSession, lesson_ids: list[str]) -> set[str]:
    """Those of the lessons where gradebook recorded a mark or attendance (as the inbox kept them)."""
    if not lesson_ids:
        return set()
    return set(
        await session.scalars(select(RecordedCell.lesson_id).where(RecordedCell.lesson_id.in_(lesson_ids)))
    )


async def plan_ids_of_units(session: AsyncSession, units: set[uuid.UUID]) -> set[uuid.UUID]:
    if not units:
        return set()
    return set(await session.scalars(select(LessonPlan.id).where(LessonPlan.course_unit_id.in_(units))))


@dataclass(frozen=True, kw_only=True)
class UnitForLoads:
    """A live course unit as a teaching load file names it (specialty, course, code) and what the
    load row needs of it."""

    id: uuid.UUID
    specialty_id: uuid.UUID
    course_number: int
    code: str
    kind: str
    profile_code: str
    term_id: uuid.UUID
    department_id: uuid.UUID


async def units_for_loads(session: AsyncSession, year_id: uuid.UUID) -> list[UnitForLoads]:
    """The year's live course units with what a teaching load row needs of them."""
    rows = await session.execute(
        select(
            CourseUnit.id,
            CourseUnit.specialty_id,
            CourseUnit.course_number,
            CourseUnit.code,
            CourseUnit.kind,
            CourseUnit.profile_code,
            CourseUnit.term_id,
            CourseUnit.department_id,
        ).where(CourseUnit.academic_year_id == year_id, CourseUnit.removed_at.is_(None))
    )
    return [record(UnitForLoads, r) for r in rows]


async def faculty_of_departments(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID]:
    rows = await session.execute(select(Department.id, Department.faculty_id))
    return {department: faculty for department, faculty in rows}


@dataclass(frozen=True, kw_only=True)
class StoredLoad:
    id: uuid.UUID
    hours: int
    removed_at: datetime | None
    revision: int


async def stored_loads(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, StoredLoad]:
    """The loads that exist among `ids`, by id."""
    rows = await session.execute(
        select(TeachingLoad.id, TeachingLoad.hours, TeachingLoad.removed_at, TeachingLoad.revision).where(
            TeachingLoad.id.in_(ids)
        )
    )
    return {r.id: record(StoredLoad, r) for r in rows}


async def revive_load(session: AsyncSession, load_id: uuid.UUID, hours: object) -> None:
    """A load the file names again: its hours, not removed, one revision further."""
    await session.execute(
        update(TeachingLoad)
        .where(TeachingLoad.id == load_id)
        .values(hours=hours, removed_at=None, revision=TeachingLoad.revision + 1)
    )
