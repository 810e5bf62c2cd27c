"""Code -> id maps of a university, read once per import."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from services.curriculum.adapters.models import Classroom, CourseUnit, Department, Faculty, Specialty
from services.curriculum.service_layer.imports.base import ImportContext


async def departments(ctx: ImportContext) -> dict[str, uuid.UUID]:
    rows = await ctx.session.execute(
        select(Department.code, Department.id).join(Faculty).where(Faculty.university_id == ctx.university.id)
    )
    return dict(rows.all())


async def specialties(ctx: ImportContext) -> dict[str, uuid.UUID]:
    rows = await ctx.session.execute(
        select(Specialty.code, Specialty.id).join(Faculty).where(Faculty.university_id == ctx.university.id)
    )
    return dict(rows.all())


async def classrooms(ctx: ImportContext) -> dict[str, uuid.UUID]:
    rows = await ctx.session.execute(
        select(Classroom.code, Classroom.id).where(Classroom.university_id == ctx.university.id)
    )
    return dict(rows.all())


async def course_units(ctx: ImportContext) -> dict[tuple[uuid.UUID, int, str], uuid.UUID]:
    rows = await ctx.session.execute(
        select(CourseUnit.specialty_id, CourseUnit.course_number, CourseUnit.code, CourseUnit.id).where(
            CourseUnit.academic_year_id == ctx.year.id, CourseUnit.removed_at.is_(None)
        )
    )
    return {(a, b, c): d for a, b, c, d in rows.all()}
