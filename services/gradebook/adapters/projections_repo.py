"""The gradebook's copy of curriculum's course units, lessons, control events and teaching load: the
rows the Projector's handlers write in the consumer's transaction. A definition carrying a revision
never overwrites a newer one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t
from services.gradebook.adapters.projections_sql import JOURNAL_TEACHERS
from services.gradebook.domain.history_chain import GENESIS

CU = t.course_units.c


async def journals_of(
    session: AsyncSession, course_unit_ids: list[uuid.UUID], group_id: uuid.UUID | None
) -> list[uuid.UUID]:
    """The journals of the course units (in one group, or in every group)."""
    query = select(t.journals.c.journal_id).where(t.journals.c.course_unit_id.in_(course_unit_ids))
    if group_id is not None:
        query = query.where(t.journals.c.group_id == group_id)
    return list((await session.execute(query)).scalars())


async def put_course_unit(
    session: AsyncSession, course_unit_id: uuid.UUID, values: Mapping[str, Any], revision: int
) -> None:
    statement = insert(t.course_units).values(course_unit_id=course_unit_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["course_unit_id"], set_=dict(values), where=CU.revision <= revision
        )
    )


async def parts_of(
    session: AsyncSession, course_unit_id: uuid.UUID, *, last_only: bool = False
) -> list[uuid.UUID]:
    """The course unit's parts (only the part that finishes it, with `last_only`)."""
    query = select(CU.course_unit_id).where(CU.parent_id == course_unit_id)
    return list((await session.execute(query.where(CU.is_last_part) if last_only else query)).scalars())


async def course_unit_title(session: AsyncSession, course_unit_id: uuid.UUID) -> str:
    title = (await session.execute(select(CU.title).where(CU.course_unit_id == course_unit_id))).scalar()
    return title or ""


async def open_journal(session: AsyncSession, journal_id: uuid.UUID, **values: Any) -> bool:
    """Record the journal (once) and, when it is new, its history chain's genesis head; whether it was new."""
    created = (
        await session.execute(
            insert(t.journals)
            .values(journal_id=journal_id, **values)
            .on_conflict_do_nothing()
            .returning(t.journals.c.journal_id)
        )
    ).first()
    if created is not None:
        await session.execute(insert(t.chain_heads).values(journal_id=journal_id, position=0, hash=GENESIS))
    return created is not None


async def assign_teacher(
    session: AsyncSession, load_id: uuid.UUID, journal_id: uuid.UUID, teacher_id: uuid.UUID
) -> None:
    await session.execute(
        insert(t.journal_teachers)
        .values(load_id=load_id, journal_id=journal_id, teacher_id=teacher_id)
        .on_conflict_do_update(index_elements=["load_id"], set_={"active": True})
    )


async def unassign_teacher(session: AsyncSession, load_id: uuid.UUID) -> None:
    await session.execute(
        update(t.journal_teachers).where(t.journal_teachers.c.load_id == load_id).values(active=False)
    )


async def journal_teachers(session: AsyncSession, journal_id: uuid.UUID) -> list[uuid.UUID]:
    return list((await session.execute(JOURNAL_TEACHERS, {"j": journal_id})).scalars())


async def put_lesson(
    session: AsyncSession, lesson_id: uuid.UUID, values: Mapping[str, Any], revision: int
) -> None:
    await session.execute(
        insert(t.lessons)
        .values(lesson_id=lesson_id, **values)
        .on_conflict_do_update(
            index_elements=["lesson_id"], set_=dict(values), where=t.lessons.c.revision <= revision
        )
    )


async def cancel_lesson(session: AsyncSession, lesson_id: uuid.UUID) -> None:
    """The lesson and its columns are cancelled; a column of a closed section keeps its state
    (curriculum refuses first)."""
    await session.execute(update(t.lessons).where(t.lessons.c.lesson_id == lesson_id).values(cancelled=True))
    open_section = ~exists().where(
        t.sections.c.journal_id == t.columns.c.journal_id,
        t.sections.c.section_id == t.columns.c.section_id,
        t.sections.c.closed_at.is_not(None),
    )
    await session.execute(
        update(t.columns).where(t.columns.c.column_id == lesson_id, open_section).values(cancelled=True)
    )


async def put_control_event(
    session: AsyncSession, control_event_id: uuid.UUID, values: Mapping[str, Any], revision: int
) -> None:
    await session.execute(
        insert(t.control_events)
        .values(control_event_id=control_event_id, **values)
        .on_conflict_do_update(
            index_elements=["control_event_id"],
            set_=dict(values),
            where=t.control_events.c.revision <= revision,
        )
    )


async def control_event_is_kept(session: AsyncSession, control_event_id: uuid.UUID) -> bool:
    """Whether the control event's column holds results (marks, attendance, history) or its section is
    closed: then the record keeps it."""
    ce_id = control_event_id
    return bool(
        await session.scalar(
            select(
                exists().where(t.marks.c.column_id == ce_id)
                | exists().where(t.attendance.c.column_id == ce_id)
                | exists().where(t.history.c.column_id == ce_id)
                | exists().where(t.sections.c.section_id == ce_id, t.sections.c.closed_at.is_not(None))
            )
        )
    )


async def drop_control_event(session: AsyncSession, control_event_id: uuid.UUID) -> None:
    """Its columns and its row go; its section rows stay (the service's role may not delete sections,
    see migration 0003)."""
    await session.execute(delete(t.columns).where(t.columns.c.column_id == control_event_id))
    await session.execute(
        delete(t.control_events).where(t.control_events.c.control_event_id == control_event_id)
    )


async def change_deadline(
    session: AsyncSession, control_event_id: uuid.UUID, column: str, deadline: str | None, revision: int
) -> None:
    """`column` is closing_deadline or grade_entry_deadline; an older revision changes nothing."""
    ce = t.control_events.c
    await session.execute(
        update(t.control_events)
        .where(ce.control_event_id == control_event_id, ce.revision <= revision)
        .values({column: deadline, "revision": revision})
    )
