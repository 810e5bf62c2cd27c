"""Reads the use cases share: one thing by id (or NotFound naming the field), and where it sits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope
from ejournal_platform.errors import FailedPrecondition, NotFound
from services.curriculum.adapters.ids import stable_id
from services.curriculum.adapters.models import (
    AcademicYear,
    CourseUnit,
    Department,
    Faculty,
    Group,
    Specialty,
    Subgroup,
    TeachingLoad,
    Term,
    University,
)
from services.curriculum.domain import records as rec
from services.curriculum.domain.calendar import CurriculumWindows, TermDates

M = TypeVar("M")


async def get(session: AsyncSession, model: type[M], id_: uuid.UUID, field: str, what: str) -> M:
    found = await session.get(model, id_)
    if found is None:
        raise NotFound(f"{what} {id_} does not exist", field=field)
    return found


@dataclass(frozen=True)
class Place:
    """A resource's position in the structure, for authorization and for event fields."""

    university: University
    faculty: Faculty
    specialty: Specialty | None = None
    department: Department | None = None
    group: Group | None = None

    def scope(self) -> ResourceScope:
        return ResourceScope(
            university_id=str(self.university.id),
            faculty_id=str(self.faculty.id),
            specialty_id=str(self.specialty.id) if self.specialty else None,
            department_id=str(self.department.id) if self.department else None,
            group_id=str(self.group.id) if self.group else None,
        )


async def place_of_faculty(session: AsyncSession, faculty_id: uuid.UUID, field: str = "faculty_id") -> Place:
    faculty = await get(session, Faculty, faculty_id, field, "faculty")
    university = await get(session, University, faculty.university_id, field, "university")
    return Place(university, faculty)


async def place_of_department(
    session: AsyncSession, department_id: uuid.UUID, field: str = "department_id"
) -> Place:
    department = await get(session, Department, department_id, field, "department")
    place = await place_of_faculty(session, department.faculty_id, field)
    return Place(place.university, place.faculty, department=department)


async def place_of_specialty(
    session: AsyncSession, specialty_id: uuid.UUID, field: str = "specialty_id"
) -> Place:
    specialty = await get(session, Specialty, specialty_id, field, "specialty")
    place = await place_of_faculty(session, specialty.faculty_id, field)
    return Place(place.university, place.faculty, specialty=specialty)


async def place_of_group(session: AsyncSession, group_id: uuid.UUID, field: str = "group_id") -> Place:
    group = await get(session, Group, group_id, field, "group")
    place = await place_of_specialty(session, group.specialty_id, field)
    return Place(place.university, place.faculty, specialty=place.specialty, group=group)


async def subgroup_of(
    session: AsyncSession, group_id: uuid.UUID, subgroup_id: uuid.UUID | None, field: str = "subgroup_id"
) -> Subgroup | None:
    if subgroup_id is None:
        return None
    subgroup = await get(session, Subgroup, subgroup_id, field, "subgroup")
    if subgroup.group_id != group_id:
        raise NotFound(f"subgroup {subgroup_id} is not a subgroup of group {group_id}", field=field)
    return subgroup


async def year_terms(session: AsyncSession, academic_year_id: uuid.UUID) -> list[Term]:
    rows = await session.scalars(
        select(Term).where(Term.academic_year_id == academic_year_id).order_by(Term.number)
    )
    return list(rows)


def term_dates(term: Term) -> TermDates:
    return TermDates(term.number, term.starts_on, term.ends_on)


def windows_of(year: AcademicYear | rec.AcademicYear) -> CurriculumWindows:
    return CurriculumWindows(year.load_from, year.load_until, year.correction_from, year.correction_until)


async def course_unit_with_place(
    session: AsyncSession, course_unit_id: uuid.UUID, field: str = "course_unit_id"
) -> tuple[CourseUnit, Place]:
    unit = await get(session, CourseUnit, course_unit_id, field, "course unit")
    if unit.removed_at is not None:
        raise NotFound(f"course unit {course_unit_id} was removed", field=field)
    place = await place_of_department(session, unit.department_id, field)
    return unit, place


async def load_for(
    session: AsyncSession,
    teacher: uuid.UUID,
    unit_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    lesson_type: str,
) -> TeachingLoad:
    """The active load that entitles this teacher to teach this lesson, or FailedPrecondition."""
    row = await session.get(
        TeachingLoad, stable_id("teaching_load", teacher, unit_id, group_id, subgroup_id, lesson_type)
    )
    if row is None or row.removed_at is not None:
        raise FailedPrecondition(
            "the teacher has no teaching load for this course unit, group and lesson type", field="teacher_id"
        )
    return row


async def term_for(session: AsyncSession, academic_year_id: uuid.UUID, number: int) -> Term | None:
    found: Term | None = await session.scalar(
        select(Term).where(Term.academic_year_id == academic_year_id, Term.number == number)
    )
    return found
