"""Substitutes read the names of the groups they teach (issue 13): curriculum keeps identity's
substitutions (SubstitutionAppointed / SubstitutionEnded, through the inbox) and counts a running
substitute among the teachers of the absent teacher's groups (`contingent.read`, assigned reach)."""

from __future__ import annotations

import uuid
from datetime import date

from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent
from services.curriculum.adapters import received_repo

APPOINTED = idn.SubstitutionAppointed.DESCRIPTOR.full_name
ENDED = idn.SubstitutionEnded.DESCRIPTOR.full_name
SUBJECTS = [APPOINTED, ENDED]


async def record_substitution(uow: UnitOfWork, event: ReceivedEvent) -> None:
    """The consumer's handler (a repeat changes nothing; an end before its start is kept too)."""
    if event.type == APPOINTED:
        m = event.parse(idn.SubstitutionAppointed)
        await received_repo.add_substitution(
            uow.session,
            substitution_id=m.substitution_id,
            absent_teacher_id=m.absent_teacher_id,
            substitute_id=m.substitute_id,
            course_unit_ids=list(m.course_unit_ids),
            starts_on=date.fromisoformat(m.starts_on),
            ends_on=date.fromisoformat(m.ends_on),
            # The absent teacher's university (issue 18); the database places older events' rows.
            university_id=_uuid_or_none(m.university_id),
        )
    elif event.type == ENDED:
        e = event.parse(idn.SubstitutionEnded)
        await received_repo.end_substitution(
            uow.session,
            substitution_id=e.substitution_id,
            absent_teacher_id=e.absent_teacher_id,
            substitute_id=e.substitute_id,
            ended=date.fromisoformat(e.ended_on) if e.ended_on else date.today(),
        )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
