"""Code -> id maps of a university, read once per import."""

from __future__ import annotations

import uuid

from services.curriculum.adapters import imports_repo
from services.curriculum.service_layer.imports.base import ImportContext


async def departments(ctx: ImportContext) -> dict[str, uuid.UUID]:
    return await imports_repo.departments_by_code(ctx.session, ctx.university.id)


async def specialties(ctx: ImportContext) -> dict[str, uuid.UUID]:
    return await imports_repo.specialties_by_code(ctx.session, ctx.university.id)


async def classrooms(ctx: ImportContext) -> dict[str, uuid.UUID]:
    return await imports_repo.classrooms_by_code(ctx.session, ctx.university.id)


async def course_units(ctx: ImportContext) -> dict[tuple[uuid.UUID, int, str], uuid.UUID]:
    return await imports_repo.course_units_by_key(ctx.session, ctx.year.id)
