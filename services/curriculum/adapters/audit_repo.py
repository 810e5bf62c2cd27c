"""Reads of curriculum's audit: the universities an audited entity belongs to, and pages of its entries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.curriculum.adapters.models import (
    AcademicYear,
    AuditEntry,
    Classroom,
    ControlEvent,
    CourseUnit,
    Department,
    Faculty,
    Group,
    Lesson,
    LessonPlan,
    PlanUploader,
    Specialty,
    Subgroup,
    TeachingLoad,
    Term,
    University,
)
from services.curriculum.adapters.records import records
from services.curriculum.domain import records as rec


def _of_faculty(faculty_id: object) -> Select[Any]:
    return select(Faculty.university_id).where(Faculty.id == faculty_id)


def _of_group(group_id: object) -> Select[Any]:
    return (
        select(Faculty.university_id)
        .join(Specialty, Specialty.faculty_id == Faculty.id)
        .join(Group, Group.specialty_id == Specialty.id)
        .where(Group.id == group_id)
    )


def _of_department(department_id: object) -> Select[Any]:
    return (
        select(Faculty.university_id)
        .join(Department, Department.faculty_id == Faculty.id)
        .where(Department.id == department_id)
    )


def _universities(entity: str, eid: uuid.UUID) -> Select[Any]:
    """The university (universities, for a plan uploader appointed in several departments) of one
    entity, whatever state it is in (removed course units and loads keep their place)."""
    match entity:
        case "university":
            return select(University.id).where(University.id == eid)
        case "faculty":
            return _of_faculty(eid)
        case "department":
            return _of_department(eid)
        case "specialty":
            return _of_faculty(select(Specialty.faculty_id).where(Specialty.id == eid).scalar_subquery())
        case "group":
            return _of_group(eid)
        case "subgroup":
            return _of_group(select(Subgroup.group_id).where(Subgroup.id == eid).scalar_subquery())
        case "classroom":
            return select(Classroom.university_id).where(Classroom.id == eid)
        case "academic_year":
            return select(AcademicYear.university_id).where(AcademicYear.id == eid)
        case "term":
            return (
                select(AcademicYear.university_id)
                .join(Term, Term.academic_year_id == AcademicYear.id)
                .where(Term.id == eid)
            )
        case "control_event":
            return _of_group(select(ControlEvent.group_id).where(ControlEvent.id == eid).scalar_subquery())
        case "course_unit":
            return (
                select(AcademicYear.university_id)
                .join(CourseUnit, CourseUnit.academic_year_id == AcademicYear.id)
                .where(CourseUnit.id == eid)
            )
        case "teaching_load":
            return _of_faculty(
                select(TeachingLoad.faculty_id).where(TeachingLoad.id == eid).scalar_subquery()
            )
        case "plan_uploader":
            return (
                select(Faculty.university_id)
                .join(Department, Department.faculty_id == Faculty.id)
                .join(PlanUploader, PlanUploader.department_id == Department.id)
                .where(PlanUploader.person_id == eid)
            )
        case "lesson_plan":
            return _of_department(
                select(LessonPlan.department_id).where(LessonPlan.id == eid).scalar_subquery()
            )
        case _:  # "lesson"
            return _of_group(select(Lesson.group_id).where(Lesson.id == eid).scalar_subquery())


async def universities_of(session: AsyncSession, entity: str, eid: uuid.UUID) -> set[uuid.UUID]:
    return set(await session.scalars(_universities(entity, eid).distinct()))


async def entries_page(
    session: AsyncSession, entity: str, eid: uuid.UUID, page: Page
) -> tuple[list[rec.AuditEntry], str]:
    """One page of the entity's audit entries, oldest first, and the next page's token."""
    query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == eid)
    query = keyset(query, page, [AuditEntry.at, AuditEntry.id], [datetime.fromisoformat, uuid.UUID])
    found, next_token = page.cut(list(await session.scalars(query)), key=lambda a: (a.at, a.id))
    return records(rec.AuditEntry, found), next_token


async def add_entry(session: AsyncSession, **values: Any) -> None:
    """Append one entry (the audit is append-only: nothing here changes or removes one)."""
    await session.execute(insert(AuditEntry).values(**values))
