"""Printable names' rows (curriculum's structure units and identity's people) and a course unit's code
and title, as statements print them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t

N = t.names.c


async def keep_name(session: AsyncSession, name_id: uuid.UUID, at: datetime, **values: object) -> None:
    """Store a definition unless a later one (by `defined_at`) is stored already."""
    row = {**values, "defined_at": at}
    await session.execute(
        insert(t.names)
        .values(name_id=name_id, **row)
        .on_conflict_do_update(index_elements=["name_id"], set_=row, where=N.defined_at <= at)
    )


async def names_of(session: AsyncSession, ids: Iterable[uuid.UUID]) -> list[Any]:
    """Rows (name_id, kind, title, parent_id, time_zone, profile_code) of the given ids."""
    rows = await session.execute(
        select(N.name_id, N.kind, N.title, N.parent_id, N.time_zone, N.profile_code).where(
            N.name_id.in_(set(ids))
        )
    )
    return list(rows)


async def course_unit_code_title(session: AsyncSession, course_unit_id: uuid.UUID | None) -> Any | None:
    return (
        await session.execute(
            select(t.course_units.c.code, t.course_units.c.title).where(
                t.course_units.c.course_unit_id == course_unit_id
            )
        )
    ).first()


async def specialty_code(session: AsyncSession, group_id: uuid.UUID) -> str:
    parent = select(N.parent_id).where(N.name_id == group_id, N.kind == "group").scalar_subquery()
    code = await session.scalar(select(N.code).where(N.name_id == parent, N.kind == "specialty"))
    return code or ""
