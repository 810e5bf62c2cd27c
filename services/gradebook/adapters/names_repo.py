"""Printable names' rows (curriculum's structure units and identity's people) and a course unit's code
and title, as statements print them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.gradebook.adapters import tables as t

N = t.names.c


@dataclass(frozen=True, kw_only=True)
class Name:
    """A structure unit's or person's printable name, with what statements need of its place."""

    name_id: uuid.UUID
    kind: str
    title: str
    parent_id: uuid.UUID | None
    time_zone: str
    profile_code: str


@dataclass(frozen=True, kw_only=True)
class CodeTitle:
    code: str
    title: str


async def keep_name(session: AsyncSession, name_id: uuid.UUID, at: datetime, **values: object) -> None:
    """Store a definition unless a later one (by `defined_at`) is stored already."""
    row = {**values, "defined_at": at}
    await session.execute(
        insert(t.names)
        .values(name_id=name_id, **row)
        .on_conflict_do_update(index_elements=["name_id"], set_=row, where=N.defined_at <= at)
    )


async def names_of(session: AsyncSession, ids: Iterable[uuid.UUID]) -> list[Name]:
    """The names of the given ids that are known."""
    rows = await session.execute(
        select(N.name_id, N.kind, N.title, N.parent_id, N.time_zone, N.profile_code).where(
            N.name_id.in_(set(ids))
        )
    )
    return [record(Name, r) for r in rows]


async def course_unit_code_title(session: AsyncSession, course_unit_id: uuid.UUID | None) -> CodeTitle | None:
    row = (
        await session.execute(
            select(t.course_units.c.code, t.course_units.c.title).where(
                t.course_units.c.course_unit_id == course_unit_id
            )
        )
    ).first()
    return None if row is None else record(CodeTitle, row)


async def specialty_code(session: AsyncSession, group_id: uuid.UUID) -> str:
    parent = select(N.parent_id).where(N.name_id == group_id, N.kind == "group").scalar_subquery()
    code = await session.scalar(select(N.code).where(N.name_id == parent, N.kind == "specialty"))
    return code or ""
