"""Reads of the structure: the tree of a university, groups of a year."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ejournal_platform.context import Principal
from ejournal_platform.pagination import Page, page_request
from services.curriculum.adapters.ids import need_id, parse_id
from services.curriculum.adapters.lookups import get
from services.curriculum.adapters.models import Department, Faculty, Group, Specialty, Subgroup, University
from services.curriculum.adapters.records import record, records
from services.curriculum.adapters.tenancy import of_callers
from services.curriculum.domain import records as rec
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import GroupWithSubgroups


@dataclass(frozen=True)
class StructureTree:
    university: rec.University
    faculties: list[rec.Faculty]
    departments: list[rec.Department]
    specialties: list[rec.Specialty]


async def get_structure(deps: Deps, principal: Principal, university_id: str) -> StructureTree:
    uid = need_id(university_id, "university_id")
    require(principal, "structure.read", ResourceScope(university_id=str(uid)))
    async with deps.uow() as uow:
        s = uow.session
        university = await get(s, University, uid, "university_id", "university")
        faculties = list(
            await s.scalars(select(Faculty).where(Faculty.university_id == uid).order_by(Faculty.code))
        )
        ids = [f.id for f in faculties]
        departments = list(
            await s.scalars(
                select(Department).where(Department.faculty_id.in_(ids)).order_by(Department.code)
            )
        )
        specialties = list(
            await s.scalars(select(Specialty).where(Specialty.faculty_id.in_(ids)).order_by(Specialty.code))
        )
        return StructureTree(
            record(rec.University, university),
            records(rec.Faculty, faculties),
            records(rec.Department, departments),
            records(rec.Specialty, specialties),
        )


async def list_groups(
    deps: Deps,
    principal: Principal,
    academic_year_id: str,
    faculty_id: str = "",
    specialty_id: str = "",
    course_number: int = 0,
    page: Page | None = None,
) -> tuple[list[GroupWithSubgroups], str]:
    """One page of the year's groups by code (then id), and the next page's token."""
    page = page or page_request(0, "")
    yid = need_id(academic_year_id, "academic_year_id")
    fid, sid = (
        parse_id(faculty_id, "faculty_id", required=False),
        parse_id(specialty_id, "specialty_id", required=False),
    )
    require(principal, "structure.read")
    # One statement for the page, subgroups included (an array per group): the page's cost is its
    # round trips more than its rows (docs/curriculum.md, "Lists").
    subgroups = (
        select(
            func.array_agg(aggregate_order_by(func.concat(Subgroup.id, " ", Subgroup.code), Subgroup.code))
        )
        .where(Subgroup.group_id == Group.id)
        .scalar_subquery()
    )
    async with deps.uow() as uow:
        query = (
            select(Group, Specialty.faculty_id, subgroups)
            .join(Specialty, Specialty.id == Group.specialty_id)
            .where(Group.academic_year_id == yid, of_callers(Group.university_id, principal))
            .order_by(Group.code, Group.id)
            .limit(page.fetch)
        )
        if page.after:
            code, gid = page.after[0], need_id(page.after[-1], "page_token")
            query = query.where(tuple_(Group.code, Group.id) > tuple_(literal(code), literal(gid)))
        if fid:
            query = query.where(Specialty.faculty_id == fid)
        if sid:
            query = query.where(Group.specialty_id == sid)
        if course_number:
            query = query.where(Group.course_number == course_number)
        found = (await uow.session.execute(query)).all()
        rows, next_token = page.cut(found, key=lambda r: (r[0].code, r[0].id))
        return [
            GroupWithSubgroups(
                record(rec.Group, g),
                [
                    rec.Subgroup(id=uuid.UUID(pair[:36]), group_id=g.id, code=pair[37:])
                    for pair in (pairs or [])
                ],
                str(f),
            )
            for g, f, pairs in rows
        ], next_token
