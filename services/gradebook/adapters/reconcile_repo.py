"""What reconciling a journal with curriculum's schedule reads and writes: the journal, its control
events and lessons (reconcile_sql), its sections and columns, upserted one by one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.gradebook.adapters import tables as t
from services.gradebook.adapters.journal_rows import SectionInfo
from services.gradebook.adapters.reconcile_sql import (
    ACTIVE_TEACHERS,
    CONTROL_EVENTS_OF_JOURNAL,
    LESSONS_OF_JOURNAL,
)


@dataclass(frozen=True, kw_only=True)
class JournalToReconcile:
    """What reconciling needs of a journal: the key its lessons and control events are found by, and
    what its SectionScheduled events carry."""

    journal_id: uuid.UUID
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    lesson_type: str
    profile_code: str
    department_id: uuid.UUID | None
    faculty_id: uuid.UUID | None


@dataclass(frozen=True, kw_only=True)
class ScheduledControlEvent:
    control_event_id: uuid.UUID
    kind: str
    date: date
    closing_deadline: datetime | None


@dataclass(frozen=True, kw_only=True)
class ScheduledLesson:
    lesson_id: uuid.UUID
    date: date
    lesson_type: str
    starts_at: str
    topic: str
    number: int
    classroom_id: uuid.UUID | None
    cancelled: bool


@dataclass(frozen=True, kw_only=True)
class JournalColumn:
    """A stored column as reconciling compares it with its lesson."""

    column_id: uuid.UUID
    kind: str
    date: date
    starts_at: str
    topic: str
    number: int
    section_id: uuid.UUID | None
    control_kind: str | None
    lesson_type: str
    classroom_id: uuid.UUID | None
    cancelled: bool


async def journal(session: AsyncSession, journal_id: uuid.UUID) -> JournalToReconcile | None:
    row = (await session.execute(t.journals.select().where(t.journals.c.journal_id == journal_id))).first()
    return None if row is None else record(JournalToReconcile, row)


def _key(journal: JournalToReconcile) -> dict[str, Any]:
    return {
        "group_id": journal.group_id,
        "subgroup_id": journal.subgroup_id,
        "course_unit_id": journal.course_unit_id,
    }


async def control_events(session: AsyncSession, journal: JournalToReconcile) -> list[ScheduledControlEvent]:
    """The control events that become the journal's sections (its course unit's, and the integrated
    discipline's own exam for its last block, KZ-02)."""
    rows = await session.execute(CONTROL_EVENTS_OF_JOURNAL, _key(journal))
    return [record(ScheduledControlEvent, r) for r in rows]


async def lessons(session: AsyncSession, journal: JournalToReconcile) -> list[ScheduledLesson]:
    """The lessons of the journal's course unit, group, subgroup and lesson type."""
    rows = await session.execute(LESSONS_OF_JOURNAL, {**_key(journal), "lesson_type": journal.lesson_type})
    return [record(ScheduledLesson, r) for r in rows]


async def active_teachers(session: AsyncSession, journal_id: uuid.UUID) -> list[uuid.UUID]:
    return list((await session.execute(ACTIVE_TEACHERS, {"j": journal_id})).scalars())


async def sections(session: AsyncSession, journal_id: uuid.UUID) -> list[SectionInfo]:
    rows = await session.execute(t.sections.select().where(t.sections.c.journal_id == journal_id))
    return [record(SectionInfo, r) for r in rows]


async def columns(session: AsyncSession, journal_id: uuid.UUID) -> list[JournalColumn]:
    rows = await session.execute(t.columns.select().where(t.columns.c.journal_id == journal_id))
    return [record(JournalColumn, r) for r in rows]


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
