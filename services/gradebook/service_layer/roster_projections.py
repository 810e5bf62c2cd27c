"""The gradebook's copy of who is in which group (curriculum's movements) and who substitutes whom
(identity's substitutions, KZ-07, KG-07): handlers the Projector dispatches to, each in the consumer's
transaction. They open no journal and publish nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.events import Event, ReceivedEvent
from services.gradebook.adapters import roster_repo
from services.gradebook.domain.vocabulary import event_date, optional_uuid

# -- curriculum: movements ----------------------------------------------------------------------


async def student_enrolled(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentEnrolled)
    await roster_repo.enroll(
        session,
        movement_id=uuid.UUID(m.movement_id),
        student_id=uuid.UUID(m.student_id),
        group_id=uuid.UUID(m.group_id),
        subgroup_id=optional_uuid(m.subgroup_id),
        since=event_date(m.effective_date),
    )
    return []


async def student_transferred(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentTransferred)
    student, day = uuid.UUID(m.student_id), event_date(m.effective_date)
    await roster_repo.leave(session, student, optional_uuid(m.from_group_id), day)
    await roster_repo.enroll(
        session,
        movement_id=uuid.UUID(m.movement_id),
        student_id=student,
        group_id=uuid.UUID(m.to_group_id),
        subgroup_id=optional_uuid(m.to_subgroup_id),
        since=day,
    )
    return []


async def student_expelled(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StudentExpelled)
    await roster_repo.leave(session, uuid.UUID(m.student_id), None, event_date(m.effective_date))
    return []


# -- identity: substitutions (KZ-07, KG-07) -----------------------------------------------------


async def substitution_appointed(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(idn.SubstitutionAppointed)
    await roster_repo.add_substitution(
        session,
        substitution_id=uuid.UUID(m.substitution_id),
        absent_teacher_id=uuid.UUID(m.absent_teacher_id),
        substitute_id=uuid.UUID(m.substitute_id),
        journal_ids=[uuid.UUID(x) for x in m.journal_ids],
        course_unit_ids=[uuid.UUID(x) for x in m.course_unit_ids],
        starts_on=event_date(m.starts_on),
        ends_on=event_date(m.ends_on),
        protocol=f"{m.protocol_number} {m.protocol_date}".strip(),
    )
    return []


async def substitution_ended(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(idn.SubstitutionEnded)
    await roster_repo.end_substitution(session, uuid.UUID(m.substitution_id), event_date(m.ended_on))
    return []
