"""Reads of the structure: a university's tree, a page of a year's groups, a group's subgroups."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from ejournal_platform.pagination import Page, keyset
from services.curriculum.adapters.ids import need_id
from services.curriculum.adapters.lookups import get
from services.curriculum.adapters.models import (
    Classroom,
    Department,
    Faculty,
    Group,
    Specialty,
    Subgroup,
    University,
)
from services.curriculum.adapters.records import record, records
from services.curriculum.adapters.tenancy import of_callers
from services.curriculum.domain import records as rec


async def tree(session: AsyncSession, university_id: uuid.UUID) -> rec.StructureTree:
    """The university with its faculties, departments and specialties, each by code."""
    university = await get(session, University, university_id, "university_id", "university")
    faculties = list(
        await session.scalars(
            select(Faculty).where(Faculty.university_id == university_id).order_by(Faculty.code)
        )
    )
    ids = [f.id for f in faculties]
    departments = await session.scalars(
        select(Department).where(Department.faculty_id.in_(ids)).order_by(Department.code)
    )
    specialties = await session.scalars(
        select(Specialty).where(Specialty.faculty_id.in_(ids)).order_by(Specialty.code)
    )
    return rec.StructureTree(
        record(rec.University, university),
        records(rec.Faculty, faculties),
        records(rec.Department, departments),
        records(rec.Specialty, specialties),
    )


async def subgroups_of(session: AsyncSession, group_id: uuid.UUID) -> list[rec.Subgroup]:
    rows = await session.scalars(
        select(Subgroup).where(Subgroup.group_id == group_id).order_by(Subgroup.code)
    )
    return records(rec.Subgroup, rows)


async def groups_page(
    session: AsyncSession,
    principal: Principal,
    year_id: uuid.UUID,
    faculty_id: uuid.UUID | None,
    specialty_id: uuid.UUID | None,
    course_number: int,
    page: Page,
) -> tuple[list[rec.GroupWithSubgroups], str]:
    """One page of the year's groups in the caller's universities, by code (then id), and the next
    page's token. One statement for the page, subgroups included (an array per group): the page's cost
    is its round trips more than its rows (docs/curriculum.md, "Lists")."""
    subgroups = (
        select(
            func.array_agg(aggregate_order_by(func.concat(Subgroup.id, " ", Subgroup.code), Subgroup.code))
        )
        .where(Subgroup.group_id == Group.id)
        .scalar_subquery()
    )
    query = (
        select(Group, Specialty.faculty_id, subgroups)
        .join(Specialty, Specialty.id == Group.specialty_id)
        .where(Group.academic_year_id == year_id, of_callers(Group.university_id, principal))
        .order_by(Group.code, Group.id)
        .limit(page.fetch)
    )
    if page.after:
        code, gid = page.after[0], need_id(page.after[-1], "page_token")
        query = query.where(tuple_(Group.code, Group.id) > tuple_(literal(code), literal(gid)))
    if faculty_id:
        query = query.where(Specialty.faculty_id == faculty_id)
    if specialty_id:
        query = query.where(Group.specialty_id == specialty_id)
    if course_number:
        query = query.where(Group.course_number == course_number)
    found = (await session.execute(query)).all()
    rows, next_token = page.cut(found, key=lambda r: (r[0].code, r[0].id))
    return [
        rec.GroupWithSubgroups(
            record(rec.Group, g),
            [rec.Subgroup(id=uuid.UUID(pair[:36]), group_id=g.id, code=pair[37:]) for pair in (pairs or [])],
            str(f),
        )
        for g, f, pairs in rows
    ], next_token


async def classrooms_page(
    session: AsyncSession, university_id: uuid.UUID, page: Page
) -> tuple[list[rec.Classroom], str]:
    """One page of the university's classrooms by code (then id), and the next page's token."""
    query = select(Classroom).where(Classroom.university_id == university_id)
    query = keyset(query, page, [Classroom.code, Classroom.id], [str, uuid.UUID])
    found, next_token = page.cut(list(await session.scalars(query)), key=lambda c: (c.code, c.id))
    return records(rec.Classroom, found), next_token


# (kind, model, the attribute naming its parent), parents first.
UNITS: tuple[tuple[str, Any, str | None], ...] = (
    ("university", University, None),
    ("faculty", Faculty, "university_id"),
    ("department", Department, "faculty_id"),
    ("specialty", Specialty, "faculty_id"),
    ("group", Group, "specialty_id"),
)


async def every_unit(session: AsyncSession) -> list[tuple[str, list[Any], str | None]]:
    """Every unit of the structure by kind, parents' kinds first: (kind, its rows by id, the attribute
    naming a row's parent)."""
    return [
        (kind, list(await session.scalars(select(model).order_by(model.id))), parent)
        for kind, model, parent in UNITS
    ]
