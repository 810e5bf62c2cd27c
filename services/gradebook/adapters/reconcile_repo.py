"""What reconciling a journal with curriculum's schedule reads and writes: the journal, its control
events and lessons (reconcile_sql), its sections and columns, upserted one by one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t
from services.gradebook.adapters.reconcile_sql import (
    ACTIVE_TEACHERS,
    CONTROL_EVENTS_OF_JOURNAL,
    LESSONS_OF_JOURNAL,
)


async def journal(session: AsyncSession, journal_id: uuid.UUID) -> Any | None:
    return (await session.execute(t.journals.select().where(t.journals.c.journal_id == journal_id))).first()


def _key(journal: Any) -> dict[str, Any]:
    return {
        "group_id": journal.group_id,
        "subgroup_id": journal.subgroup_id,
        "course_unit_id": journal.course_unit_id,
    }


async def control_events(session: AsyncSession, journal: Any) -> list[Any]:
    """The control events that become the journal's sections (its course unit's, and the integrated
    discipline's own exam for its last block, KZ-02)."""
    return list((await session.execute(CONTROL_EVENTS_OF_JOURNAL, _key(journal))).all())


async def lessons(session: AsyncSession, journal: Any) -> list[Any]:
    """The lessons of the journal's course unit, group, subgroup and lesson type."""
    return list(
        (
            await session.execute(LESSONS_OF_JOURNAL, {**_key(journal), "lesson_type": journal.lesson_type})
        ).all()
    )


async def active_teachers(session: AsyncSession, journal_id: uuid.UUID) -> list[uuid.UUID]:
    return list((await session.execute(ACTIVE_TEACHERS, {"j": journal_id})).scalars())


async def sections(session: AsyncSession, journal_id: uuid.UUID) -> list[Any]:
    return list(
        (await session.execute(t.sections.select().where(t.sections.c.journal_id == journal_id))).all()
    )


async def columns(session: AsyncSession, journal_id: uuid.UUID) -> list[Any]:
    return list((await session.execute(t.columns.select().where(t.columns.c.journal_id == journal_id))).all())


async def put_section(
    session: AsyncSession, journal_id: uuid.UUID, section_id: uuid.UUID, values: Mapping[str, Any]
) -> None:
    await session.execute(
        insert(t.sections)
        .values(journal_id=journal_id, section_id=section_id, **values)
        .on_conflict_do_update(index_elements=["journal_id", "section_id"], set_=dict(values))
    )


async def put_column(
    session: AsyncSession, journal_id: uuid.UUID, column_id: uuid.UUID, values: Mapping[str, Any]
) -> None:
    await session.execute(
        insert(t.columns)
        .values(journal_id=journal_id, column_id=column_id, **values)
        .on_conflict_do_update(index_elements=["journal_id", "column_id"], set_=dict(values))
    )
