"""Closed means closed for the schedule too (issue 13, KZ-05, KG-06): curriculum keeps the sections
gradebook closed (its `SectionClosed` events, through the inbox) and refuses to schedule, move or cancel
a lesson inside one, by RPC and by import, with the same reason gradebook gives for a closed section.

A lesson belongs to the section of the first control event on or after its date (ties: current,
midterm, intermediate attestation, final attestation), as in gradebook's domain/sections.py.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.errors import FailedPrecondition, Wording
from ejournal_platform.events import ReceivedEvent
from services.curriculum.adapters.models import ClosedSection, ControlEvent
from services.curriculum.domain.vocabulary import ControlEventKind

SUBJECTS = [gb.SectionClosed.DESCRIPTOR.full_name]
_RANK = {kind.value: rank for rank, kind in enumerate(ControlEventKind)}


async def record_closed(session: AsyncSession, event: ReceivedEvent) -> None:
    """The consumer's handler: remember a closed section (a repeat changes nothing)."""
    if event.type != gb.SectionClosed.DESCRIPTOR.full_name:
        return
    m = event.parse(gb.SectionClosed)
    closed_at = datetime.fromisoformat(m.closed_at) if m.closed_at else datetime.fromisoformat(event.time)
    await session.execute(
        insert(ClosedSection)
        .values(control_event_id=uuid.UUID(m.control_event_id), journal_id=m.journal_id, closed_at=closed_at)
        .on_conflict_do_nothing()
    )


async def section_of(
    s: AsyncSession, unit_id: uuid.UUID, group_id: uuid.UUID, subgroup_id: uuid.UUID | None, when: date
) -> ControlEvent | None:
    """The control event whose section a lesson of this unit and group on `when` belongs to."""
    rows = await s.scalars(
        select(ControlEvent).where(
            ControlEvent.course_unit_id == unit_id,
            ControlEvent.group_id == group_id,
            or_(ControlEvent.subgroup_id.is_(None), ControlEvent.subgroup_id == subgroup_id),
            ControlEvent.date >= when,
        )
    )
    candidates = sorted(rows, key=lambda e: (e.date, _RANK.get(e.kind, len(_RANK)), str(e.id)))
    return candidates[0] if candidates else None


async def refuse_closed(
    s: AsyncSession,
    unit_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    when: date,
    field: str = "date",
) -> None:
    """FailedPrecondition naming `field` when a lesson on `when` would fall in a closed section."""
    section = await section_of(s, unit_id, group_id, subgroup_id, when)
    if section is None:
        return
    closed = await s.scalar(
        select(ClosedSection.journal_id).where(ClosedSection.control_event_id == section.id).limit(1)
    )
    if closed is not None:
        raise FailedPrecondition(
            f"the {section.kind} section ending {section.date.isoformat()} is closed; the schedule "
            "cannot change inside it (only a reopen lets a teacher correct its marks)",
            field=field,
            wording=Wording("section_closed"),
        )
