"""The gradebook's copy of who is in which group (curriculum's movements) and who substitutes whom
(identity's substitutions, KZ-07, KG-07): handlers the Projector dispatches to, each in the consumer's
transaction. They open no journal and publish nothing.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.events import Event, ReceivedEvent
from services.gradebook.adapters import tables as t
from services.gradebook.domain.vocabulary import event_date, optional_uuid

# -- curriculum: movements ----------------------------------------------------------------------


async def student_enrolled(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentEnrolled)
    await session.execute(
        insert(t.enrollments)
        .values(
            movement_id=uuid.UUID(m.movement_id),
            student_id=uuid.UUID(m.student_id),
            group_id=uuid.UUID(m.group_id),
            subgroup_id=optional_uuid(m.subgroup_id),
            since=event_date(m.effective_date),
        )
        .on_conflict_do_nothing()
    )
    return []


async def _leave(session: AsyncSession, student_id: uuid.UUID, group_id: uuid.UUID | None, day: date) -> None:
    condition = [t.enrollments.c.student_id == student_id, t.enrollments.c.until.is_(None)]
    if group_id is not None:
        condition.append(t.enrollments.c.group_id == group_id)
    await session.execute(update(t.enrollments).where(*condition).values(until=day))


async def student_transferred(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentTransferred)
    student, day = uuid.UUID(m.student_id), event_date(m.effective_date)
    await _leave(session, student, optional_uuid(m.from_group_id), day)
    await session.execute(
        insert(t.enrollments)
        .values(
            movement_id=uuid.UUID(m.movement_id),
            student_id=student,
            group_id=uuid.UUID(m.to_group_id),
            subgroup_id=optional_uuid(m.to_subgroup_id),
            since=day,
        )
        .on_conflict_do_nothing()
    )
    return []


async def student_expelled(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentExpelled)
    await _leave(session, uuid.UUID(m.student_id), None, event_date(m.effective_date))
    return []


# -- identity: substitutions (KZ-07, KG-07) -----------------------------------------------------


async def substitution_appointed(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(idn.SubstitutionAppointed)
    await session.execute(
        insert(t.substitutions)
        .values(
            substitution_id=uuid.UUID(m.substitution_id),
            absent_teacher_id=uuid.UUID(m.absent_teacher_id),
            substitute_id=uuid.UUID(m.substitute_id),
            journal_ids=[uuid.UUID(x) for x in m.journal_ids],
            course_unit_ids=[uuid.UUID(x) for x in m.course_unit_ids],
            starts_on=event_date(m.starts_on),
            ends_on=event_date(m.ends_on),
            protocol=f"{m.protocol_number} {m.protocol_date}".strip(),
        )
        .on_conflict_do_nothing()
    )
    return []


async def substitution_ended(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(idn.SubstitutionEnded)
    await session.execute(
        update(t.substitutions)
        .where(
            t.substitutions.c.substitution_id == uuid.UUID(m.substitution_id),
            or_(t.substitutions.c.ends_on > event_date(m.ended_on)),
        )
        .values(ends_on=event_date(m.ended_on))
    )
    return []
